// A shopper, in Chromium, against the native stack (nginx + API + PostgreSQL + fake Stripe),
// started by scripts/test in demo mode: the storefront pays through the shop's own demo
// Stripe.js, exactly as a newcomer's browser does. Screenshots go to target/screenshots
// (SCREENSHOTS_DIR to change it); docs/screenshots holds the ones the README shows.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SHOP, pay as payAtStripe, stack, stripeFetch } from "../../harness/stack.mjs";
import {
  PARIS,
  addToCart,
  cents,
  closeBrowser,
  fillCheckout,
  fillShippingAddress,
  launchBrowser,
  pay,
  shopper,
  shots,
  summaryTotal,
  toPayment,
} from "./shopper.mjs";

before(launchBrowser);
after(closeBrowser);

test("a shopper finds two items, changes the cart, pays by card and sees the order paid", async () => {
  const { page, context, problems } = await shopper();
  await page.goto(SHOP);
  await page.getByRole("heading", { name: "Shop" }).waitFor();
  await page.locator(".card").first().waitFor();
  await page.getByText("Demo payments: no real money.").waitFor();
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
  await fillCheckout(page, "ada@example.com");
  // The summary: the merchandise as the cart had it, then what shipping to Paris adds.
  assert.match(await page.locator(".totals .subtotal").innerText(), /€91\.00/);
  assert.doesNotMatch(await page.locator(".totals .shipping dd").innerText(), /Choose/);
  const total = await summaryTotal(page);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").waitFor();
  await page.screenshot({ path: `${shots}/checkout.png`, fullPage: true });
  assert.ok((await page.getByRole("button", { name: /^Pay/ }).innerText()).includes(total), `the payment charges the summary's ${total}`);
  await pay(page, "4242 4242 4242 4242");

  await page.waitForURL(/\/orders\//);
  // Paid only once the fake Stripe server's signed webhook reached the API through nginx.
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.ok((await page.locator(".totals .total dd").innerText()).includes(total), `the order's total is the summary's ${total}`);
  const shippedTo = await page.locator(".order-addresses").innerText();
  assert.match(shippedTo, /12 Rue de Rivoli/, "the order page shows where it goes");
  assert.match(shippedTo, /France/);
  assert.match(await page.locator(".shipments").innerText(), /Not shipped yet/, "a paid order says it has not shipped yet");
  // The page promises a receipt only from a shop that sends email.
  const { emails_enabled } = await (await fetch(`${SHOP}/api/v1/config`)).json();
  await page.getByText(emails_enabled ? "A receipt goes to ada@example.com." : "Keep this page's address").waitFor();
  await page.screenshot({ path: `${shots}/order-paid.png`, fullPage: true });
  assert.equal(await page.locator(".count").innerText(), "0");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a declined card shows the card issuer's message, and another card pays", async () => {
  const { page, context, problems } = await shopper();
  await addToCart(page, "beanie", "Wool Beanie", /^Navy/);
  await toPayment(page, "grace@example.com");
  await pay(page, "4000 0000 0000 0002");
  await page.getByRole("alert").filter({ hasText: "Your card was declined." }).waitFor();
  assert.match(page.url(), /\/checkout$/);

  await pay(page, "4242 4242 4242 4242");
  await page.waitForURL(/\/orders\//);
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a card that asks for authentication pays once the shopper approves at the demo bank", async () => {
  const { page, context, problems } = await shopper();
  await addToCart(page, "hoodie", "Zip Hoodie", /^M \/ Charcoal/);
  await toPayment(page, "katherine@example.com");
  await pay(page, "4000 0025 0000 3155");
  const bank = page.getByRole("dialog", { name: "Demo bank: confirm this payment" });
  await bank.waitFor();
  await page.screenshot({ path: `${shots}/authentication.png` });
  await bank.getByRole("button", { name: "Fail authentication" }).click();
  await page.getByRole("alert").filter({ hasText: "failed authentication" }).waitFor();

  await pay(page, "4000 0025 0000 3155");
  await bank.getByRole("button", { name: "Complete authentication" }).click();
  await page.waitForURL(/\/orders\//);
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("Edit cart during checkout reopens the cart, and the new cart is paid", async () => {
  const { page, context, problems } = await shopper();
  await addToCart(page, "mug", "Ceramic Mug", null);
  await toPayment(page, "mary@example.com");

  // From the cart page, where the cart waits for its payment.
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.getByText("Your checkout is waiting for payment").waitFor();
  assert.equal(await page.getByLabel("Quantity").isDisabled(), true);
  await page.getByRole("button", { name: "Edit cart" }).click();
  await page.getByRole("link", { name: "Check out" }).waitFor();
  const quantity = page.getByLabel("Quantity");
  assert.equal(await quantity.isDisabled(), false);
  await quantity.fill("2");
  await quantity.press("Tab");
  await page.getByText("Subtotal (2 items)").waitFor();

  // And from the checkout page itself.
  await toPayment(page, "mary@example.com");
  await page.getByRole("button", { name: "Edit cart" }).click();
  await page.waitForURL(/\/cart$/);
  await quantity.fill("3");
  await quantity.press("Tab");
  await page.getByText("Subtotal (3 items)").waitFor();

  const { total } = await toPayment(page, "mary@example.com");
  assert.match(await page.locator(".totals .subtotal").innerText(), /€48\.00/);
  assert.ok((await page.getByRole("button", { name: /^Pay/ }).innerText()).includes(total));
  await pay(page, "4242 4242 4242 4242");
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  assert.ok((await page.locator(".totals .total dd").innerText()).includes(total));
  assert.deepEqual(problems, []);
  await context.close();
});

test("Edit cart after the payment went through leads to the order, which is kept", async () => {
  const { page, context } = await shopper();
  await addToCart(page, "tote", "Canvas Tote", null);
  await toPayment(page, "ada@example.com");
  // Paid in another tab meanwhile.
  const pending = JSON.parse(await page.evaluate(() => localStorage.getItem("shop.checkout")));
  assert.equal(await payAtStripe(pending.clientSecret.split("_secret_")[0]), true);
  await page.getByRole("button", { name: "Edit cart" }).click();
  await page.waitForURL(/\/orders\//);
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  await context.close();
});

test("when Stripe.js cannot load or its form cannot be shown, the checkout says so, and a retry recovers", async () => {
  const { page, context } = await shopper();
  await addToCart(page, "belt", "Leather Belt", /^85 cm/);
  const script = new URL(stack.STACK_URL).origin + "/api/demo/stripe.js";
  await context.route(script, (route) => route.abort("internetdisconnected"));
  await page.goto(`${SHOP}/checkout`);
  await fillCheckout(page, "alan@example.com");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByRole("alert").filter({ hasText: "The payment form could not be loaded: Stripe.js did not load." }).waitFor();
  await context.unroute(script);
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByLabel("Card number").waitFor();

  // Loaded, but its payment form fails to mount, as when Stripe rejects the client secret.
  const brokenForm = `window.Stripe = () => ({
    elements: () => ({
      create: () => {
        const listeners = {};
        return {
          on(name, listener) { listeners[name] = listener; },
          mount() { setTimeout(() => listeners.loaderror?.({ error: { message: "the form was refused" } })); },
        };
      },
    }),
  });`;
  await context.route(script, (route) => route.fulfill({ contentType: "text/javascript", body: brokenForm }));
  await page.reload();
  await page.getByRole("alert").filter({ hasText: "The payment form could not be shown: the form was refused." }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Try again" }).isVisible(), true);
  await context.unroute(script);
  await page.reload();

  await page.getByLabel("Card number").waitFor();
  await pay(page, "4242 4242 4242 4242");
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  await context.close();
});

test("a variant on sale, shipped to Paris with a promotion code: Stripe charges the summary's total", async () => {
  const { page, context, problems } = await shopper();
  await page.goto(`${SHOP}/products/rain-jacket`);
  const jacket = page.getByLabel(/^M \/ Yellow/);
  await jacket.waitFor();
  assert.match(await jacket.evaluate((label) => label.closest("label").textContent), /Was €179\.00\s*now €139\.00/);
  assert.equal(await page.locator("label", { has: jacket }).locator("del").first().textContent(), "Was €179.00");
  await jacket.check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("added to your cart").waitFor();
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.locator(".line del").filter({ hasText: "€179.00" }).waitFor();

  // A code of the admin's, typed in lower case: 10 % off the sale price.
  const code = `SALE${Date.now().toString(36)}`.toUpperCase();
  const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };
  const created = await fetch(`${SHOP}/api/v1/admin/promotions`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ code, percent_off_bp: 1000 }),
  });
  assert.equal(created.status, 201);
  await page.goto(`${SHOP}/checkout`);
  await fillCheckout(page, "sale@example.com");
  await page.getByLabel("Code", { exact: true }).fill(code.toLowerCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await page.locator(".promotion-applied").filter({ hasText: code }).waitFor();
  assert.match(await page.locator(".totals .discount dd").innerText(), /−€13\.90/, "10 % of the sale price");
  assert.match(await page.locator(".totals .subtotal").innerText(), /€139\.00/, "the summary counts the sale price");
  const total = await summaryTotal(page);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByLabel("Card number").waitFor();
  const pending = JSON.parse(await page.evaluate(() => localStorage.getItem("shop.checkout")));
  await pay(page, "4242 4242 4242 4242");
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  await page.locator("del").filter({ hasText: "€179.00" }).waitFor();
  const intent = await (await stripeFetch(`/v1/payment_intents/${pending.clientSecret.split("_secret_")[0]}`, { method: "GET" })).json();
  assert.equal(intent.amount, cents(total), "Stripe charged the summary's total: sale price, discount and shipping");
  assert.equal(intent.shipping.address.city, "Paris");
  assert.match(await page.locator(".totals .discount dd").innerText(), /−€13\.90/, "the order keeps its discount");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the checkout shows each wrong address field beside it, then the methods for the saved address", async () => {
  const { page, context, problems } = await shopper();
  await addToCart(page, "mug", "Ceramic Mug", null);
  await page.goto(`${SHOP}/checkout`);
  const shipping = page.getByRole("group", { name: "Shipping address" });
  const field = (label) => shipping.getByLabel(label, { exact: true });
  const continueButton = page.getByRole("button", { name: "Continue to payment" });
  assert.equal(await continueButton.isDisabled(), true, "no payment before an address and a method");
  await page.getByText("Save your shipping address to continue.").waitFor();

  // Blank: said before any request, with focus on the first field to fix.
  await field("Country").selectOption("");
  await page.getByRole("button", { name: "Save address" }).click();
  await page.getByText("Enter the full name.").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "shipping-name");
  assert.equal(await field("Country").getAttribute("aria-invalid"), "true");

  // Wrong: every field the server refuses carries its message, tied to the input.
  await fillShippingAddress(page, { ...PARIS, postal_code: "<75001>" });
  await field("Phone (optional)").fill("0123");
  await page.getByRole("button", { name: "Save address" }).click();
  await shipping.locator("#shipping-postal_code-error").waitFor();
  // Focus on the first wrong field, which reads out its message.
  await page.waitForFunction(() => document.activeElement?.id === "shipping-postal_code");
  assert.equal(await field("Postal code").getAttribute("aria-invalid"), "true");
  assert.match(await field("Postal code").getAttribute("aria-describedby"), /shipping-postal_code-error/);
  assert.match(await shipping.locator("#shipping-postal_code-error").innerText(), /letters, digits/);
  assert.match(await shipping.locator("#shipping-phone-error").innerText(), /international form/);
  assert.equal(await field("Full name").getAttribute("aria-invalid"), null);

  // A country the shop does not ship to is refused beside the country.
  await fillShippingAddress(page, { ...PARIS, country: "AQ" });
  await field("Phone (optional)").fill("+33 1 23 45 67 89");
  await page.getByRole("button", { name: "Save address" }).click();
  await shipping.locator("#shipping-country-error").filter({ hasText: "does not ship to AQ" }).waitFor();

  await fillShippingAddress(page, PARIS);
  await page.getByRole("button", { name: "Save address" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const methods = page.getByRole("group", { name: "Shipping method" }).getByRole("radio");
  await methods.first().waitFor();
  assert.ok((await methods.count()) >= 2, "Standard and Express");
  await page.getByRole("radio", { name: /^Standard/ }).waitFor();
  await page.getByRole("radio", { name: /^Express/ }).check();
  await page.locator(".totals .shipping dd").filter({ hasNotText: "Choose a shipping method" }).waitFor();
  await page.getByRole("radio", { name: /^Standard/ }).check();
  await page.waitForFunction(() => !document.querySelector("#payment-blocker"));

  // A billing address of its own: a second form, saved with the first.
  await page.getByLabel("Billing address is the same as shipping").uncheck();
  const billing = page.getByRole("group", { name: "Billing address" });
  await billing.getByLabel("Full name", { exact: true }).fill("Analytical Engines Ltd");
  await billing.getByLabel("Address line 1", { exact: true }).fill("12 St James's Square");
  await billing.getByLabel("Town or city", { exact: true }).fill("London");
  await billing.getByLabel("Postal code", { exact: true }).fill("SW1Y 4JH");
  await billing.getByLabel("Country", { exact: true }).selectOption("GB");
  assert.equal(await continueButton.isDisabled(), true, "unsaved changes hold the payment back");
  await page.getByRole("button", { name: "Save addresses" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const cart = await page.evaluate(async () => {
    const key = JSON.parse(localStorage.getItem("shop.cart"));
    return (await fetch(`/api/v1/carts/${key.id}`, { headers: { "cart-secret": key.secret } })).json();
  });
  assert.equal(cart.billing_same_as_shipping, false);
  assert.equal(cart.billing_address.country, "GB");
  assert.equal(cart.shipping_address.country, "FR");
  assert.match(cart.shipping_method.name, /^Standard/);

  await page.getByLabel(/^Email/).fill("ada@example.com");
  await continueButton.click();
  await page.getByLabel("Card number").waitFor();
  // The refusals are answers the page expects, but Chromium logs each as a failed load.
  assert.deepEqual(problems.filter((problem) => !problem.includes("status of 422")), []);
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
  await fillCheckout(page, "ada@example.com");
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
