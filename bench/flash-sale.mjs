// The flash sale, against the native stack that bench/flash-sale starts: SHOPPERS shoppers, each
// from a loopback address of its own (as nginx and the per-client checkout cap see the internet),
// have one unit of a 100-unit product in their cart when the sale opens, and all press "pay" at
// once while BROWSERS other clients browse the catalog. Most who get a checkout pay (through the
// Stripe stand-in, whose signed webhook comes back through nginx); the rest walk away, and the
// shoppers who were refused keep trying until the stock their reservations held comes back.
//
// Prints one JSON object of figures; bench/flash-sale makes the table.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { stack } from "../harness/stack.mjs";
import { addressOf, client, quantile, sleep } from "./flash-client.mjs";

const SHOPPERS = Number(process.env.SHOPPERS ?? 1000);
const BROWSERS = Number(process.env.BROWSERS ?? 200);
const UNITS = Number(process.env.UNITS ?? 100);
const PAYING_SHARE = Number(process.env.PAYING_SHARE ?? 0.9);
const RUSH_SECONDS = Number(process.env.RUSH_SECONDS ?? 40);
const STRIPE = stack.STACK_STRIPE_BASE;
const ADMIN = stack.STACK_ADMIN_TOKEN;
const { request, close } = client(stack.STACK_URL);

async function must(address, method, path, options) {
  const response = await request(address, method, path, options);
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

// Asynchronous: a synchronous child process would stop this event loop, and every answer
// arriving meanwhile would be timed as slow.
const run = promisify(execFile);
const psql = async (sql) => (await run("psql", [stack.STACK_DATABASE_URL, "-tAqc", sql])).stdout.trim();

// The product on sale, made through the admin API.
const slug = `flash-${Date.now()}`;
const product = await must("127.0.0.1", "POST", "/api/v1/admin/products", {
  headers: { authorization: `Bearer ${ADMIN}` },
  json: {
    slug,
    name: "Flash sale tee",
    description: "One hundred, once.",
    images: [{ url: `/images/products/${slug}.svg`, alt: "Flash sale tee" }],
    variants: [{ sku: `${slug}-1`, title: "One size", price: { amount: 1900, currency: "EUR" }, stock_on_hand: UNITS }],
  },
});
const variant = product.variants[0].id;
const catalog = (await must("127.0.0.1", "GET", "/api/v1/products?limit=50")).items.map((item) => item.slug);

// Before the sale: every shopper's cart holds one unit, with an address and a shipping method.
const address = { name: "Ada Lovelace", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" };
const carts = new Array(SHOPPERS);
for (let start = 0; start < SHOPPERS; start += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, SHOPPERS - start) }, async (_, k) => {
      const i = start + k;
      const from = addressOf(i);
      const cart = await must(from, "POST", "/api/v1/carts");
      const headers = { "cart-secret": cart.secret };
      await must(from, "POST", `/api/v1/carts/${cart.id}/items`, { headers, json: { variant_id: variant, quantity: 1 } });
      await must(from, "PUT", `/api/v1/carts/${cart.id}/shipping-address`, { headers, json: address });
      const { options } = await must(from, "GET", `/api/v1/carts/${cart.id}/shipping-options`, { headers });
      await must(from, "PUT", `/api/v1/carts/${cart.id}/shipping-method`, { headers, json: { rate_id: options[0].rate_id } });
      carts[i] = { ...cart, from };
    }),
  );
}

