// The stack's HTTP surface through nginx: security headers, caching, limits, proxying.

import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { SHOP, stack } from "../../harness/stack.mjs";

// The hosts the stack was given for product images (IMAGE_ORIGINS; scripts/test names one).
const imageOrigins = (stack.STACK_IMAGE_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);

function imgSrc(csp) {
  return /(?:^|;)\s*img-src ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/);
}

function assertSecurityHeaders(response, what) {
  const csp = response.headers.get("content-security-policy") ?? "";
  assert.deepEqual(imgSrc(csp), ["'self'", "data:", "https://*.stripe.com", ...imageOrigins], `${what}: img-src`);
  assert.match(csp, /default-src 'self'/, what);
  assert.match(csp, /script-src 'self' https:\/\/js\.stripe\.com/, what);
  assert.match(csp, /frame-src https:\/\/js\.stripe\.com/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|(^|\s)\*(\s|;|$)/, what);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin", what);
  assert.match(response.headers.get("permissions-policy") ?? "", /camera=\(\)/, what);
  assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  assert.equal(response.headers.get("server"), "nginx", `${what}: no version in Server`);
}

test("every kind of response carries the security headers", async () => {
  const index = await fetch(`${SHOP}/`);
  assertSecurityHeaders(index, "index");
  assert.equal(index.headers.get("cache-control"), "no-cache");

  const html = await index.text();
  const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
  assert.ok(asset, "index.html names a hashed script");
  const script = await fetch(`${SHOP}${asset}`);
  assertSecurityHeaders(script, "asset");
  assert.equal(script.headers.get("cache-control"), "public, max-age=31536000, immutable");

  const deepLink = await fetch(`${SHOP}/products/classic-tee`);
  assert.equal(deepLink.status, 200);
  assert.match(await deepLink.text(), /<div id="app">/);

  const api = await fetch(`${SHOP}/api/v1/products?limit=1`, { headers: { "accept-encoding": "gzip" } });
  assertSecurityHeaders(api, "api");
  assert.equal(api.status, 200);
  assert.ok(api.headers.get("x-request-id"));

  const missing = await fetch(`${SHOP}/api/v1/nope`);
  assertSecurityHeaders(missing, "api error");
  assert.equal(missing.headers.get("content-type"), "application/problem+json");
});

test("the back office has a CSP of its own: this origin only, no Stripe, never cached", async () => {
  for (const path of ["/admin", "/admin/orders/0b5c3a9e-3f1d-4a53-9b43-0a4f6f1e2d7c"]) {
    const response = await fetch(`${SHOP}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(await response.text(), /<div id="admin">/, path);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/, path);
    assert.match(csp, /script-src 'self';/, path);
    assert.match(csp, /connect-src 'self';/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /js\.stripe\.com|unsafe-inline|unsafe-eval/, path);
    assert.equal(response.headers.get("cache-control"), "no-store", path);
    assert.equal(response.headers.get("x-frame-options"), "DENY", path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
  }
});

test("an image on IMAGE_ORIGINS is one the admin API accepts and the CSP loads; others are refused", { skip: imageOrigins.length === 0 }, async () => {
  const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };
  const create = (slug, url) =>
    fetch(`${SHOP}/api/v1/admin/products`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ slug, name: "Remote picture", images: [{ url, alt: "A product photo" }] }),
    });
  const url = `${imageOrigins[0]}/products/e2e.png`;
  const created = await create(`e2e-remote-image-${Date.now()}`, url);
  assert.equal(created.status, 201);
  const product = await created.json();
  assert.equal(product.images[0].url, url);
  assert.ok(imgSrc(created.headers.get("content-security-policy") ?? "").includes(imageOrigins[0]));
  const deactivated = await fetch(`${SHOP}/api/v1/admin/products/${product.id}`, { method: "DELETE", headers: admin });
  assert.equal(deactivated.status, 204);

  const refused = await create(`e2e-elsewhere-${Date.now()}`, "https://elsewhere.example/products/e2e.png");
  assert.equal(refused.status, 422);
  assert.equal(refused.headers.get("content-type"), "application/problem+json");
  const problem = await refused.json();
  assert.equal(problem.type, "urn:shop:problem:validation");
  assert.match(problem.detail, /^images: /);
});

test("request ids travel through nginx", async () => {
  const response = await fetch(`${SHOP}/api/v1/health/live`, { headers: { "x-request-id": "edge-42" } });
  assert.equal(response.headers.get("x-request-id"), "edge-42");
});

test("oversized bodies stop at nginx", async () => {
  const response = await fetch(`${SHOP}/api/v1/carts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "x".repeat(100 * 1024),
  });
  assert.equal(response.status, 413);
});

