// The page both example sites serve. The server's view comes from /api/state; the browser's
// from the official EUID browser SDK, which takes the identity over from the __euid cookie.
const $ = (id) => document.getElementById(id);
const STATUS = { 0: "ESTABLISHED", 1: "REFRESHED", 100: "EXPIRED", [-1]: "NO_IDENTITY",
  [-2]: "INVALID", [-3]: "REFRESH_EXPIRED", [-4]: "OPTOUT" };

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

const when = (ms) => (ms == null ? "" : new Date(ms).toISOString());

// With the emulator, "come back later" moves the operator's clock; the browser's clock follows
// it, so the browser SDK sees the same time pass (a real operator's clock is never moved).
function followOperatorClock(offsetMs) {
  if (!offsetMs) return;
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) { if (args.length) super(...args); else super(RealDate.now() + offsetMs); }
    static now() { return RealDate.now() + offsetMs; }
  };
}

function showServer(state) {
  $("backend").textContent = state.backend;
  $("operator").textContent = state.emulator
    ? `Operator: the embedded emulator at ${state.base_url}`
    : `Operator: ${state.base_url}`;
  $("sign-in").hidden = Boolean(state.user);
  $("signed-in").hidden = !state.user;
  $("user").textContent = state.user ?? "";
  $("opted-out").hidden = !state.opted_out;
  $("later-form").hidden = !(state.emulator && state.identity);
  const identity = state.identity ?? {};
  $("server-token").textContent = state.advertising_token ?? "";
  $("server-status").textContent = (identity.status ?? (state.opted_out ? "OPTOUT" : "NO_IDENTITY"))
    + (state.error ? ` (the refresh failed: ${state.error})` : "");
  $("refresh-from").textContent = when(identity.refresh_from);
  $("identity-expires").textContent = when(identity.identity_expires);
  $("refresh-expires").textContent = when(identity.refresh_expires);
  $("now").textContent = when(state.now_ms);
  document.body.dataset.serverToken = state.advertising_token ?? "";
}

// What the server reads back from the cookie the browser SDK keeps. The SDK's events can come
// quickly one after the other: only the latest read-back is shown.
let latestReadBack = 0;
async function showServerCookie() {
  const mine = ++latestReadBack;
  const read = await getJson("/api/cookie");
  const state = await getJson("/api/state");
  if (mine !== latestReadBack) return;
  $("server-cookie").textContent = read.cookie;
  $("server-cookie-token").textContent = read.advertising_token ?? "";
  document.body.dataset.serverCookie = read.cookie;
  document.body.dataset.serverCookieToken = read.advertising_token ?? "";
  showServer(state);
}

function showSdk() {
  const sdk = window.__euid;
  const token = sdk.getAdvertisingToken() ?? "";
  const state = sdk.hasOptedOut() ? "optout" : token ? "available" : "none";
  $("sdk-state").textContent = { optout: "opted out", available: "available", none: "no identity" }[state];
  $("sdk-token").textContent = token;
  document.body.dataset.sdkToken = token;
  document.body.dataset.sdkState = state;
  return showServerCookie();
}

function onInitCallback(payload) {
  $("sdk-status").textContent = `${STATUS[payload.status] ?? payload.status} (${payload.statusText})`;
  document.body.dataset.sdkStatus = String(payload.status);
}

async function main() {
  const state = await getJson("/api/state");
  showServer(state);
  followOperatorClock(state.clock_offset_ms);
  window.__euid = {
    callbacks: [(event) => {
      if (event === "SdkLoaded") {
        window.__euid.init({ baseUrl: state.base_url, useCookie: true, callback: onInitCallback });
      } else if (event === "InitCompleted" || event === "IdentityUpdated" || event === "OptoutReceived") {
        showSdk().catch((error) => { document.body.dataset.error = String(error); });
      }
    }],
  };
  await import("/vendor/euid-sdk.mjs");
  $("sdk-version").textContent = `@unified-id/euid-sdk ${window.__euid.constructor.VERSION ?? ""}`;
}

main().catch((error) => { document.body.dataset.error = String(error); throw error; });
