// Customer accounts, in Chromium through nginx, against the native stack and its mail sink: a
// guest buys, fills the cart again, then signs up with the same address and confirms it from the
// emailed link with the password; the guest order is in the account, and the cart came along. The address book's default fills the next
// checkout, whose order joins the account too. The shopper downloads their data, cannot delete
// the account while its orders are unshipped, deletes it once they are shipped, and can no longer
// sign in. axe-core checks every account screen on the way.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { SHOP, stack } from "../../harness/stack.mjs";
import { emailTo } from "./mail.mjs";
import {
  addToCart,
  assertAccessible,
  chooseFirstShippingMethod,
  closeBrowser,
  launchBrowser,
  pay,
  shopper,
  shots,
  summaryTotal,
  toPayment,
} from "./shopper.mjs";

before(launchBrowser);
after(closeBrowser);

// Not a common one, and without the email address's name in it.
const PASSWORD = "violet staple harbour 42";

const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };

/** The reference the storefront gives an order: its id's first 8 hex digits, upper-cased. */
const referenceOf = (orderId) => orderId.replace(/-/g, "").slice(0, 8).toUpperCase();

/** The order the page's address names (/orders/{id}). */
function orderIdOf(page) {
  const id = /\/orders\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  assert.ok(id, `the order page's address names the order: ${page.url()}`);
  return id;
}

