// A newcomer's first purchase in the storefront, in demo mode: opens the shop, puts the first
// product in stock in the cart, checks out to an address in Paris by the first shipping method,
// pays with 4242 4242 4242 4242 through the demo Stripe.js, and waits until the order page says
// paid (the fake Stripe's webhook reached the API). Used by browser-purchase.mjs (any running shop)
// and the HTTPS test.

/** Buys as a newcomer at `shop`; `problems` is emptied when a retry makes earlier errors moot. */
export async function newcomerBuys(page, shop, problems = []) {
  await page.goto(shop);
  await page.getByText("Demo payments: no real money.").waitFor();
  // The first product that can be bought: the shop may hold more than the demo catalog.
  await page.locator(".card").filter({ hasNot: page.getByText("Out of stock") }).first().locator("a").first().click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("added to your cart").waitFor();
  await page.goto(`${shop}/checkout`);
  await page.getByLabel(/^Email/).fill("newcomer@example.com");
  const address = page.getByRole("group", { name: "Shipping address" });
  await address.getByLabel("Full name", { exact: true }).fill("Ada Lovelace");
  await address.getByLabel("Address line 1", { exact: true }).fill("12 Rue de Rivoli");
  await address.getByLabel("Town or city", { exact: true }).fill("Paris");
  await address.getByLabel("Postal code", { exact: true }).fill("75001");
  await address.getByLabel("Country", { exact: true }).selectOption("FR");
  await page.getByRole("button", { name: /^Save address/ }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await page.getByRole("group", { name: "Shipping method" }).getByRole("radio").first().check();
  // Enabled once the method is saved. A checkout the shop could not start (the demo's fake Stripe
  // unreachable a moment after start) says so; a newcomer tries again, and so does this.
  for (let attempt = 1; ; attempt++) {
    await page.getByRole("button", { name: "Continue to payment" }).click();
    const outcome = await Promise.race([
      page.getByLabel("Card number").waitFor().then(() => "card"),
      page.locator("#checkout-payment [role=alert]").waitFor().then(() => "refused"),
    ]);
    if (outcome === "card") break;
    const said = await page.locator("#checkout-payment [role=alert]").innerText();
    if (attempt === 3) throw new Error(`the checkout could not start: ${said}`);
    console.error(`attempt ${attempt}: the checkout could not start (${said}); trying again`);
    problems.length = 0;
    await page.waitForTimeout(2000);
  }
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  const paid = await Promise.race([
    page.waitForURL(/\/orders\//, { timeout: 60_000 }).then(() => null),
    page.locator("form[aria-label=Payment] [role=alert]").waitFor({ timeout: 60_000 }).then(() => "refused"),
  ]);
  if (paid === "refused") {
    const said = await page.locator("form[aria-label=Payment] [role=alert]").innerText();
    throw new Error(`the payment did not go through: ${said}`);
  }
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 30_000 });
}
