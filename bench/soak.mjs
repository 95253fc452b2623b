// A bounded soak of the native stack through nginx: mixed shopper traffic (browse, search,
// product pages, cart writes, checkouts, payments whose webhooks come back through nginx) at a
// fixed concurrency for a fixed time. Prints what happened and checks that nothing was lost.
//
//   scripts/stack up && node bench/soak.mjs [--seconds 60] [--concurrency 16] [--smtp-down 0.5]
//
// With the stack's mail sink, the mail server refuses every message (451) for the first
// `--smtp-down` share of the run, as an outage would.
//
// Pass: no 5xx, every checkout that answered 201 has exactly one order and one PaymentIntent,
// every paid PaymentIntent's order is paid, the API's memory stays flat, and every email the
// outbox holds was received exactly once by the mail server, or is failed (and so visible to the
// admin); none is left pending.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pay, stack } from "../harness/stack.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const SECONDS = arg("seconds", 60);
const CONCURRENCY = arg("concurrency", 16);
const SMTP_DOWN = arg("smtp-down", 0.5);
const MAIL = stack.STACK_MAIL_URL;
const SHOP = stack.STACK_URL;

const latencies = [];
const statuses = new Map();
let requests = 0;
const checkouts = []; // { orderId, orderSecret, intentId, paid }

async function call(path, init = {}) {
  const started = performance.now();
  let status = 0;
  let body = null;
  try {
    const response = await fetch(`${SHOP}${path}`, init);
    status = response.status;
    body = await response.json().catch(() => null);
  } catch {
    status = 0; // connection failure
  }
  latencies.push(performance.now() - started);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  requests += 1;
  return { status, body };
}

const apiPids = () => stack.STACK_API_PIDS.trim().split(/\s+/).map(Number);

const rssKb = () =>
  apiPids().reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0), 0);

const sql = (query) =>
  execFileSync("psql", [stack.STACK_DATABASE_URL, "-tAc", query]).toString().trim();

// A call nginx's per-client limit refused is tried again shortly, as a shopper's browser would:
// the soak's shoppers all come from one address, and a checkout takes several calls in a row.
async function patiently(path, init = {}) {
  for (let tries = 1; ; tries++) {
    const answer = await call(path, init);
    if (answer.status !== 429 || tries === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A shopper in Paris (the seeded zones ship there) with the first shipping option.
async function deliver(cartId, headers) {
  const address = await patiently(`/api/v1/carts/${cartId}/shipping-address`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ name: "Soak Shopper", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" }),
  });
  if (address.status !== 200) return false;
  const options = await patiently(`/api/v1/carts/${cartId}/shipping-options`, { headers });
  const rate = options.body?.options?.[0]?.rate_id;
  if (!rate) return false;
  const method = await patiently(`/api/v1/carts/${cartId}/shipping-method`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ rate_id: rate }),
  });
  return method.status === 200;
}

async function shopper(products, deadline) {
  while (Date.now() < deadline) {
    const roll = Math.random();
    if (roll < 0.4) {
      await call(`/api/v1/products?limit=24&page=${1 + Math.floor(Math.random() * 2)}`);
    } else if (roll < 0.55) {
      await call(`/api/v1/products?q=${["shirt", "jacket", "mug", "wool"][Math.floor(Math.random() * 4)]}`);
    } else if (roll < 0.75) {
      await call(`/api/v1/products/${products[Math.floor(Math.random() * products.length)].slug}`);
    } else {
      // A cart with one item, and sometimes a checkout and a payment.
      const cart = await call("/api/v1/carts", { method: "POST" });
      if (cart.status !== 201) continue;
      const product = await call(`/api/v1/products/${products[Math.floor(Math.random() * products.length)].slug}`);
      const variant = product.body?.variants?.find((v) => v.in_stock);
      if (!variant) continue;
      const headers = { "content-type": "application/json", "cart-secret": cart.body.secret };
      const added = await call(`/api/v1/carts/${cart.body.id}/items`, {
        method: "POST",
        headers,
        body: JSON.stringify({ variant_id: variant.id, quantity: 1 }),
      });
      if (added.status !== 200 || Math.random() < 0.5) continue;
      if (!(await deliver(cart.body.id, headers))) continue;
      const session = await patiently("/api/v1/checkout/sessions", {
        method: "POST",
        headers: { ...headers, "idempotency-key": `soak-${cart.body.id}` },
        body: JSON.stringify({ cart_id: cart.body.id, email: "soak@example.com" }),
      });
      if (session.status !== 201) continue;
      const intentId = session.body.client_secret.split("_secret_")[0];
      const entry = { orderId: session.body.order_id, orderSecret: session.body.order_secret, intentId, paid: false };
      checkouts.push(entry);
      if (Math.random() < 0.7) entry.paid = await pay(intentId);
    }
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const products = (await (await fetch(`${SHOP}/api/v1/products?limit=100`)).json()).items;
for (const product of products) {
  // Enough stock that the soak measures the shop, not running out.
  const detail = await (await fetch(`${SHOP}/api/v1/products/${product.slug}`)).json();
  for (const variant of detail.variants) {
    await fetch(`${SHOP}/api/v1/admin/variants/${variant.id}/stock`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ delta: 10000 }),
    });
  }
}
const memoryBefore = rssKb();
const started = Date.now();
const deadline = started + SECONDS * 1000;
let peakConnections = 0;
const sampler = setInterval(() => {
  peakConnections = Math.max(peakConnections, Number(sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")));
}, 1000);
// The outage: the first SMTP_DOWN of the run, timed by the database's clock so that the emails
// written during it can be counted.
const mailRules = (init) => fetch(`${MAIL}/_config/rules`, init);
let outage = Promise.resolve();
const outageWindow = {};
if (MAIL && SMTP_DOWN > 0) {
  await mailRules({ method: "DELETE" });
  await mailRules({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to: null, action: "defer" }),
  });
  outageWindow.start = sql("SELECT clock_timestamp()");
  outage = (async () => {
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000 * SMTP_DOWN));
    outageWindow.end = sql("SELECT clock_timestamp()");
    await mailRules({ method: "DELETE" });
  })();
}
await Promise.all(Array.from({ length: CONCURRENCY }, () => shopper(products, deadline)));
await outage;
clearInterval(sampler);
const elapsed = (Date.now() - started) / 1000;

