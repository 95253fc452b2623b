// The crash scenario: shoppers check out and pay through nginx while every API process is killed
// with SIGKILL and started again, more than once. Webhooks that arrive while the API is down are
// lost (the fake Stripe server, like a Stripe outage window, does not retry them here).
// Shoppers whose checkout got no answer either retry it with the same Idempotency-Key, as the
// storefront does, or walk away. Then it waits for the shop to settle (reconciliation, expiry)
// and checks what a merchant's books need:
// - every PaymentIntent at the Stripe server belongs to exactly one order, and no order has two;
// - every succeeded PaymentIntent's order is paid, and every other order is cancelled with its
//   PaymentIntent no longer payable;
// - every variant's stock is its starting count minus what paid orders took; nothing stays held.
//
//   bench/prove runs it (with short reservation and reconciliation times), or:
//   scripts/stack up && node bench/crash.mjs [--seconds 30] [--concurrency 6] [--crashes 2]

import { execFile, execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { promisify } from "node:util";
import { stack as initialStack, pay, root, stripeFetch } from "../harness/stack.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const SECONDS = arg("seconds", 30);
const CONCURRENCY = arg("concurrency", 6);
const CRASHES = arg("crashes", 2);
const SETTLE_SECONDS = arg("settle", 120);
const STOCK = 1000;

const SHOP = initialStack.STACK_URL;
const API = initialStack.STACK_API_URLS.trim().split(/\s+/)[0];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sql = (query) => execFileSync("psql", [initialStack.STACK_DATABASE_URL, "-tAc", query]).toString().trim();
const rows = (query) => sql(query).split("\n").filter(Boolean).map((line) => line.split("|"));
const statuses = new Map();
const count = (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

// Each shopper comes from its own loopback address, so nginx's per-client limits apply to each
// as they would to real shoppers rather than to all of them as one.
function call(base, method, path, headers = {}, body, from = "127.0.0.1") {
  const payload = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve) => {
    const request = http.request(
      `${base}${path}`,
      {
        method,
        localAddress: from,
        timeout: 10_000,
        headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers } : headers,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          count(response.statusCode);
          let parsed = null;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: response.statusCode, body: parsed });
        });
        response.on("error", () => {
          count(0);
          resolve({ status: 0, body: null });
        });
      },
    );
    request.on("timeout", () => request.destroy());
    request.on("error", () => {
      count(0);
      resolve({ status: 0, body: null });
    });
    request.end(payload);
  });
}

// Products of its own, so that the stock arithmetic is exact whatever else the stack has seen.
const admin = { authorization: `Bearer ${initialStack.STACK_ADMIN_TOKEN}` };
const run = Date.now().toString(36);
const variants = [];
for (let p = 0; p < 3; p++) {
  const created = await call(API, "POST", "/api/v1/admin/products", admin, {
    slug: `crash-${run}-${p}`,
    name: `Crash test ${p}`,
    variants: [0, 1].map((v) => ({
      sku: `CRASH-${run}-${p}-${v}`.toUpperCase(),
      title: `Variant ${v}`,
      price: { amount: 1500 + 100 * p + 10 * v, currency: "EUR" },
      stock_on_hand: STOCK,
    })),
  });
  if (created.status !== 201) throw new Error(`creating a product: ${created.status} ${JSON.stringify(created.body)}`);
  variants.push(...created.body.variants.map((v) => v.id));
}

const attempts = []; // { key, cartId, headers, session, retried, abandoned, paid }

