// The browser proof: headless Chromium drives an example site through the hand-off to the
// official EUID browser SDK.
//   node browser-proof.mjs NAME URL SCREENSHOT.png   the site on its embedded emulator: steps 1-5
//   node browser-proof.mjs NAME URL --configured     the site configured with EUID_BASE_URL, ...
//                                                    (here an emulator): steps 1 and 5, no clock move
// Fails (exit 1) on the first broken step, and when Chromium cannot start.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const [name, url, target] = process.argv.slice(2);
if (!name || !url || !target) {
  console.error("usage: node browser-proof.mjs NAME URL (SCREENSHOT.png | --configured)");
  process.exit(2);
}
const configured = target === "--configured";
const label = configured ? `${name} (configured)` : name;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT_MS = 20_000;
let passed = 0;
const browserLog = [];

function check(condition, what, detail = "") {
  if (!condition) throw new Error(`${label}: ${what}${detail ? ` (${detail})` : ""}`);
}

// The steps carry the numbers of issue 17 and examples/web/README.md.
function step(number, what) {
  passed += 1;
  console.log(`ok - ${label} step ${number}: ${what}`);
}

const data = (page) => page.evaluate(() => ({ ...document.body.dataset }));

async function waitForData(page, what, predicate, ...args) {
  try {
    await page.waitForFunction(predicate, { timeout: TIMEOUT_MS }, ...args);
  } catch (error) {
    throw new Error(`${label}: timed out waiting for ${what}; page data ${JSON.stringify(await data(page))}`);
  }
  const seen = await data(page);
  check(!seen.error, "no page error", seen.error);
  return seen;
}

async function euidCookie(page) {
  const cookie = (await page.cookies()).find((c) => c.name === "__euid");
  return cookie && JSON.parse(decodeURIComponent(cookie.value));
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function signIn(page, email) {
  await waitForData(page, "the sign-in form", () => !document.getElementById("sign-in").hidden);
  await page.$eval("#email", (input, value) => { input.value = value; }, email);
  await submit(page, "#sign-in-button");
}

const state = (page) => page.evaluate(() => fetch("/api/state").then((r) => r.json()));

async function counters(baseUrl) {
  const response = await fetch(`${baseUrl}/emulator/counters`);
  return response.json();
}

// The operator's CORS answers (5.70.250): a preflight, and any request with an Origin.
const ALLOW_METHODS = "GET,POST,OPTIONS";
const ALLOW_HEADERS = "X-UID2-Client-Version,Access-Control-Request-Method,Access-Control-Allow-Credentials,"
  + "Access-Control-Allow-Origin,Access-Control-Allow-Headers,Content-Type";

function checkCorsAnswer(headers, origin, what) {
  check(headers["access-control-allow-origin"] === origin, `${what}: access-control-allow-origin is the page's origin`,
    headers["access-control-allow-origin"]);
  check((headers.vary ?? "").toLowerCase().split(/,\s*/).includes("origin"), `${what}: vary: origin`, headers.vary);
}

// Chromium preflights a request with a header outside the CORS safelist (the SDK's own refresh
// is a simple request): the emulator must answer that preflight as the operator does, or
// Chromium refuses the request. Seen through the DevTools protocol, which reports preflights.
async function checkPreflight(page, baseUrl, origin) {
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  const preflights = [];
  cdp.on("Network.responseReceived", (event) => {
    if (event.type === "Preflight") preflights.push(event.response);
  });
  const answer = await page.evaluate(async (url) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-UID2-Client-Version": "browser-proof", "Content-Type": "text/plain" },
      body: "not-a-refresh-token",
    });
    return { status: response.status, body: await response.json() };
  }, `${baseUrl}/v2/token/refresh`);
  await cdp.detach();
  check(answer.status === 400 && answer.body.status === "error",
    "the preflighted refresh reached the emulator and its answer was readable", JSON.stringify(answer));
  check(preflights.length === 1, "Chromium sent one preflight", String(preflights.length));
  const [preflight] = preflights;
  const headers = Object.fromEntries(Object.entries(preflight.headers).map(([k, v]) => [k.toLowerCase(), v]));
  check(preflight.status === 204, "the preflight is answered 204", String(preflight.status));
  check(headers["access-control-allow-origin"] === origin, "preflight: access-control-allow-origin is the page's origin",
    headers["access-control-allow-origin"]);
  check(headers["access-control-allow-methods"] === ALLOW_METHODS, "preflight: the operator's allowed methods",
    headers["access-control-allow-methods"]);
  check(headers["access-control-allow-headers"] === ALLOW_HEADERS, "preflight: the operator's allowed headers",
    headers["access-control-allow-headers"]);
}

// 1. Sign in: the server establishes and sets __euid; the browser SDK takes it over.
async function signInStep(page) {
  await signIn(page, "jane.doe@example.com");
  const seen = await waitForData(page, "the browser SDK's identity",
    () => document.body.dataset.sdkState === "available" && document.body.dataset.serverCookie === "identity");
  const established = seen.sdkToken;
  check(established && established === seen.serverToken, "the browser SDK has the server's advertising token",
    `${established?.slice(0, 12)} vs ${seen.serverToken?.slice(0, 12)}`);
  check(seen.sdkStatus === "0", "the browser SDK reports ESTABLISHED", seen.sdkStatus);
  check((await euidCookie(page))?.advertising_token === established, "__euid holds the identity");
  step(1, "sign-in: the browser SDK reports the identity the server established");
  return established;
}