test("a large Stripe event passes nginx and the API alike; past 1 MiB both refuse it", async () => {
  const send = (size) =>
    fetch(`${SHOP}/api/v1/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" },
      body: JSON.stringify({ id: "evt_large", type: "charge.updated", data: { object: { pad: "x".repeat(size) } } }),
    });
  const large = await send(600 * 1024);
  assert.equal(large.status, 400, "reaches the API, which checks the signature");
  assert.equal((await large.json()).type, "urn:shop:problem:invalid-signature");
  assert.equal((await send(1100 * 1024)).status, 413);
});

test("checkout is rate limited with a problem+json 429", async () => {
  const attempts = await Promise.all(
    Array.from({ length: 40 }, () =>
      fetch(`${SHOP}/api/v1/checkout/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "k" },
        body: "{}",
      }),
    ),
  );
  const limited = attempts.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, "some attempts are limited");
  const problem = await limited[0].json();
  assert.equal(problem.type, "urn:shop:problem:too-many-requests");
  assert.equal(limited[0].headers.get("content-type"), "application/problem+json");
  assertSecurityHeaders(limited[0], "429");
  for (const other of attempts.filter((r) => r.status !== 429)) assert.ok(other.status < 500, `got ${other.status}`);

  // The limit lifts again by itself (and must, before other tests check out).
  const deadline = Date.now() + 15_000;
  let status = 429;
  while (status === 429 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (await fetch(`${SHOP}/api/v1/checkout/sessions`, { method: "POST", body: "{}" })).status;
  }
  assert.notEqual(status, 429, "the rate limit lifted");
  await new Promise((resolve) => setTimeout(resolve, 5000)); // let the burst allowance refill
});

