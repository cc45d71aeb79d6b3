-- wrk script: POSTs one fixed body to the emulator.
-- EUID_BODY: the body (a base64 generate envelope, or a refresh token);
-- EUID_API_KEY: sent as "Authorization: Bearer ..." when set.
wrk.method = "POST"
wrk.body = os.getenv("EUID_BODY")
local key = os.getenv("EUID_API_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

-- A stale envelope (older than about two minutes) shows up here.
function done(summary, latency, requests)
  io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
