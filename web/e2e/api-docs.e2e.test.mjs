// The API reference at /api/docs through nginx, in Chromium: the renderer comes from the shop's own
// origin and shows the OpenAPI document under the page's CSP with nothing else reachable; the
// storefront loads none of it (its size budget is web/scripts/bundle-budget.mjs's).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { SHOP } from "../../harness/stack.mjs";
import { shots } from "./shopper.mjs";

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
});

/**
 * A page cut off from every other origin, as offline, that records the shop's assets it loaded,
 * what it tried to fetch elsewhere, its errors, and each CSP violation.
 */
async function offlinePage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(SHOP).origin;
  const foreign = [];
  await context.route(
    (url) => url.protocol.startsWith("http") && url.origin !== origin,
    (route) => {
      foreign.push(route.request().url());
      return route.abort("internetdisconnected");
    },
  );
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  const assets = new Set();
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === origin && url.pathname.startsWith("/assets/")) assets.add(url.pathname);
  });
  const cspViolations = () => page.evaluate(() => window.cspViolations);
  return { page, context, foreign, problems, assets, cspViolations };
}

test("/api/docs renders the API from the shop's origin, offline, with no CSP violation", async () => {
  const { page, context, foreign, problems, cspViolations } = await offlinePage();
  const response = await page.goto(`${SHOP}/api/docs`);
  assert.equal(response.status(), 200);
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-|https?:|(^|\s)\*/, "nothing inline, no eval, no other origin");
  assert.equal(headers["x-content-type-options"], "nosniff");
  assert.equal(headers["x-frame-options"], "DENY");
  assert.equal(headers["cache-control"], "no-cache");

  const checkout = page.getByRole("button", { name: "POST /api/v1/checkout/sessions Start a checkout" });
  await checkout.waitFor();
  await checkout.click();
  // Expanded: the operation's own parameters, read from the document.
  await page.getByText("Idempotency-Key", { exact: true }).first().waitFor();
  await page.getByRole("heading", { name: "Request body" }).first().waitFor();
  await checkout.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/api-docs.png` });

  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(foreign, [], "nothing fetched from another origin");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the storefront loads none of the reference's assets", async () => {
  const docs = await offlinePage();
  await docs.page.goto(`${SHOP}/api/docs`);
  await docs.page.getByRole("button", { name: /^POST \/api\/v1\/checkout\/sessions/ }).waitFor();
  const reference = [...docs.assets];
  assert.ok(reference.some((path) => path.endsWith(".js")), "the reference's script is an asset");
  await docs.context.close();

  const shop = await offlinePage();
  await shop.page.goto(SHOP);
  await shop.page.getByLabel("Search").waitFor();
  await shop.page.waitForLoadState("networkidle");
  const loaded = [...shop.assets];
  assert.ok(loaded.some((path) => path.endsWith(".js")), "the storefront's script is an asset");
  assert.deepEqual(
    loaded.filter((path) => reference.includes(path)),
    [],
    "no asset of the reference is loaded by the storefront",
  );
  assert.deepEqual(shop.problems, []);
  await shop.context.close();
});