test("asking for order lookup links is rate limited per client; following one is not", async () => {
  const ask = () =>
    fetch(`${SHOP}/api/v1/orders/lookup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody-limit@example.com" }),
    });
  const statuses = [];
  for (let i = 0; i < 8; i += 1) statuses.push((await ask()).status);
  assert.deepEqual(statuses.slice(0, 4), [202, 202, 202, 202], `${statuses}`);
  assert.ok(statuses.slice(4).every((status) => status === 429), `${statuses}`);
  const reads = await Promise.all(
    Array.from({ length: 10 }, () => fetch(`${SHOP}/api/v1/orders/lookup`, { headers: { "lookup-token": "00.0.00" } })),
  );
  assert.deepEqual(new Set(reads.map((r) => r.status)), new Set([404]));
});

test("query parameters the API does not read share the cached copy", async () => {
  const url = `${SHOP}/api/v1/products?sort=name&limit=3`;
  await fetch(url);
  for (let n = 0; n < 5; n++) {
    const sent = Date.now();
    const junk = await fetch(`${SHOP}/api/v1/products?utm_source=${Math.random()}&limit=3&sort=name&x=${n}`);
    assert.equal(junk.status, 200);
    const cached = junk.headers.get("x-cache");
    if (Date.now() - sent < 500) assert.notEqual(cached, "MISS", "junk parameters do not make a new cache entry");
  }
});

test("catalog reads are cached at the edge for a second, revalidated by ETag, and an edit shows", async () => {
  const url = `${SHOP}/api/v1/products/canvas-tote`;
  const first = await fetch(url);
  const sent = Date.now();
  const second = await fetch(url, { headers: { "x-request-id": "cached-read-2" } });
  const product = await second.json();
  if (Date.now() - sent < 500) assert.equal(second.headers.get("x-cache"), "HIT", "a repeat within the second");
  assert.equal(second.headers.get("x-request-id"), "cached-read-2", "a cached answer carries this request's id");
  assert.equal(second.headers.get("cache-control"), "public, no-cache", "browsers revalidate every time");
  assertSecurityHeaders(second, "cached catalog read");
  const etag = second.headers.get("etag");
  assert.match(etag ?? "", /^(W\/)?"[0-9a-f]{32}"$/);
  assert.equal(first.headers.get("etag"), etag);

  const revalidated = await fetch(url, { headers: { "if-none-match": etag } });
  assert.equal(revalidated.status, 304);

  const admin = { authorization: `Bearer ${stack.STACK_ADMIN_TOKEN}`, "content-type": "application/json" };
  const edit = (description) =>
    fetch(`${SHOP}/api/v1/admin/products/${product.id}`, { method: "PATCH", headers: admin, body: JSON.stringify({ description }) });
  assert.equal((await edit(`${product.description} Now in navy.`)).status, 200);
  try {
    const edited = Date.now();
    let seen;
    do {
      seen = await (await fetch(url)).json();
    } while (!seen.description.endsWith("Now in navy.") && Date.now() - edited < 5000);
    const staleFor = Date.now() - edited;
    assert.ok(seen.description.endsWith("Now in navy."), "the edit reached shoppers");
    // One second of caching, counted by nginx in whole seconds, then one stale answer while the
    // copy is refreshed: never much more than two.
    assert.ok(staleFor < 2500, `the edit took ${staleFor} ms to show`);
    const after = await fetch(url, { headers: { "if-none-match": etag } });
    assert.equal(after.status, 200, "the old ETag no longer matches");
  } finally {
    assert.equal((await edit(product.description)).status, 200);
  }
});

// A request to nginx from a chosen loopback address, as a browser or as the TLS proxy in front.
function from(localAddress, path, { method = "GET", headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(`${SHOP}${path}`, { method, localAddress, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response));
    });
    request.on("error", reject);
    request.end(method === "POST" ? "{}" : undefined);
  });
}

test("only the trusted proxy may name the client and the scheme", { skip: !stack.STACK_TRUSTED_PROXIES.includes("127.0.0.2") }, async () => {
  const proxy = "127.0.0.2";
  const browser = "127.0.0.3";
  const https = { "x-forwarded-proto": "https" };
  const hsts = (response) => response.headers["strict-transport-security"] ?? "";
  assert.equal(hsts(await from(proxy, "/api/v1/health/live", { headers: https })), "max-age=63072000; includeSubDomains");
  assert.equal(hsts(await from(browser, "/api/v1/health/live", { headers: https })), "", "a browser cannot claim TLS");
  assert.equal(hsts(await from(proxy, "/api/v1/health/live")), "", "plain HTTP behind the proxy");

  // Checkout allows a burst of 10 per client. Through the proxy, each shopper it names has a
  // bucket of its own; a browser naming made-up clients shares its own bucket.
  const burst = (address, client) =>
    Promise.all(
      Array.from({ length: 15 }, (_, n) =>
        from(address, "/api/v1/checkout/sessions", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": client(n) },
        }),
      ),
    );
  const limited = (responses) => responses.filter((r) => r.statusCode === 429).length;
  assert.equal(limited(await burst(proxy, (n) => `198.51.100.${n + 1}`)), 0, "fifteen shoppers behind the proxy");
  assert.ok(limited(await burst(proxy, () => "198.51.100.200")) > 0, "one shopper behind the proxy is limited");
  assert.ok(limited(await burst(browser, (n) => `203.0.113.${n + 1}`)) > 0, "made-up clients share the browser's bucket");
  await new Promise((resolve) => setTimeout(resolve, 5000)); // let the burst allowance refill
});