// What the database pool and the processes report while the sale runs.
const metricsUrls = stack.STACK_METRICS_URLS.trim().split(/\s+/);
const peaks = { inUse: 0, waiting: 0, backends: 0 };
const sample = (text, series) =>
  Number(text.split("\n").find((line) => line.startsWith(`${series} `))?.split(" ")[1] ?? 0);
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const texts = await Promise.all(metricsUrls.map((url) => fetch(url).then((r) => r.text()).catch(() => "")));
    const sum = (series) => texts.reduce((total, text) => total + sample(text, series), 0);
    peaks.inUse = Math.max(peaks.inUse, sum('shop_db_pool_connections{state="in_use"}'));
    peaks.waiting = Math.max(peaks.waiting, sum("shop_db_pool_waiting"));
    await sleep(100);
  }
})();
const backendSampler = (async () => {
  while (sampling) {
    const count = Number(await psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    peaks.backends = Math.max(peaks.backends, count);
    await sleep(250);
  }
})();

// The browsers: product lists and pages, with a moment between clicks (bench/flash-browsers.mjs).
const browsing = new Worker(new URL("./flash-browsers.mjs", import.meta.url), {
  workerData: { shopUrl: stack.STACK_URL, browsers: BROWSERS, firstClient: SHOPPERS, catalog },
});
const browsed = new Promise((resolve, reject) => {
  browsing.once("message", resolve);
  browsing.once("error", reject);
});
// The browsers have been about for a while when the sale opens: nginx's cache is warm.
await sleep(3000);

// The sale opens.
const checkoutMs = [];
const checkoutStatuses = {};
const checkoutByStatus = {};
const checkoutFailures = {};
const abandoned = [];
let paid = 0;
const opened = performance.now();
browsing.postMessage("rush");
const deadline = opened + RUSH_SECONDS * 1000;

async function shop(i) {
  const cart = carts[i];
  for (let attempt = 0; performance.now() < deadline && paid < UNITS; attempt++) {
    const response = await request(cart.from, "POST", "/api/v1/checkout/sessions", {
      headers: { "cart-secret": cart.secret, "idempotency-key": `flash-${cart.id}-${attempt}` },
      json: { cart_id: cart.id, email: `shopper${i}@example.com` },
    });
    checkoutMs.push(response.ms);
    checkoutStatuses[response.status] = (checkoutStatuses[response.status] ?? 0) + 1;
    (checkoutByStatus[response.status] ??= []).push(response.ms);
    // A 5xx says why: its problem type, or the socket's error.
    if (response.status >= 500 || response.status === 0) {
      const why = `${response.status} ${response.body?.type ?? response.body}`;
      checkoutFailures[why] = (checkoutFailures[why] ?? 0) + 1;
    }
    if (response.status === 201) {
      const session = response.body;
      if (i % 100 < PAYING_SHARE * 100) {
        await sleep(500 + Math.random() * 1500); // typing the card number
        const intent = session.client_secret.split("_secret_")[0];
        const confirmed = await fetch(`${STRIPE}/v1/payment_intents/${intent}/confirm`, { method: "POST" });
        if (confirmed.ok) paid += 1;
      } else {
        abandoned.push({ session, at: performance.now() });
      }
      return;
    }
    // Sold out for now: a reservation may yet come back.
    await sleep(1000 + Math.random() * 500);
  }
}
await Promise.all(carts.map((_, i) => shop(i)));
const rushSeconds = (performance.now() - opened) / 1000;

// Every shopper who walked away has their reservation released by the order sweep.
const releasedAfter = [];
for (const { session, at } of abandoned) {
  for (;;) {
    const order = await request("127.0.0.1", "GET", `/api/v1/orders/${session.order_id}`, { headers: { "order-secret": session.order_secret } });
    if (order.body?.status !== "pending_payment") {
      releasedAfter.push((performance.now() - at) / 1000);
      break;
    }
    if (performance.now() - at > 120_000) {
      releasedAfter.push(Infinity);
      break;
    }
    await sleep(200);
  }
}
// The webhooks of the last payments arrive 300 ms after their confirmation.
for (let waited = 0; waited < 10_000; waited += 250) {
  if (Number(await psql(`SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.variant_id = '${variant}' AND o.status = 'pending_payment'`)) === 0) break;
  await sleep(250);
}
browsing.postMessage("stop");
const { ms: catalogMs, statuses: catalogStatuses, caches } = await browsed;
await browsing.terminate();
sampling = false;
await Promise.all([sampler, backendSampler]);

const texts = await Promise.all(metricsUrls.map((url) => fetch(url).then((r) => r.text())));
const timeouts = texts.reduce((total, text) => total + sample(text, "shop_db_pool_timeouts_total"), 0);
// The slowest wait for a connection lies below the smallest bucket that holds every wait.
const waitBound = (() => {
  const buckets = new Map();
  for (const text of texts) {
    for (const line of text.split("\n")) {
      const match = /^shop_db_pool_wait_seconds_bucket\{le="([^"]+)"\} (\d+)/.exec(line);
      if (match) buckets.set(match[1], (buckets.get(match[1]) ?? 0) + Number(match[2]));
    }
  }
  const total = buckets.get("+Inf") ?? 0;
  const bound = [...buckets.entries()].filter(([le, n]) => le !== "+Inf" && n === total).map(([le]) => Number(le));
  return bound.length ? Math.min(...bound) : Infinity;
})();
const [stockOnHand, stockReserved] = (await psql(`SELECT stock_on_hand, stock_reserved FROM variants WHERE id = '${variant}'`)).split("|").map(Number);
const sold = Number(
  await psql(`SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.variant_id = '${variant}' AND o.status = 'paid'`),
);
const fiveXX = (statuses) =>
  Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500 || Number(status) === 0)
    .reduce((n, [, c]) => n + c, 0);

console.log(
  JSON.stringify({
    shoppers: SHOPPERS,
    browsers: BROWSERS,
    units: UNITS,
    sold,
    stock_on_hand: stockOnHand,
    stock_reserved: stockReserved,
    rush_seconds: rushSeconds,
    checkouts: checkoutMs.length,
    checkout_statuses: checkoutStatuses,
    checkout_p50_ms: quantile(checkoutMs, 0.5),
    checkout_p99_ms: quantile(checkoutMs, 0.99),
    checkout_5xx: fiveXX(checkoutStatuses),
    checkout_failures: checkoutFailures,
    checkout_by_status: Object.fromEntries(
      Object.entries(checkoutByStatus).map(([status, ms]) => [status, { p50_ms: quantile(ms, 0.5), p99_ms: quantile(ms, 0.99) }]),
    ),
    catalog_requests: catalogMs.length,
    catalog_statuses: catalogStatuses,
    // Per nginx cache status: how many, and their p99.
    catalog_by_cache: Object.fromEntries(
      Object.entries(caches).map(([status, ms]) => [status, { requests: ms.length, p99_ms: quantile(ms, 0.99) }]),
    ),
    catalog_p50_ms: quantile(catalogMs, 0.5),
    catalog_p99_ms: quantile(catalogMs, 0.99),
    catalog_5xx: fiveXX(catalogStatuses),
    abandoned: abandoned.length,
    released_after_max_s: releasedAfter.length ? Math.max(...releasedAfter) : null,
    pool_in_use_peak: peaks.inUse,
    pool_waiting_peak: peaks.waiting,
    postgres_backends_peak: peaks.backends,
    pool_timeouts: timeouts,
    pool_wait_max_below_s: waitBound,
  }),
);
close();
