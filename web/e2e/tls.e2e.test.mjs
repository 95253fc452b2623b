// The HTTPS edge (nginx as the web image runs it, TLS on), in Chromium through the native stack's
// second nginx (scripts/stack with STACK_TLS_PORT): a browser that was never told to trust the
// shop's local CA is refused, one that trusts it buys as a newcomer and gets HSTS, plain HTTP
// redirects, and the back office's Secure, __Host- session cookie works.

import assert from "node:assert/strict";
import http from "node:http";
import { after, test } from "node:test";
import { stack } from "../../harness/stack.mjs";
import { newcomerBuys } from "./newcomer.mjs";
import { launchChromium } from "./shopper.mjs";
import { createStaff, logInAt } from "./staff.mjs";
import { homeTrusting, homeTrustingNothing } from "./trust.mjs";

const HTTPS = stack.STACK_TLS_URL;
const PLAIN = stack.STACK_TLS_HTTP_URL;
assert.ok(HTTPS && PLAIN && stack.STACK_TLS_CA, "the stack serves HTTPS (scripts/stack with STACK_TLS_PORT)");

const browsers = [];
after(() => Promise.all(browsers.map((browser) => browser.close())));

async function browserWith(home) {
  const browser = await launchChromium({ home });
  browsers.push(browser);
  return browser;
}

/** A plain-HTTP GET, redirects not followed. */
function plainGet(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      response.resume();
      response.on("end", () => resolve(response));
    }).on("error", reject);
  });
}

test("a browser that does not trust the shop's CA is refused", async () => {
  const page = await (await browserWith(homeTrustingNothing())).newPage();
  await assert.rejects(page.goto(HTTPS), /ERR_CERT_AUTHORITY_INVALID/);
});

test("a newcomer buys over HTTPS, told by HSTS to keep to it", async () => {
  const page = await (await browserWith(homeTrusting(stack.STACK_TLS_CA))).newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  const first = await page.goto(HTTPS);
  assert.equal(first.status(), 200);
  assert.equal(first.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
  await newcomerBuys(page, HTTPS, problems);
  assert.match(page.url(), new RegExp(`^${HTTPS}/orders/`));
  assert.deepEqual(problems, []);
});

test("plain HTTP redirects to HTTPS with the path and query, and sends no HSTS", async () => {
  const response = await plainGet(`${PLAIN}/products/some-slug?from=mail`);
  assert.equal(response.statusCode, 301);
  assert.equal(response.headers.location, `${HTTPS}/products/some-slug?from=mail`);
  assert.equal(response.headers["strict-transport-security"], undefined);
  // The loopback development edge is plain HTTP and must not send HSTS either.
  const loopback = await plainGet(`${stack.STACK_URL}/`);
  assert.equal(loopback.statusCode, 200);
  assert.equal(loopback.headers["strict-transport-security"], undefined);
});

test("the back office's Secure __Host- session cookie works over HTTPS", async () => {
  const email = `tls-owner-${Date.now().toString(36)}@shop.example`;
  const password = "a long and private passphrase";
  createStaff(email, "owner", password);
  const context = await (await browserWith(homeTrusting(stack.STACK_TLS_CA))).newContext();
  const page = await context.newPage();
  await logInAt(HTTPS, page, email, password);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  const [cookie] = (await context.cookies(HTTPS)).filter((c) => c.name.includes("shop_admin"));
  assert.ok(cookie, "the session cookie was set");
  assert.equal(cookie.name, "__Host-shop_admin");
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.equal(cookie.path, "/");
  // Still signed in after a reload: the browser sends the cookie back over HTTPS.
  await page.reload();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
});
