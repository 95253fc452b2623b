// The flash sale, against the native stack that bench/flash-sale starts: SHOPPERS shoppers, each
// from a loopback address of its own (as nginx and the per-client checkout cap see the internet),
// have one unit of a 100-unit product in their cart when the sale opens, and all press "pay" at
// once while BROWSERS other clients browse the catalog. Most who get a checkout pay (through the
// Stripe stand-in, whose signed webhook comes back through nginx); the rest walk away, and the
// shoppers who were refused keep trying until the stock their reservations held comes back.
//
// Prints one JSON object of figures; bench/flash-sale makes the table.

import { execFileSync } from "node:child_process";
import http from "node:http";
import { stack } from "../harness/stack.mjs";

const SHOPPERS = Number(process.env.SHOPPERS ?? 1000);
const BROWSERS = Number(process.env.BROWSERS ?? 200);
const UNITS = Number(process.env.UNITS ?? 100);
const PAYING_SHARE = Number(process.env.PAYING_SHARE ?? 0.9);
const RUSH_SECONDS = Number(process.env.RUSH_SECONDS ?? 40);
const SHOP = new URL(stack.STACK_URL);
const STRIPE = stack.STACK_STRIPE_BASE;
const ADMIN = stack.STACK_ADMIN_TOKEN;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values, q) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

// Client i's own address: 127.20.0.0/16 is all loopback on Linux, and none of it is nginx's.
const addressOf = (i) => `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const agents = new Map();
function agentFor(address) {
  if (!agents.has(address)) agents.set(address, new http.Agent({ keepAlive: true, localAddress: address, maxSockets: 4 }));
  return agents.get(address);
}

/** One request through nginx from `address`: { status, body, ms }. */
function request(address, method, path, { headers = {}, json } = {}) {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const started = performance.now();
  return new Promise((resolve) => {
    const outgoing = http.request(
      {
        host: SHOP.hostname,
        port: SHOP.port,
        method,
        path,
        agent: agentFor(address),
        localAddress: address,
        headers: { ...headers, ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let parsed = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: response.statusCode, body: parsed, ms: performance.now() - started });
        });
      },
    );
    outgoing.on("error", (error) => resolve({ status: 0, body: String(error), ms: performance.now() - started }));
    if (body) outgoing.write(body);
    outgoing.end();
  });
}

async function must(address, method, path, options) {
  const response = await request(address, method, path, options);
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const psql = (sql) => execFileSync("psql", [stack.STACK_DATABASE_URL, "-tAqc", sql]).toString().trim();

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
    const count = Number(psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    peaks.backends = Math.max(peaks.backends, count);
    await sleep(250);
  }
})();

// The browsers: product lists and pages, with a moment between clicks.
const catalogMs = [];
const catalogStatuses = new Map();
let browsing = true;
const browsers = Array.from({ length: BROWSERS }, async (_, b) => {
  const from = addressOf(SHOPPERS + b);
  while (browsing) {
    const path = Math.random() < 0.5 ? "/api/v1/products?limit=24" : `/api/v1/products/${catalog[Math.floor(Math.random() * catalog.length)]}`;
    const response = await request(from, "GET", path);
    catalogMs.push(response.ms);
    catalogStatuses.set(response.status, (catalogStatuses.get(response.status) ?? 0) + 1);
    await sleep(100 + Math.random() * 400);
  }
});
await sleep(1000);

// The sale opens.
const checkoutMs = [];
const checkoutStatuses = new Map();
const abandoned = [];
let paid = 0;
const opened = performance.now();
const deadline = opened + RUSH_SECONDS * 1000;

async function shop(i) {
  const cart = carts[i];
  for (let attempt = 0; performance.now() < deadline && paid < UNITS; attempt++) {
    const response = await request(cart.from, "POST", "/api/v1/checkout/sessions", {
      headers: { "cart-secret": cart.secret, "idempotency-key": `flash-${cart.id}-${attempt}` },
      json: { cart_id: cart.id, email: `shopper${i}@example.com` },
    });
    checkoutMs.push(response.ms);
    checkoutStatuses.set(response.status, (checkoutStatuses.get(response.status) ?? 0) + 1);
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
  if (Number(psql(`SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.variant_id = '${variant}' AND o.status = 'pending_payment'`)) === 0) break;
  await sleep(250);
}
browsing = false;
await Promise.all(browsers);
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
const [stockOnHand, stockReserved] = psql(`SELECT stock_on_hand, stock_reserved FROM variants WHERE id = '${variant}'`).split("|").map(Number);
const sold = Number(
  psql(`SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.variant_id = '${variant}' AND o.status = 'paid'`),
);
const fiveXX = (statuses) => [...statuses.entries()].filter(([status]) => status >= 500 || status === 0).reduce((n, [, c]) => n + c, 0);

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
    checkout_statuses: Object.fromEntries(checkoutStatuses),
    checkout_p50_ms: quantile(checkoutMs, 0.5),
    checkout_p99_ms: quantile(checkoutMs, 0.99),
    checkout_5xx: fiveXX(checkoutStatuses),
    catalog_requests: catalogMs.length,
    catalog_statuses: Object.fromEntries(catalogStatuses),
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
for (const agent of agents.values()) agent.destroy();