async function checkout(attempt, persistent, from) {
  for (;;) {
    const answer = await call(SHOP, "POST", "/api/v1/checkout/sessions", { ...attempt.headers, "idempotency-key": attempt.key }, {
      cart_id: attempt.cartId,
      email: "crash@example.com",
    }, from);
    if (answer.status === 200 || answer.status === 201) return answer.body;
    if (answer.status === 429 || answer.status === 409) {
      // Rate limited, or the first try is still in flight: the storefront waits and retries.
      await sleep(700);
      continue;
    }
    if (answer.status >= 400 && answer.status < 500) throw new Error(`checkout refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (!persistent) return null;
    attempt.retried = true;
    await sleep(300);
  }
}

// A step the shop could not take now (nginx's per-client limit, or an API process just killed)
// is tried again shortly, as the storefront's shopper would; a cart still refused is left.
async function patiently(method, path, headers, body, from) {
  for (let tries = 1; ; tries++) {
    const answer = await call(SHOP, method, path, headers, body, from);
    const transient = answer.status === 429 || answer.status === 0 || answer.status >= 500;
    if (!transient || tries === 15) return answer;
    await sleep(300);
  }
}

// An address in Paris (the seeded zones ship there) and the first shipping option.
async function deliver(cartId, headers, from) {
  const address = await patiently("PUT", `/api/v1/carts/${cartId}/shipping-address`, headers, {
    name: "Crash Shopper", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR",
  }, from);
  if (address.status !== 200) return false;
  const options = await patiently("GET", `/api/v1/carts/${cartId}/shipping-options`, headers, undefined, from);
  const rate = options.body?.options?.[0]?.rate_id;
  if (!rate) return false;
  const method = await patiently("PUT", `/api/v1/carts/${cartId}/shipping-method`, headers, { rate_id: rate }, from);
  return method.status === 200;
}

async function shopper(from, deadline) {
  while (Date.now() < deadline) {
    const cart = await call(SHOP, "POST", "/api/v1/carts", {}, undefined, from);
    if (cart.status !== 201) {
      await sleep(200);
      continue;
    }
    const headers = { "cart-secret": cart.body.secret };
    let filled = true;
    for (const variant of [variants[Math.floor(Math.random() * variants.length)], variants[Math.floor(Math.random() * variants.length)]]) {
      const added = await call(SHOP, "POST", `/api/v1/carts/${cart.body.id}/items`, headers, {
        variant_id: variant,
        quantity: 1 + Math.floor(Math.random() * 3),
      }, from);
      filled &&= added.status === 200;
    }
    if (!filled || !(await deliver(cart.body.id, headers, from))) continue;
    const attempt = { key: `crash-${cart.body.id}`, cartId: cart.body.id, headers, retried: false, abandoned: false, paid: false };
    attempts.push(attempt);
    // Half the shoppers retry a checkout that got no answer; the others walk away.
    const persistent = Math.random() < 0.5;
    attempt.session = await checkout(attempt, persistent, from);
    if (!attempt.session) {
      attempt.abandoned = true;
      continue;
    }
    if (Math.random() < 0.7) attempt.paid = await pay(attempt.session.client_secret.split("_secret_")[0]);
  }
}

const crashes = [];
async function crasher(started) {
  for (let n = 1; n <= CRASHES; n++) {
    await sleep(started + (SECONDS * 1000 * n) / (CRASHES + 1) - Date.now());
    const at = Date.now();
    await promisify(execFile)(`${root}scripts/stack`, ["crash"], { env: process.env });
    crashes.push(Date.now() - at);
  }
}

const started = Date.now();
const deadline = started + SECONDS * 1000;
await Promise.all([crasher(started), ...Array.from({ length: CONCURRENCY }, (_, i) => shopper(`127.0.0.${10 + i}`, deadline))]);
const streamSeconds = (Date.now() - started) / 1000;

// Settling: lost webhooks are healed by reconciliation, abandoned checkouts by reservation expiry.
const settleStarted = Date.now();
let unsettled;
do {
  await sleep(1000);
  unsettled = Number(sql("SELECT count(*) FROM orders WHERE status = 'pending_payment' OR stock_state = 'reserved'"));
} while (unsettled > 0 && Date.now() - settleStarted < SETTLE_SECONDS * 1000);
const settleSeconds = (Date.now() - settleStarted) / 1000;

async function allIntents() {
  const intents = [];
  let after = "";
  for (;;) {
    const page = await (await stripeFetch(`/v1/payment_intents?limit=100${after && `&starting_after=${after}`}`, { method: "GET" })).json();
    intents.push(...page.data);
    if (!page.has_more || page.data.length === 0) return intents;
    after = page.data[page.data.length - 1].id;
  }
}

const intents = await allIntents();
const orders = new Map(
  rows("SELECT id, status, stock_state, coalesce(payment_intent_id, '') FROM orders").map(([id, status, stock, intent]) => [
    id,
    { id, status, stock, intent },
  ]),
);
const failures = [];
if (attempts.length === 0) failures.push("no checkout was started, so no crash met one");
// A refund gives money back, not stock: a refunded order was sold all the same (schemathesis,
// which runs on the same stack first, refunds some of the orders the browser tests paid).
const SOLD = new Set(["paid", "partially_refunded", "refunded"]);
const ordersByIntent = new Map();
for (const order of orders.values()) {
  if (!order.intent) failures.push(`order ${order.id} (${order.status}) has no PaymentIntent`);
  else ordersByIntent.set(order.intent, [...(ordersByIntent.get(order.intent) ?? []), order]);
}
const intentsByOrder = new Map();
for (const intent of intents) {
  const orderId = intent.metadata?.order_id;
  intentsByOrder.set(orderId, (intentsByOrder.get(orderId) ?? 0) + 1);
  const owners = ordersByIntent.get(intent.id) ?? [];
  if (owners.length !== 1) {
    failures.push(`PaymentIntent ${intent.id} (${intent.status}) belongs to ${owners.length} orders`);
    continue;
  }
  const [order] = owners;
  if (order.id !== orderId) failures.push(`PaymentIntent ${intent.id} names order ${orderId}, recorded on ${order.id}`);
  if ((intent.status === "succeeded") !== SOLD.has(order.status)) {
    failures.push(`PaymentIntent ${intent.id} is ${intent.status} but its order is ${order.status}`);
  }
  if (order.status === "cancelled" && intent.status !== "canceled") {
    failures.push(`order ${order.id} is cancelled but its PaymentIntent is still ${intent.status}`);
  }
}
for (const [orderId, n] of intentsByOrder) if (n > 1) failures.push(`order ${orderId} has ${n} PaymentIntents`);
for (const order of orders.values()) {
  if (order.status === "pending_payment" || order.stock === "reserved") failures.push(`order ${order.id} never settled (${order.status}, ${order.stock})`);
  if (SOLD.has(order.status) !== (order.stock === "committed")) failures.push(`order ${order.id} is ${order.status} with stock ${order.stock}`);
}
const list = variants.map((v) => `'${v}'`).join(",");
const stockRows = rows(`
  SELECT v.id, v.stock_on_hand, v.stock_reserved,
         coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                   WHERE l.variant_id = v.id AND o.stock_state = 'committed'), 0)
  FROM variants v WHERE v.id IN (${list})`);
let unitsSold = 0;
for (const [id, onHand, reserved, sold] of stockRows) {
  unitsSold += Number(sold);
  if (Number(onHand) !== STOCK - Number(sold)) failures.push(`variant ${id}: ${onHand} on hand, expected ${STOCK} - ${sold} sold`);
  if (Number(reserved) !== 0) failures.push(`variant ${id}: ${reserved} units still reserved`);
}

const reconciled = readdirSync(`${root}target/stack`)
  .filter((name) => /^api-\d+\.log$/.test(name))
  .map((name) => readFileSync(`${root}target/stack/${name}`, "utf8").split("\n").filter((line) => line.includes("reconciled order")).length)
  .reduce((a, b) => a + b, 0);
const byStatus = (status) => [...orders.values()].filter((o) => o.status === status).length;
const answered = attempts.filter((a) => a.session);
console.log(
  `crash: ${streamSeconds.toFixed(0)} s of checkouts and payments by ${CONCURRENCY} shoppers through nginx; ` +
    `${crashes.length} SIGKILLs of every API process (back in ${crashes.map((ms) => `${ms} ms`).join(", ")})`,
);
console.log(`responses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s || "failed"}=${c}`).join(" ")}`);
console.log(
  `checkouts: ${attempts.length} started, ${answered.length} answered (${answered.filter((a) => a.retried).length} after retrying), ` +
    `${attempts.filter((a) => a.abandoned).length} abandoned without an answer; ${attempts.filter((a) => a.paid).length} paid at Stripe`,
);
console.log(
  `settled in ${settleSeconds.toFixed(0)} s: ${intents.length} PaymentIntents, ${orders.size} orders ` +
    `(${byStatus("paid")} paid, ${reconciled} of them healed by reconciliation; ${byStatus("cancelled")} cancelled, ` +
    `${byStatus("pending_payment")} pending); ${unitsSold} units sold`,
);
console.log(failures.length ? `FAIL (${failures.length}):\n  ${failures.slice(0, 20).join("\n  ")}` : "PASS: nothing lost, nothing doubled");
process.exit(failures.length ? 1 : 0);
