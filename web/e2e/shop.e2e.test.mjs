// A shopper, in Chromium, against the native stack (nginx + API + PostgreSQL + fake Stripe),
// started by scripts/test. Screenshots go to target/screenshots (SCREENSHOTS_DIR to change it);
// docs/screenshots holds the ones the README shows.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { SHOP, root, stack, stripeFetch } from "../../harness/stack.mjs";

const shots = process.env.SCREENSHOTS_DIR ?? `${root}target/screenshots`;
mkdirSync(shots, { recursive: true });
const standin = readFileSync(new URL("./stripe-standin.js", import.meta.url), "utf8");

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh shopper: own storage; Stripe's hosts answered by the stand-in and the fake server. */
async function shopper(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.route("https://js.stripe.com/**", (route) =>
    route.fulfill({ status: 200, contentType: "application/javascript", body: standin }),
  );
  await context.route("https://api.stripe.com/**", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const response = await stripeFetch(`${url.pathname}${url.search}`, {
      method: request.method(),
      contentType: request.headers()["content-type"],
      body: request.postData() ?? undefined,
    });
    await route.fulfill({
      status: response.status,
      contentType: "application/json",
      headers: { "access-control-allow-origin": "*" },
      body: await response.text(),
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  return { page, context, problems };
}

async function addToCart(page, search, productName, variantLabel) {
  await page.goto(SHOP);
  await page.getByLabel("Search").fill(search);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: productName }).click();
  await page.getByRole("heading", { name: productName }).waitFor();
  if (variantLabel) await page.getByLabel(variantLabel).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("added to your cart").waitFor();
}

async function pay(page, card) {
  await page.getByLabel("Card number").fill(card);
  await page.getByRole("button", { name: /^Pay/ }).click();
}

test("a shopper finds two items, changes the cart, pays by card and sees the order paid", async () => {
  const { page, context, problems } = await shopper();
  await page.goto(SHOP);
  await page.getByRole("heading", { name: "Shop" }).waitFor();
  await page.locator(".card").first().waitFor();
  await page.screenshot({ path: `${shots}/catalog.png`, fullPage: true });

  await page.getByLabel("Search").fill("shirt");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\?q=shirt/);
  await assert.doesNotReject(page.getByRole("link", { name: "Oxford Shirt" }).waitFor());
  assert.equal(await page.locator(".card").count(), 3);

  await addToCart(page, "shirt", "Oxford Shirt", /^M \/ Blue/);
  await addToCart(page, "mug", "Ceramic Mug", null);
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.getByRole("heading", { name: "Your cart" }).waitFor();
  assert.equal(await page.locator(".lines .line").count(), 2);

  // Two mugs instead of one: the server recomputes the subtotal (59.00 + 2 × 16.00).
  const mugQuantity = page.getByLabel("Quantity").nth(1);
  await mugQuantity.fill("2");
  await mugQuantity.press("Tab");
  await page.getByText("Subtotal (3 items)").waitFor();
  assert.match(await page.locator(".subtotal").innerText(), /€91\.00/);
  await page.screenshot({ path: `${shots}/cart.png`, fullPage: true });

  // The cart survives a reload.
  await page.reload();
  await page.getByText("Subtotal (3 items)").waitFor();

  await page.getByRole("link", { name: "Check out" }).click();
  await page.getByLabel("Email for the receipt").fill("ada@example.com");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").waitFor();
  await page.screenshot({ path: `${shots}/checkout.png`, fullPage: true });
  await pay(page, "4242 4242 4242 4242");

  await page.waitForURL(/\/orders\//);
  // Paid only once the fake Stripe server's signed webhook reached the API through nginx.
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.match(await page.locator(".subtotal").innerText(), /€91\.00/);
  await page.screenshot({ path: `${shots}/order-paid.png`, fullPage: true });
  assert.equal(await page.locator(".count").innerText(), "0");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a declined card shows the card issuer's message, and another card pays", async () => {
  const { page, context, problems } = await shopper();
  await addToCart(page, "beanie", "Wool Beanie", /^Navy/);
  await page.goto(`${SHOP}/checkout`);
  await page.getByLabel("Email for the receipt").fill("grace@example.com");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await pay(page, "4000 0000 0000 0341");
  await page.getByRole("alert").filter({ hasText: "Your card was declined." }).waitFor();
  assert.match(page.url(), /\/checkout$/);

  await pay(page, "4242 4242 4242 4242");
  await page.waitForURL(/\/orders\//);
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  // The browser logs the declined attempt's 402 from Stripe; nothing else may go wrong.
  assert.deepEqual(
    problems.filter((p) => !p.includes("status of 402")),
    [],
  );
  await context.close();
});

test("out of stock at checkout names the variant", async () => {
  const { page, context } = await shopper();
  const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };
  const belt = await (await fetch(`${SHOP}/api/v1/products/leather-belt`)).json();
  const variant = belt.variants.find((v) => v.title === "95 cm");
  const restocked = await fetch(`${SHOP}/api/v1/admin/variants/${variant.id}/stock`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ on_hand: 7 }),
  });
  assert.equal(restocked.status, 200);
  await addToCart(page, "leather", "Leather Belt", /^95 cm/);
  // Someone else buys the whole stock of that belt meanwhile.
  const emptied = await fetch(`${SHOP}/api/v1/admin/variants/${variant.id}/stock`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ on_hand: 0 }),
  });
  assert.equal(emptied.status, 200);

  await page.goto(`${SHOP}/checkout`);
  await page.getByLabel("Email for the receipt").fill("ada@example.com");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByRole("alert").filter({ hasText: "Not enough stock for BLT-2 (0 available)." }).waitFor();
  await context.close();
});

test("on a phone-sized screen the catalog fits and works with the keyboard", async () => {
  const { page, context } = await shopper({ width: 375, height: 740 });
  await page.goto(SHOP);
  await page.locator(".card").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  const withoutAlt = await page.locator("img:not([alt])").count();
  assert.equal(withoutAlt, 0);

  // Keyboard only: skip link, then search.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
  await page.getByLabel("Search").focus();
  await page.keyboard.type("mug");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\?q=mug/);
  await page.getByRole("link", { name: "Ceramic Mug" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Ceramic Mug" }).waitFor();
  await context.close();
});

test("a lost network shows a retryable message", async () => {
  const { page, context } = await shopper();
  await page.goto(SHOP);
  await page.locator(".card").first().waitFor();
  await context.route(`${SHOP}/api/v1/products?**`, (route) => route.abort("internetdisconnected"));
  await page.getByLabel("Search").fill("tote");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText("We could not reach the shop").waitFor();
  await context.unroute(`${SHOP}/api/v1/products?**`);
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByRole("link", { name: "Canvas Tote" }).waitFor();
  await context.close();
});
