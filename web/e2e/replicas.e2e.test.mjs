// Several API processes behind nginx on one database: load is spread, and background work
// (reservation expiry here) happens once, not once per process.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { SHOP, root, stack } from "../../harness/stack.mjs";

const apiLogs = () =>
  readdirSync(`${root}target/stack`)
    .filter((name) => /^api-\d+\.log$/.test(name))
    .map((name) => readFileSync(`${root}target/stack/${name}`, "utf8"));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function json(path, init = {}, base = SHOP) {
  const response = await fetch(`${base}${path}`, init);
  assert.ok(response.ok, `${init.method ?? "GET"} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

// Stock as the database has it now: through nginx, the catalog may be a second old by design.
const API = stack.STACK_API_URLS.trim().split(/\s+/)[0];
const availableNow = async (slug) => (await json(`/api/v1/products/${slug}`, {}, API)).variants[0].available;

test("nginx spreads requests over every API process", async (t) => {
  const processes = stack.STACK_API_URLS.trim().split(/\s+/).length;
  if (processes < 2) return t.skip("one API process in this stack");
  for (let i = 0; i < 20; i++) {
    await fetch(`${SHOP}/api/v1/health/live`, { headers: { "x-request-id": `spread-${i}` } });
  }
  const logs = apiLogs();
  assert.equal(logs.length, processes);
  for (const log of logs) assert.match(log, /rid=spread-\d+/, "every process served some requests");
});

test("each process serves its metrics on its own port, which nginx does not expose", async () => {
  const scrape = async (url) => {
    const response = await fetch(url);
    assert.equal(response.status, 200, url);
    assert.match(response.headers.get("content-type"), /^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const series = 'shop_http_requests_total{method="GET",route="/api/v1/health/ready",status="200"}';
  const count = (text) => Number(text.split("\n").find((line) => line.startsWith(`${series} `))?.split(" ")[1] ?? 0);
  const urls = stack.STACK_METRICS_URLS.trim().split(/\s+/);
  const before = (await Promise.all(urls.map(scrape))).reduce((sum, text) => sum + count(text), 0);
  for (let i = 0; i < 10; i++) await fetch(`${SHOP}/api/v1/health/ready`);
  const after = (await Promise.all(urls.map(scrape))).reduce((sum, text) => sum + count(text), 0);
  assert.ok(after - before >= 10, `the ten requests through nginx were counted (${before} -> ${after})`);

  for (const path of ["/metrics", "/api/v1/metrics", "/api/metrics"]) {
    const response = await fetch(`${SHOP}${path}`);
    const body = await response.text();
    assert.ok(!body.includes("shop_http_requests_total"), `${path} must not expose the metrics`);
  }
  assert.equal((await fetch(`${SHOP}/api/v1/metrics`)).status, 404);
});

test("an expired reservation is released exactly once across processes", async () => {
  const product = await json("/api/v1/products/zip-hoodie", {}, API);
  const variant = product.variants[0];
  const cart = await json("/api/v1/carts", { method: "POST" });
  const headers = { "content-type": "application/json", "cart-secret": cart.secret };
  await json(`/api/v1/carts/${cart.id}/items`, {
    method: "POST",
    headers,
    body: JSON.stringify({ variant_id: variant.id, quantity: 2 }),
  });
  // A checkout needs where the order goes and how.
  const address = { name: "Ada Lovelace", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" };
  await json(`/api/v1/carts/${cart.id}/shipping-address`, { method: "PUT", headers, body: JSON.stringify(address) });
  const { options } = await json(`/api/v1/carts/${cart.id}/shipping-options`, { headers });
  await json(`/api/v1/carts/${cart.id}/shipping-method`, { method: "PUT", headers, body: JSON.stringify({ rate_id: options[0].rate_id }) });
  const session = await json("/api/v1/checkout/sessions", {
    method: "POST",
    headers: { ...headers, "idempotency-key": `expiry-${cart.id}` },
    body: JSON.stringify({ cart_id: cart.id, email: "ada@example.com" }),
  });
  assert.equal(await availableNow("zip-hoodie"), variant.available - 2);

  execFileSync("psql", [
    stack.STACK_DATABASE_URL,
    "-qc",
    `UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = '${session.order_id}'`,
  ]);

  const deadline = Date.now() + 20_000;
  let order;
  do {
    await sleep(300);
    order = await json(`/api/v1/orders/${session.order_id}`, { headers: { "order-secret": session.order_secret } });
  } while (order.status === "pending_payment" && Date.now() < deadline);
  assert.equal(order.status, "cancelled");

  assert.equal(await availableNow("zip-hoodie"), variant.available, "the two units are back, once");
  await sleep(1500); // a further sweep by any process must change nothing
  assert.equal(await availableNow("zip-hoodie"), variant.available);
  const expiries = apiLogs()
    .join("\n")
    .split("\n")
    .filter((line) => line.includes(`order ${session.order_id}: reservation expired`));
  assert.equal(expiries.length, 1, expiries.join("\n"));
});
