// After the payment, by email, against the native stack and its mail sink: the receipt, the
// shipping notice once the admin records a parcel, and "Find my order", whose emailed link opens
// the shopper's orders in another browser with nothing stored, down to the parcel's tracking.
// Runs before http.e2e.test.mjs, which uses up this client's allowance of lookup links.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { SHOP, stack } from "../../harness/stack.mjs";
import { emailTo } from "./mail.mjs";
import { addToCart, assertAccessible, cents, closeBrowser, launchBrowser, pay, shopper, shots, toPayment } from "./shopper.mjs";

before(launchBrowser);
after(closeBrowser);

const CARRIER = "La Poste";
const TRACKING_NUMBER = "6A12345678901";
const TRACKING_URL = `https://www.laposte.fr/outils/suivre-vos-envois?code=${TRACKING_NUMBER}`;

const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };

/** The reference the emails and the storefront give an order: its id's first 8 hex digits, upper-cased. */
const referenceOf = (orderId) => orderId.replace(/-/g, "").slice(0, 8).toUpperCase();

test(
  "the receipt and the shipping notice are emailed, and the emailed lookup link opens the order in a fresh browser",
  { skip: stack.STACK_MAIL_URL ? false : "the stack has no mail sink (SMTP_URL names a real server)" },
  async () => {
    const email = `after-payment-${Date.now()}@example.com`;

    // 1. A purchase, by card, in the shopper's own browser.
    const buyer = await shopper();
    await addToCart(buyer.page, "beanie", "Wool Beanie", /^Mustard/);
    const { total: summary } = await toPayment(buyer.page, email);
    await pay(buyer.page, "4242 4242 4242 4242");
    await buyer.page.waitForURL(/\/orders\//);
    await buyer.page.getByText("Paid. Thank you for your order!").waitFor({ timeout: 20_000 });
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(buyer.page.url())?.[1];
    assert.ok(orderId, `the order page's address names the order: ${buyer.page.url()}`);
    const reference = referenceOf(orderId);
    await buyer.page.getByRole("heading", { name: `Order ${reference}` }).waitFor();
    const shownTotal = (await buyer.page.locator(".totals .total dd").innerText()).trim();
    assert.equal(shownTotal, summary, "the order's total is the checkout summary's");

    // 2. The receipt: the item, and the total the page shows ("€22.00" there, "22.00 EUR" here).
    const receipt = await emailTo(email, "receipt", (m) => m.subject.includes("is confirmed"));
    assert.match(receipt.subject, new RegExp(`Your order ${reference} is confirmed$`));
    assert.match(receipt.text, /Wool Beanie/);
    const emailedTotal = /^Total: (\d+(?:\.\d+)?) EUR$/m.exec(receipt.text);
    assert.ok(emailedTotal, `the receipt states its total:\n${receipt.text}`);
    assert.equal(Math.round(Number(emailedTotal[1]) * 100), cents(shownTotal), "the receipt's total is the page's");

    // 3. The admin ships the order's line in one parcel.
    const adminOrder = await fetch(`${SHOP}/api/v1/admin/orders/${orderId}`, { headers: admin });
    assert.equal(adminOrder.status, 200);
    const [line] = (await adminOrder.json()).lines;
    assert.ok(line, "the order has its line");
    const shipped = await fetch(`${SHOP}/api/v1/admin/orders/${orderId}/fulfillments`, {
      method: "POST",
      headers: { ...admin, "idempotency-key": `after-payment-${randomUUID()}` },
      body: JSON.stringify({
        lines: [{ line_id: line.id, quantity: line.quantity }],
        carrier: CARRIER,
        tracking_number: TRACKING_NUMBER,
        tracking_url: TRACKING_URL,
      }),
    });
    assert.equal(shipped.status, 201, await shipped.text());

    // 4. The shipping notice, with the tracking number.
    const notice = await emailTo(email, "shipping notice", (m) => m.subject.includes("has shipped"));
    assert.match(notice.subject, new RegExp(`Your order ${reference} has shipped$`));
    assert.ok(notice.text.includes(TRACKING_NUMBER), `the notice gives the tracking number:\n${notice.text}`);

    // 5. "Find my order", from the site's navigation: a link by email.
    await buyer.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Find my order" }).click();
    await buyer.page.waitForURL(`${SHOP}/orders/find`);
    await buyer.page.getByRole("heading", { name: "Find my order" }).waitFor();
    await assertAccessible(buyer.page, "the find my order form");
    await buyer.page.getByLabel("Email", { exact: true }).fill(email);
    const askedAt = Date.now();
    const [asked] = await Promise.all([
      buyer.page.waitForResponse((r) => r.url() === `${SHOP}/api/v1/orders/lookup` && r.request().method() === "POST"),
      buyer.page.getByRole("button", { name: "Email me a link" }).click(),
    ]);
    assert.equal(asked.status(), 202);
    const { detail } = await asked.json();
    await buyer.page.getByRole("status").filter({ hasText: detail }).waitFor();
    assert.deepEqual(buyer.problems, []);
    await buyer.context.close();

    const mailed = await emailTo(email, "lookup link", (m) => m.subject.endsWith("Your orders"));
    const link = /https?:\/\/\S+#token=[A-Za-z0-9._~-]+/.exec(mailed.text)?.[0];
    assert.ok(link, `the email holds a link with its token:\n${mailed.text}`);
    assert.equal(new URL(link).origin, new URL(SHOP).origin, "the link points at this shop");
    assert.equal(new URL(link).pathname, "/orders/find");
    const token = new URL(link).hash.slice("#token=".length);

    // 6. Another device: a browser with nothing stored.
    const other = await shopper();
    const requested = [];
    other.page.on("request", (request) => requested.push(request));
    await other.page.goto(link);
    await other.page.getByRole("heading", { name: "Your orders" }).waitFor();
    const listed = other.page.locator(".found-order").filter({ has: other.page.getByRole("link", { name: `Order ${reference}` }) });
    await listed.waitFor();
    const facts = await listed.innerText();
    assert.match(facts, /Paid/);
    assert.match(facts, /Shipped/, "the list says the order has shipped");
    assert.ok(facts.includes(shownTotal), `the list shows the total ${shownTotal}: ${facts}`);
    await assertAccessible(other.page, "the orders an emailed link shows");
    await other.page.screenshot({ path: `${shots}/find-my-order.png`, fullPage: true });

    await listed.getByRole("link", { name: `Order ${reference}` }).click();
    await other.page.waitForURL(`${SHOP}/orders/${orderId}#lookup=${token}`);
    await other.page.getByRole("heading", { name: `Order ${reference}` }).waitFor();
    await other.page.getByText("Paid. Thank you for your order!").waitFor();
    const shipments = other.page.locator(".shipments");
    await shipments.getByText(CARRIER, { exact: true }).waitFor();
    await shipments.getByText(TRACKING_NUMBER, { exact: true }).waitFor();
    assert.match(await shipments.innerText(), /Shipped/);
    assert.equal(await shipments.getByRole("link", { name: /^Track parcel/ }).getAttribute("href"), TRACKING_URL);
    await other.page.screenshot({ path: `${shots}/order-shipped.png`, fullPage: true });

    // The token went in a header, never in a URL, and is kept nowhere.
    const lookups = requested.filter((r) => new URL(r.url()).pathname.startsWith("/api/v1/orders/"));
    assert.ok(lookups.length >= 2, "the list and the order were fetched");
    for (const request of lookups) assert.equal((await request.allHeaders())["lookup-token"], token, request.url());
    assert.deepEqual(
      requested.map((r) => r.url()).filter((url) => url.includes(token)),
      [],
      "no request carries the token in its URL",
    );
    const stored = await other.page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]));
    assert.ok(!stored.includes(token), `the token is stored nowhere: ${stored}`);
    assert.equal(await other.page.locator(".count").innerText(), "0", "opening an order leaves this browser's cart alone");
    assert.deepEqual(other.problems, []);
    await other.context.close();

    // A link altered on its way reads as one that never existed, and a new one is a click away.
    const altered = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    const stranger = await shopper();
    await stranger.page.goto(`${SHOP}/orders/find#token=${altered}`);
    await stranger.page.getByText("This link is not valid or has expired.").waitFor();
    await stranger.page.getByRole("button", { name: "Email me a link" }).waitFor();
    await stranger.page.goto(`${SHOP}/orders/${orderId}#lookup=${altered}`);
    await stranger.page.getByText("This link is not valid or has expired.").waitFor();
    assert.equal(await stranger.page.getByRole("main").getByRole("link", { name: "Find my order" }).getAttribute("href"), "/orders/find");
    // The 404s are answers the pages expect, but Chromium logs each as a failed load.
    assert.deepEqual(stranger.problems.filter((problem) => !problem.includes("status of 404")), []);
    await stranger.context.close();

    // nginx allows this client a link every 10 s: the next test file counts on a full allowance.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, askedAt + 12_000 - Date.now())));
  },
);
