// Accessibility, on a desktop and a 375 px phone: axe-core checks every storefront page a
// purchase passes through (catalog, product, cart, checkout with its payment form, the demo
// bank's authentication, the paid order, a missing page), and a purchase is made with the
// keyboard alone. The phone-sized screenshots are the README's.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import { SHOP } from "../../harness/stack.mjs";
import { closeBrowser, launchBrowser, pay, shopper, shots } from "./shopper.mjs";

before(launchBrowser);
after(closeBrowser);

const PHONE = { width: 375, height: 740 };

/** axe-core's WCAG 2.1 A and AA rules and its best practices: no serious or critical violation. */
async function assertAccessible(page, where) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = blocking.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(described, [], `${where}: axe-core found serious or critical violations`);
  assert.ok(results.passes.length > 10, `${where}: axe-core ran its rules`);
}

async function noWiderThanTheScreen(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where} is ${overflow}px wider than the screen`);
}

for (const [device, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", PHONE],
]) {
  test(`every storefront page of a purchase passes axe-core on a ${device}`, async () => {
    const { page, context } = await shopper(viewport);
    const check = async (where, screenshot) => {
      await assertAccessible(page, `${where} (${device})`);
      if (device === "phone") {
        await noWiderThanTheScreen(page, where);
        // What a phone shows at once; lazy images below the fold would be blank in a full page.
        if (screenshot) await page.screenshot({ path: `${shots}/mobile-${screenshot}.png` });
      }
    };

    await page.goto(SHOP);
    await page.locator(".card").first().waitFor();
    await check("the catalog", "catalog");

    await page.getByRole("link", { name: "Ceramic Mug" }).click();
    await page.getByRole("heading", { name: "Ceramic Mug" }).waitFor();
    await check("a product", "product");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.getByText("added to your cart").waitFor();
    await check("a product just added to the cart");

    await page.getByRole("link", { name: /^Cart/ }).click();
    await page.getByText("Subtotal (1 item)").waitFor();
    await check("the cart", "cart");

    await page.getByRole("link", { name: "Check out" }).click();
    await page.getByLabel("Email for the receipt").waitFor();
    await check("the checkout's email step");
    await page.getByLabel("Email for the receipt").fill("ada@example.com");
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await page.getByLabel("Card number").waitFor();
    await check("the payment form", "checkout");

    await page.getByRole("link", { name: /^Cart/ }).click();
    await page.getByText("Your checkout is waiting for payment").waitFor();
    await check("the cart waiting for its payment");
    await page.getByRole("link", { name: "Continue to payment" }).click();

    await pay(page, "4000 0000 0000 0002");
    await page.getByRole("alert").filter({ hasText: "declined" }).waitFor();
    await check("a declined card");
    await pay(page, "4000 0025 0000 3155");
    const bank = page.getByRole("dialog", { name: "Demo bank: confirm this payment" });
    await bank.waitFor();
    await check("the demo bank's authentication");
    await bank.getByRole("button", { name: "Complete authentication" }).click();

    await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
    await check("the paid order", "order-paid");

    await page.goto(`${SHOP}/no-such-page`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    await check("a missing page");
    await context.close();
  });
}

/** Presses Tab until the focused element is the one described, as a keyboard user would. */
async function tabTo(page, description, matches) {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      const label = element?.labels?.[0]?.textContent ?? "";
      return { tag: element?.tagName ?? "", text: (element?.textContent ?? "").trim(), label: label.trim(), name: element?.getAttribute("name") ?? "" };
    });
    if (matches(focused)) return;
  }
  assert.fail(`Tab never reached ${description}`);
}

test("a purchase with the keyboard alone", async () => {
  const { page, context, problems } = await shopper();
  await page.goto(SHOP);
  await page.locator(".card").first().waitFor();

  await tabTo(page, "the Canvas Tote", (f) => f.tag === "A" && f.text.startsWith("Canvas Tote"));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Canvas Tote" }).waitFor();
  await tabTo(page, "Add to cart", (f) => f.tag === "BUTTON" && f.text === "Add to cart");
  await page.keyboard.press("Enter");
  await page.getByText("added to your cart").waitFor();

  await tabTo(page, "the cart link", (f) => f.tag === "A" && f.text.startsWith("Cart"));
  await page.keyboard.press("Enter");
  await page.getByText("Subtotal (1 item)").waitFor();
  await tabTo(page, "Check out", (f) => f.tag === "A" && f.text === "Check out");
  await page.keyboard.press("Enter");

  await page.getByLabel("Email for the receipt").waitFor();
  await tabTo(page, "the email field", (f) => f.tag === "INPUT" && f.name === "email");
  await page.keyboard.type("keys@example.com");
  await page.keyboard.press("Enter");

  await page.getByLabel("Card number").waitFor();
  await tabTo(page, "the card number", (f) => f.name === "cardnumber");
  await page.keyboard.type("4242 4242 4242 4242");
  await page.keyboard.press("Tab");
  await page.keyboard.type("12 / 34");
  await page.keyboard.press("Tab");
  await page.keyboard.type("123");
  await tabTo(page, "Pay", (f) => f.tag === "BUTTON" && f.text.startsWith("Pay"));
  await page.keyboard.press("Enter");

  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.match(await page.locator(".subtotal").innerText(), /€18\.00/);
  assert.deepEqual(problems, []);
  await context.close();
});
