// Accessibility, on a desktop and a 375 px phone: axe-core checks every storefront page a
// purchase passes through (catalog, product, cart, the checkout's address with wrong fields and
// its summary, the payment form, the demo bank's authentication, the paid order, a missing
// page), and a purchase is made with the keyboard alone. The phone-sized screenshots are the
// README's.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SHOP } from "../../harness/stack.mjs";
import {
  PARIS,
  assertAccessible,
  closeBrowser,
  fillCheckout,
  fillShippingAddress,
  launchBrowser,
  pay,
  shopper,
  shots,
  summaryTotal,
} from "./shopper.mjs";

before(launchBrowser);
after(closeBrowser);

const PHONE = { width: 375, height: 740 };

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
    await page.getByLabel(/^Email/).waitFor();
    await check("the checkout before its address");
    // Messages beside the wrong fields, and the state of the inputs they describe.
    await fillShippingAddress(page, { ...PARIS, postal_code: "<75001>" });
    await page.getByRole("button", { name: "Save address" }).click();
    await page.locator("#shipping-postal_code-error").waitFor();
    await check("an address with a wrong field", "checkout-address-error");
    await fillCheckout(page, "ada@example.com");
    await check("the checkout with its address and shipping method", "checkout-summary");
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

  await page.getByLabel(/^Email/).waitFor();
  await tabTo(page, "the email field", (f) => f.tag === "INPUT" && f.name === "email");
  await page.keyboard.type("keys@example.com");
  await tabTo(page, "the full name", (f) => f.tag === "INPUT" && f.name === "name");
  await page.keyboard.type(PARIS.name);
  await tabTo(page, "the first address line", (f) => f.tag === "INPUT" && f.name === "line1");
  await page.keyboard.type(PARIS.line1);
  await tabTo(page, "the town", (f) => f.tag === "INPUT" && f.name === "city");
  await page.keyboard.type(PARIS.city);
  await tabTo(page, "the postal code", (f) => f.tag === "INPUT" && f.name === "postal_code");
  await page.keyboard.type(PARIS.postal_code);
  await tabTo(page, "the country", (f) => f.tag === "SELECT" && f.name === "country");
  // A closed select picks the option whose name is typed.
  await page.keyboard.type("France");
  assert.equal(await page.getByLabel("Country", { exact: true }).inputValue(), "FR");
  await tabTo(page, "Save address", (f) => f.tag === "BUTTON" && f.text === "Save address");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  // Into the shipping methods, where Space chooses the first.
  await tabTo(page, "the shipping methods", (f) => f.tag === "INPUT" && f.name === "shipping_method");
  await page.keyboard.press("Space");
  await page.locator(".totals .shipping dd").filter({ hasNotText: "Choose a shipping method" }).waitFor();
  const total = await summaryTotal(page);
  await tabTo(page, "Continue to payment", (f) => f.tag === "BUTTON" && f.text === "Continue to payment");
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
  assert.ok((await page.locator(".totals .total dd").innerText()).includes(total), `the order's total is the summary's ${total}`);
  assert.deepEqual(problems, []);
  await context.close();
});
