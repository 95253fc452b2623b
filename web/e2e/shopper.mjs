// What the browser tests share: Chromium (Debian's, never a downloaded one), a fresh shopper
// with storage of their own, the steps a shopper takes in the storefront, and axe-core's check.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium } from "playwright-core";
import { SHOP, root } from "../../harness/stack.mjs";

export const shots = process.env.SCREENSHOTS_DIR ?? `${root}target/screenshots`;
mkdirSync(shots, { recursive: true });

let browser;

/** Debian's Chromium (or CHROMIUM's), quiet and headless; `home` is the HOME it reads trust from. */
export function launchChromium({ home } = {}) {
  return chromium.launch({
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
    env: home ? { ...process.env, HOME: home } : process.env,
  });
}

export async function launchBrowser() {
  browser = await launchChromium();
}

export async function closeBrowser() {
  await browser?.close();
}

/** A fresh shopper, with storage of their own; `problems` collects what the page logs as errors. */
export async function shopper(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  return { page, context, problems };
}

/** axe-core's WCAG 2.1 A and AA rules and its best practices: no serious or critical violation. */
export async function assertAccessible(page, where) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = blocking.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(described, [], `${where}: axe-core found serious or critical violations`);
  assert.ok(results.passes.length > 10, `${where}: axe-core ran its rules`);
}

export async function addToCart(page, search, productName, variantLabel) {
  await page.goto(SHOP);
  await page.getByLabel("Search").fill(search);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: productName }).click();
  await page.getByRole("heading", { name: productName }).waitFor();
  if (variantLabel) await page.getByLabel(variantLabel).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("added to your cart").waitFor();
}

/** Pays in the demo Stripe.js's card form, as a shopper types it. */
export async function pay(page, card) {
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
}

/** Where the test shoppers live: the e2e stack's seed has a shipping zone with France in it. */
export const PARIS = { name: "Ada Lovelace", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" };

/** Types an address into the checkout's shipping address fields, as a shopper would. */
export async function fillShippingAddress(page, address = PARIS) {
  const form = page.getByRole("group", { name: "Shipping address" });
  await form.getByLabel("Full name", { exact: true }).fill(address.name);
  await form.getByLabel("Address line 1", { exact: true }).fill(address.line1);
  await form.getByLabel("Town or city", { exact: true }).fill(address.city);
  await form.getByLabel("Postal code", { exact: true }).fill(address.postal_code);
  await form.getByLabel("Country", { exact: true }).selectOption(address.country);
}

/** Chooses the first shipping method offered, and waits until the summary prices it. */
export async function chooseFirstShippingMethod(page) {
  await page.getByRole("group", { name: "Shipping method" }).getByRole("radio").first().check();
  await page.locator(".totals .shipping dd").filter({ hasNotText: "Choose a shipping method" }).waitFor();
}

/** The checkout's steps before payment: email, the shipping address (billed there too), the first method. */
export async function fillCheckout(page, email, address = PARIS) {
  await page.getByLabel(/^Email/).fill(email);
  await fillShippingAddress(page, address);
  await page.getByRole("button", { name: /^Save address/ }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await chooseFirstShippingMethod(page);
}

/** The order summary's total, as the checkout shows it before payment ("€95.90"). */
export async function summaryTotal(page) {
  return (await page.locator(".totals .total dd").innerText()).trim();
}

/** An amount as the storefront writes it in euros ("€1,095.90"), in cents. */
export function cents(text) {
  return Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);
}

/** From a cart to the card form; answers the summary's total, which the payment must charge. */
export async function toPayment(page, email) {
  await page.goto(`${SHOP}/checkout`);
  await fillCheckout(page, email);
  const total = await summaryTotal(page);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").waitFor();
  return { total };
}