// Let the last webhooks arrive (localstripe sends them about a second after payment).
await new Promise((resolve) => setTimeout(resolve, 3000));
const memoryAfter = rssKb();

const sorted = latencies.slice().sort((a, b) => a - b);
const serverErrors = [...statuses].filter(([status]) => status >= 500 || status === 0).reduce((n, [, c]) => n + c, 0);
const orderIds = checkouts.map((c) => c.orderId);
const ordersInDb = Number(sql(`SELECT count(*) FROM orders WHERE id IN (${orderIds.map((id) => `'${id}'`).join(",") || "NULL"})`));
const distinctIntents = new Set(checkouts.map((c) => c.intentId)).size;
const paidInShop = checkouts.length
  ? Number(sql(`SELECT count(*) FROM orders WHERE status = 'paid' AND id IN (${checkouts.filter((c) => c.paid).map((c) => `'${c.orderId}'`).join(",") || "NULL"})`))
  : 0;
const paidAtStripe = checkouts.filter((c) => c.paid).length;

console.log(`soak: ${SECONDS}s at ${CONCURRENCY} shoppers through nginx (${stack.STACK_API_URLS.trim().split(/\s+/).length} API process(es))`);
console.log(`requests: ${requests} (${(requests / elapsed).toFixed(0)}/s)`);
console.log(`statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s || "failed"}=${c}`).join(" ")}`);
console.log(`latency: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
console.log(`API memory (RSS, all processes): ${(memoryBefore / 1024).toFixed(1)} MB at start, ${(memoryAfter / 1024).toFixed(1)} MB at end`);
console.log(`database connections in use: peak ${peakConnections}`);
console.log(`checkouts: ${checkouts.length} sessions, ${ordersInDb} orders, ${distinctIntents} PaymentIntents; paid at Stripe ${paidAtStripe}, paid in the shop ${paidInShop}`);

// Email: wait out the back-off of what the outage deferred, then hold the outbox against what the
// mail server received, by Message-ID.
const emailFailures = [];
if (MAIL) {
  const waitUntil = Date.now() + 90_000;
  while (Number(sql("SELECT count(*) FROM emails WHERE status = 'pending'")) > 0 && Date.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const rows = sql("SELECT id, status, attempts FROM emails")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [id, status, attempts] = line.split("|");
      return { messageId: `<${id.replaceAll("-", "")}@shop.example>`, status, attempts: Number(attempts) };
    });
  const received = new Map();
  for (const message of await (await fetch(`${MAIL}/messages`)).json()) {
    received.set(message.message_id, (received.get(message.message_id) ?? 0) + 1);
  }
  const count = (status) => rows.filter((row) => row.status === status).length;
  const retried = rows.reduce((sum, row) => sum + Math.max(0, row.attempts - (row.status === "sent" ? 1 : 0)), 0);
  const duringOutage = outageWindow.start
    ? Number(sql(`SELECT count(*) FROM emails WHERE created_at BETWEEN '${outageWindow.start}' AND '${outageWindow.end}'`))
    : 0;
  console.log(
    `email: ${rows.length} in the outbox (sent ${count("sent")}, failed ${count("failed")}, pending ${count("pending")}); ` +
      `${duringOutage} written during the ${(SECONDS * SMTP_DOWN).toFixed(0)} s outage; ${retried} attempts refused and retried; ` +
      `${[...received.values()].reduce((a, b) => a + b, 0)} messages received`,
  );
  if (count("pending") > 0) emailFailures.push(`${count("pending")} emails still pending`);
  const notOnce = rows.filter((row) => row.status === "sent" && received.get(row.messageId) !== 1);
  if (notOnce.length) emailFailures.push(`${notOnce.length} sent emails were not received exactly once`);
  const paidOrders = Number(sql("SELECT count(*) FROM orders WHERE status = 'paid'"));
  const receipts = Number(sql("SELECT count(*) FROM emails WHERE kind = 'order_paid'"));
  if (receipts < paidOrders) emailFailures.push(`${paidOrders - receipts} paid orders have no receipt`);
  if (SMTP_DOWN > 0 && (duringOutage === 0 || retried === 0)) emailFailures.push("no email met the outage");
}

const failures = [...emailFailures];
if (serverErrors > 0) failures.push(`${serverErrors} responses were 5xx or failed`);
if (ordersInDb !== checkouts.length || distinctIntents !== checkouts.length) failures.push("orders or PaymentIntents lost or duplicated");
if (checkouts.length === 0) failures.push("no checkout got through, so no payment was soaked");
if (paidInShop !== paidAtStripe) failures.push(`${paidAtStripe - paidInShop} paid PaymentIntents left their orders unpaid`);
if (memoryAfter > memoryBefore * 1.5 + 10 * 1024) failures.push("API memory grew");
console.log(failures.length ? `FAIL: ${failures.join("; ")}` : "PASS");
process.exit(failures.length ? 1 : 0);
