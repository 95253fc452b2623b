// What the browser tests share: Chromium (Debian's, never a downloaded one), a fresh shopper
// with storage of their own, and the steps a shopper takes in the storefront.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { SHOP, root } from "../../harness/stack.mjs";

export const shots = process.env.SCREENSHOTS_DIR ?? `${root}target/screenshots`;
mkdirSync(shots, { recursive: true });

let browser;

export async function launchBrowser() {
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

export async function toPayment(page, email) {
  await page.goto(`${SHOP}/checkout`);
  await page.getByLabel("Email for the receipt").fill(email);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").waitFor();
}