// 2. Come back later: the browser SDK refreshes by itself against the emulator (CORS).
async function refreshStep(page, baseUrl, origin, established) {
  const refreshesBefore = (await counters(baseUrl)).refresh.outcomes.success ?? 0;
  const sdkRefresh = page.waitForResponse(
    (response) => response.url().startsWith(`${baseUrl}/v2/token/refresh`) && response.request().method() === "POST",
    { timeout: TIMEOUT_MS });
  await submit(page, "#later");
  const refreshAnswer = await sdkRefresh;
  check(new URL(refreshAnswer.url()).searchParams.get("client") === "euid-sdk-4.0.66",
    "the refresh came from the browser SDK 4.0.66", refreshAnswer.url());
  check(refreshAnswer.status() === 200, "the emulator answered the browser SDK's refresh", String(refreshAnswer.status()));
  checkCorsAnswer(refreshAnswer.headers(), origin, "the refresh answer");
  const seen = await waitForData(page, "the browser SDK's refresh",
    () => document.body.dataset.sdkStatus === "1" && document.body.dataset.sdkToken !== "");
  const refreshed = seen.sdkToken;
  check(refreshed !== established, "the refresh gave a new advertising token");
  check((await euidCookie(page))?.advertising_token === refreshed, "the browser SDK wrote the new identity into __euid");
  const refreshesAfter = (await counters(baseUrl)).refresh.outcomes.success ?? 0;
  check(refreshesAfter === refreshesBefore + 1, "exactly one refresh reached the emulator", `${refreshesBefore} -> ${refreshesAfter}`);
  await checkPreflight(page, baseUrl, origin);
  step(2, "come back later: the browser SDK refreshed against the emulator (CORS as the operator) and rewrote __euid");
  return refreshed;
}

// 3. The server reads the cookie back and keeps the refreshed identity.
async function readBackStep(page, refreshed) {
  await waitForData(page, "the server's read-back of the refreshed identity",
    (token) => document.body.dataset.serverCookieToken === token, refreshed);
  check((await state(page)).advertising_token === refreshed, "the server now answers the refreshed token");
  step(3, "read-back: the server parsed the browser's __euid and answers its token");
}

// 5. Sign out: no cookie, no identity in the browser SDK.
async function signOutStep(page) {
  await submit(page, "#sign-out");
  await waitForData(page, "no identity after sign-out", () => document.body.dataset.sdkState === "none");
  check((await euidCookie(page)) === undefined, "no __euid cookie after sign-out");
  check(await page.evaluate(() => window.__euid.isLoginRequired() && !window.__euid.getAdvertisingToken()),
    "the browser SDK requires a login");
  step(5, "sign-out: no __euid cookie and the browser SDK reports no identity");
}

// 4. A user who opts out at the first refresh: the browser SDK ends opted out, and so does the
// server. Then a user opted out from the start: the server hands the SDK its opt-out marker.
async function optOutSteps(page) {
  await signIn(page, "refresh-optout@example.com");
  await waitForData(page, "the identity", () => document.body.dataset.sdkState === "available");
  await submit(page, "#later");
  await waitForData(page, "the browser SDK's opt-out",
    () => document.body.dataset.sdkState === "optout" && document.body.dataset.serverCookie === "optout");
  check((await euidCookie(page))?.status === "optout", "__euid holds the browser SDK's opt-out marker");
  const after = await state(page);
  check(after.opted_out === true && after.identity === null && after.advertising_token === null,
    "the server sees the opt-out marker and keeps no identity", JSON.stringify(after));
  step(4, "refresh opt-out: the browser SDK is opted out and the server sees the marker");

  await submit(page, "#sign-out");
  await signIn(page, "optout@example.com");
  await waitForData(page, "the opt-out at sign-in", () => document.body.dataset.sdkState === "optout");
  check((await state(page)).opted_out === true, "the server remembers the opt-out");
  step("4b", "opt-out at sign-in: no token, and the browser SDK is opted out too");
}

const profile = mkdtempSync(join(tmpdir(), "euid-chromium-"));
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
} catch (error) {
  console.error(`${name}: Chromium (${CHROMIUM}) cannot start: ${error.message}`);
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}

try {
  const page = await browser.newPage();
  // The page's errors and warnings, printed if a step fails (step 2 makes one 400 on purpose).
  page.on("console", (message) => {
    if (["error", "warn"].includes(message.type())) browserLog.push(`  [browser ${message.type()}] ${message.text()}`);
  });
  await page.setViewport({ width: 1100, height: 500 }); // the full-page screenshot grows to fit
  await page.goto(url);
  const origin = new URL(url).origin;
  const { base_url: baseUrl, emulator } = await state(page);
  check(emulator === !configured, configured ? "the site uses the configured operator" : "the site runs its embedded emulator",
    `emulator: ${emulator}`);
  if (configured) {
    await signInStep(page);
    check(await page.$eval("#later-form", (form) => form.hidden), "no \"come back later\" against a configured operator");
    await signOutStep(page);
  } else {
    const established = await signInStep(page);
    await page.screenshot({ path: target, fullPage: true });
    const refreshed = await refreshStep(page, baseUrl, origin, established);
    await readBackStep(page, refreshed);
    await signOutStep(page);
    await optOutSteps(page);
  }
  console.log(`${label}: ${passed} passed, 0 failed`);
} catch (error) {
  console.error(browserLog.join("\n"));
  console.error(`not ok - ${error.message}`);
  console.log(`${label}: ${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
