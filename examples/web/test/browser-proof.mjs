// The browser proof: headless Chromium drives an example site through the hand-off to the
// official EUID browser SDK. Usage: node browser-proof.mjs NAME URL SCREENSHOT.png
// Fails (exit 1) on the first broken step, and when Chromium cannot start.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const [name, url, screenshot] = process.argv.slice(2);
if (!name || !url || !screenshot) {
  console.error("usage: node browser-proof.mjs NAME URL SCREENSHOT.png");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT_MS = 20_000;
let passed = 0;

function check(condition, what, detail = "") {
  if (!condition) throw new Error(`${name}: ${what}${detail ? ` (${detail})` : ""}`);
}

function step(what) {
  passed += 1;
  console.log(`ok ${passed} - ${name}: ${what}`);
}

const data = (page) => page.evaluate(() => ({ ...document.body.dataset }));

async function waitForData(page, what, predicate) {
  try {
    await page.waitForFunction(predicate, { timeout: TIMEOUT_MS });
  } catch (error) {
    throw new Error(`${name}: timed out waiting for ${what}; page data ${JSON.stringify(await data(page))}`);
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

async function counters(page) {
  const { base_url: baseUrl } = await state(page);
  const response = await fetch(`${baseUrl}/emulator/counters`);
  return response.json();
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
  page.on("console", (message) => {
    if (["error", "warn"].includes(message.type())) console.log(`  [browser ${message.type()}] ${message.text()}`);
  });
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(url);

  // 1. Sign in: the server establishes and sets __euid; the browser SDK takes it over.
  await signIn(page, "jane.doe@example.com");
  let seen = await waitForData(page, "the browser SDK's identity",
    () => document.body.dataset.sdkState === "available" && document.body.dataset.serverCookie === "identity");
  const established = seen.sdkToken;
  check(established && established === seen.serverToken, "the browser SDK has the server's advertising token",
    `${established?.slice(0, 12)} vs ${seen.serverToken?.slice(0, 12)}`);
  check(seen.sdkStatus === "0", "the browser SDK reports ESTABLISHED", seen.sdkStatus);
  check((await euidCookie(page))?.advertising_token === established, "__euid holds the identity");
  await page.screenshot({ path: screenshot, fullPage: true });
  step("sign-in: the browser SDK reports the identity the server established");

  // 2. Come back later: the browser SDK refreshes by itself against the emulator (CORS).
  const refreshesBefore = (await counters(page)).refresh.outcomes.success ?? 0;
  await submit(page, "#later");
  seen = await waitForData(page, "the browser SDK's refresh",
    () => document.body.dataset.sdkStatus === "1" && document.body.dataset.sdkToken !== "");
  const refreshed = seen.sdkToken;
  check(refreshed !== established, "the refresh gave a new advertising token");
  check((await euidCookie(page))?.advertising_token === refreshed, "the browser SDK wrote the new identity into __euid");
  const refreshesAfter = (await counters(page)).refresh.outcomes.success ?? 0;
  check(refreshesAfter === refreshesBefore + 1, "exactly one refresh reached the emulator", `${refreshesBefore} -> ${refreshesAfter}`);
  step("come back later: the browser SDK refreshed against the emulator and rewrote __euid");

  // 3. The server reads the cookie back and keeps the refreshed identity.
  seen = await waitForData(page, "the server's read-back", () => document.body.dataset.serverCookieToken !== "");
  check(seen.serverCookieToken === refreshed, "the server parsed the refreshed identity from __euid");
  check((await state(page)).advertising_token === refreshed, "the server now answers the refreshed token");
  step("read-back: the server parsed the browser's __euid and answers its token");

  // 5. Sign out: no cookie, no identity in the browser SDK.
  await submit(page, "#sign-out");
  seen = await waitForData(page, "no identity after sign-out", () => document.body.dataset.sdkState === "none");
  check((await euidCookie(page)) === undefined, "no __euid cookie after sign-out");
  check(await page.evaluate(() => window.__euid.isLoginRequired() && !window.__euid.getAdvertisingToken()),
    "the browser SDK requires a login");
  step("sign-out: no __euid cookie and the browser SDK reports no identity");

  // 4. A user who opts out at the first refresh: the browser SDK ends opted out, and so does the server.
  await signIn(page, "refresh-optout@example.com");
  await waitForData(page, "the identity", () => document.body.dataset.sdkState === "available");
  await submit(page, "#later");
  seen = await waitForData(page, "the browser SDK's opt-out",
    () => document.body.dataset.sdkState === "optout" && document.body.dataset.serverCookie === "optout");
  check((await euidCookie(page))?.status === "optout", "__euid holds the browser SDK's opt-out marker");
  const after = await state(page);
  check(after.opted_out === true && after.identity === null && after.advertising_token === null,
    "the server sees the opt-out marker and keeps no identity", JSON.stringify(after));
  step("refresh opt-out: the browser SDK is opted out and the server sees the marker");

  // And a user opted out from the start: the server hands the browser SDK its opt-out marker.
  await submit(page, "#sign-out");
  await signIn(page, "optout@example.com");
  seen = await waitForData(page, "the opt-out at sign-in", () => document.body.dataset.sdkState === "optout");
  check((await state(page)).opted_out === true, "the server remembers the opt-out");
  step("opt-out at sign-in: no token, and the browser SDK is opted out too");
  console.log(`${name}: ${passed} passed, 0 failed`);
} catch (error) {
  console.error(`not ok ${passed + 1} - ${error.message}`);
  console.log(`${name}: ${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