/** Pays in the demo card form and waits until the order page says paid; answers the order's id. */
async function payAndWait(page) {
  await pay(page, "4242 4242 4242 4242");
  await page.waitForURL(/\/orders\//);
  await page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
  return orderIdOf(page);
}

/** The admin records one parcel with every line of the order, as the back office does. */
async function shipWhole(orderId) {
  const read = await fetch(`${SHOP}/api/v1/admin/orders/${orderId}`, { headers: admin });
  assert.equal(read.status, 200);
  const { lines } = await read.json();
  const shipped = await fetch(`${SHOP}/api/v1/admin/orders/${orderId}/fulfillments`, {
    method: "POST",
    headers: { ...admin, "idempotency-key": `account-${randomUUID()}` },
    body: JSON.stringify({
      lines: lines.map((line) => ({ line_id: line.id, quantity: line.quantity })),
      carrier: "La Poste",
      tracking_number: "6A12345678901",
    }),
  });
  assert.equal(shipped.status, 201, await shipped.text());
}

test(
  "a guest's order joins the account they open; the address book fills the next checkout; the data is exported and the account erased",
  { skip: stack.STACK_MAIL_URL ? false : "the stack has no mail sink (SMTP_URL names a real server)" },
  async () => {
    const config = await (await fetch(`${SHOP}/api/v1/config`)).json();
    assert.equal(config.accounts_enabled, true, "a shop that sends email has accounts");
    const email = `account-${Date.now()}@example.com`;
    const { page, context, problems } = await shopper();
    const nav = page.getByRole("navigation", { name: "Main" });
    const accountNav = page.getByRole("navigation", { name: "Account" });

    // 1. A purchase as a guest.
    await addToCart(page, "beanie", "Wool Beanie", /^Mustard/);
    await toPayment(page, email);
    const guestOrder = await payAndWait(page);
    // What the guest puts in the cart next survives signing in: it joins the account's cart.
    await addToCart(page, "mug", "Ceramic Mug", null);

    // 2. Sign up with the same address: a weak password is refused beside its field, then the
    // confirmation link comes by email, and opens with the password chosen.
    await nav.getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(`${SHOP}/account/sign-in`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await assertAccessible(page, "the sign-in form");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(`${SHOP}/account/sign-up`);
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await assertAccessible(page, "the sign-up form");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("password1234");
    await page.getByRole("button", { name: "Create account" }).click();
    const weak = page.locator("#sign-up-password-error");
    await weak.waitFor();
    assert.match(await weak.innerText(), /tried first/, "the server's reason is shown beside the password");
    assert.equal(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid"), "true");
    await assertAccessible(page, "the sign-up form with a refused password");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
    await assertAccessible(page, "check your inbox");

    const mailed = await emailTo(email, "confirmation link", (m) => m.subject.endsWith("Confirm your email address"));
    const link = /https?:\/\/\S+\/account\/verify#token=[A-Za-z0-9._~-]+/.exec(mailed.text)?.[0];
    assert.ok(link, `the email holds a link with its token:\n${mailed.text}`);
    assert.equal(new URL(link).origin, new URL(SHOP).origin, "the link points at this shop");
    await page.goto(link);
    await page.getByRole("heading", { name: "Confirm your email address" }).waitFor();
    await assertAccessible(page, "the confirmation form");
    await page.getByLabel("Password", { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await page.locator("#verify-password-error").filter({ hasText: "not the password you chose" }).waitFor();
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await page.getByRole("heading", { name: "Your address is confirmed" }).waitFor();
    await page.getByRole("status").filter({ hasText: "The order you placed as a guest with this address is now in your account." }).waitFor();
    await assertAccessible(page, "the address confirmed");
    const accountLink = nav.getByRole("link", { name: `Account (${email})` });
    await accountLink.waitFor();
    await nav.getByRole("button", { name: "Sign out" }).waitFor();
    await nav.getByLabel("1 items").waitFor();

    // 3. The guest order is in the account's orders, and opens there.
    await accountLink.click();
    await page.waitForURL(`${SHOP}/account`);
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    await page.getByText(email, { exact: true }).waitFor();
    await assertAccessible(page, "the account's profile");
    await accountNav.getByRole("link", { name: "Orders" }).click();
    await page.waitForURL(`${SHOP}/account/orders`);
    await page.getByRole("heading", { name: "Your orders" }).waitFor();
    const guestReference = referenceOf(guestOrder);
    await page.locator(".found-order").getByRole("link", { name: `Order ${guestReference}` }).waitFor();
    assert.equal(await page.locator(".found-order").count(), 1);
    await assertAccessible(page, "the account's orders");
    await page.getByRole("link", { name: `Order ${guestReference}` }).click();
    await page.waitForURL(`${SHOP}/account/orders/${guestOrder}`);
    await page.getByRole("heading", { name: `Order ${guestReference}` }).waitFor();
    await page.getByText("Paid. Thank you for your order!").waitFor();
    await assertAccessible(page, "an order of the account");

    // 4. An address in the book, the default for shipping and billing; a wrong field first.
    await page.goto(`${SHOP}/account/addresses`);
    await page.getByRole("heading", { name: "Your address book" }).waitFor();
    await page.getByText("Your address book is empty.").waitFor();
    await assertAccessible(page, "the empty address book");
    await page.getByRole("button", { name: "Add an address" }).click();
    const form = page.getByRole("form", { name: "Add an address" });
    await form.getByLabel("Full name", { exact: true }).fill("Ada Lovelace");
    await form.getByLabel("Address line 1", { exact: true }).fill("12 Rue de Rivoli");
    await form.getByLabel("Town or city", { exact: true }).fill("Paris");
    await form.getByLabel("Postal code", { exact: true }).fill("<75001>");
    await form.getByLabel("Country", { exact: true }).selectOption("FR");
    assert.ok(await form.getByLabel("Default shipping address").isChecked(), "the first address is the default for shipping");
    assert.ok(await form.getByLabel("Default billing address").isChecked(), "and for billing");
    await form.getByRole("button", { name: "Save address" }).click();
    await page.locator("#book-postal_code-error").waitFor();
    await assertAccessible(page, "an address with a wrong field");
    await form.getByLabel("Postal code", { exact: true }).fill("75001");
    await form.getByRole("button", { name: "Save address" }).click();
    await page.getByRole("status").filter({ hasText: "The address is saved." }).waitFor();
    const entry = page.locator(".saved-address");
    assert.equal(await entry.count(), 1);
    assert.match(await entry.innerText(), /12 Rue de Rivoli[\s\S]*Default shipping[\s\S]*Default billing/);
    await assertAccessible(page, "the address book");
    await page.screenshot({ path: `${shots}/account-addresses.png`, fullPage: true });

    // A second purchase, signed in, of the mug put in the cart before signing in: the receipt goes
    // to the account's address, and the saved address is filled in and chosen in the picker.
    await page.goto(`${SHOP}/cart`);
    await page.getByRole("link", { name: "Ceramic Mug" }).first().waitFor();
    await page.goto(`${SHOP}/checkout`);
    const receipt = page.getByLabel(/^Email/);
    await receipt.waitFor();
    assert.equal(await receipt.inputValue(), email, "the receipt goes to the account's address");
    assert.equal(await receipt.getAttribute("readonly"), "", "which cannot be changed here");
    const picker = page.getByLabel("Saved shipping addresses");
    await picker.waitFor();
    await page.waitForFunction(() => document.querySelector("#saved-shipping-address")?.value !== "");
    assert.match(await page.locator("#saved-shipping-address option:checked").innerText(), /12 Rue de Rivoli/);
    const shipping = page.getByRole("group", { name: "Shipping address" });
    assert.equal(await shipping.getByLabel("Full name", { exact: true }).inputValue(), "Ada Lovelace");
    assert.equal(await shipping.getByLabel("Postal code", { exact: true }).inputValue(), "75001");
    assert.equal(await shipping.getByLabel("Country", { exact: true }).inputValue(), "FR");
    await assertAccessible(page, "the checkout of a signed-in shopper");
    await page.screenshot({ path: `${shots}/account-checkout.png`, fullPage: true });
    await page.getByRole("button", { name: "Save address" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await chooseFirstShippingMethod(page);
    const total = await summaryTotal(page);
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await page.getByLabel("Card number").waitFor();
    const accountOrder = await payAndWait(page);
    assert.ok((await page.locator(".totals .total dd").innerText()).includes(total), `the order's total is the summary's ${total}`);
    await page.getByText(`A receipt goes to ${email}.`).waitFor();

    await page.goto(`${SHOP}/account/orders`);
    await page.getByRole("link", { name: `Order ${referenceOf(accountOrder)}` }).waitFor();
    assert.equal(await page.locator(".found-order").count(), 2, "both orders are the account's");
    await page.screenshot({ path: `${shots}/account-orders.png`, fullPage: true });

    // 5. The shopper's data, downloaded as a file.
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Profile" }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
    assert.equal(download.suggestedFilename(), "my-data.json");
    const data = JSON.parse(await readFile(await download.path(), "utf8"));
    assert.equal(data.profile.email, email);
    assert.equal(data.orders.length, 2, "the export holds both orders");
    assert.deepEqual(data.orders.map((order) => order.id).sort(), [guestOrder, accountOrder].sort());
    assert.equal(data.addresses.length, 1, "and the one address");
    await page.getByRole("status").filter({ hasText: "my-data.json" }).waitFor();

    // 6. Deleting the account: refused while its orders are unshipped, each named with a link;
    // done once they are shipped. Afterwards the password signs nobody in.
    await accountNav.getByRole("link", { name: "Delete account" }).click();
    await page.waitForURL(`${SHOP}/account/delete`);
    await page.getByRole("heading", { name: "Delete your account" }).waitFor();
    await assertAccessible(page, "the account's deletion");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "not finished yet" });
    await refusal.waitFor();
    for (const id of [guestOrder, accountOrder]) {
      assert.equal(await refusal.getByRole("link", { name: `Order ${referenceOf(id)}` }).getAttribute("href"), `/account/orders/${id}`);
    }
    await assertAccessible(page, "a deletion refused for open orders");

    await shipWhole(guestOrder);
    await shipWhole(accountOrder);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(`${SHOP}/account/deleted`);
    await page.getByRole("heading", { name: "Your account is deleted" }).waitFor();
    await nav.getByRole("link", { name: "Sign in" }).waitFor();
    await assertAccessible(page, "the account deleted");

    await nav.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email address or the password is not right." }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/account/sign-in");
    await assertAccessible(page, "a refused sign-in");

    // The screens no step of the story opens: a forgotten password, and a reset link gone wrong.
    await page.goto(`${SHOP}/account/forgot-password`);
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await assertAccessible(page, "the forgotten password form");
    await page.goto(`${SHOP}/account/reset#token=not-a-real-token`);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await assertAccessible(page, "the new password form");
    await page.goto(`${SHOP}/account/reset`);
    await page.getByText("This link is not valid or has expired.").waitFor();

    // The refusals above are answers the pages expect, but Chromium logs each as a failed load.
    assert.deepEqual(
      problems.filter((problem) => !/status of (401|409|422)/.test(problem)),
      [],
    );
    await context.close();
  },
);
