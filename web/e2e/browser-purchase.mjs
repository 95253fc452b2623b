// A newcomer's first purchase, in Chromium, against any running shop in demo mode:
//   node web/e2e/browser-purchase.mjs http://127.0.0.1:8080
//   SHOP_CA=secrets/local-ca/ca.pem node web/e2e/browser-purchase.mjs https://localhost:8443
// scripts/compose-test runs it against the Compose stack's published port. SHOP_CA names a CA for
// Chromium to trust, as a shopper's machine told to trust it would; certificate errors are never
// ignored. The steps are newcomer.mjs's.

import { chromium } from "playwright-core";
import { newcomerBuys } from "./newcomer.mjs";
import { homeTrusting } from "./trust.mjs";

const shop = process.argv[2];
if (!shop) {
  console.error("usage: browser-purchase.mjs SHOP_URL");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  env: process.env.SHOP_CA ? { ...process.env, HOME: homeTrusting(process.env.SHOP_CA) } : process.env,
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  await newcomerBuys(page, shop, problems);
  if (problems.length > 0) throw new Error(`the browser reported: ${problems.join("; ")}`);
  console.log(`paid in the browser: ${page.url()}`);
} catch (error) {
  // What the shopper saw, so that a failure in CI can be read without a screenshot.
  const [page] = browser.contexts().flatMap((context) => context.pages());
  if (page) console.error(`at ${page.url()} the page said:\n${await page.locator("main").innerText().catch(() => "(nothing)")}`);
  throw error;
} finally {
  await browser.close();
}
