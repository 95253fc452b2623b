// Benchmark fixtures through the API: carts with one line each (for the write benchmark), and
// checkout latency with the Stripe server's own latency beside it.
//   node bench/setup.mjs carts <api> <count>       prints "cart_id secret line_id variant_id"
//   node bench/setup.mjs checkout <api> <count>    prints "p50 p99 stripe_p50 stripe_p99" in ms

const [mode, api, countArg] = process.argv.slice(2);
const count = Number(countArg);

async function json(path, init) {
  const response = await fetch(`${api}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// A shopper in Paris; the stack's seeded shipping zones ship there.
const ADDRESS = { name: "Bench Shopper", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" };

// The address and the cheapest-listed shipping method, as a checkout needs them. A version of the
// shop from before addresses (bench/compare measures older commits too) answers 404 and needs none.
async function deliver(cartId, headers) {
  const address = await fetch(`${api}/api/v1/carts/${cartId}/shipping-address`, {
    method: "PUT",
    headers,
    body: JSON.stringify(ADDRESS),
  });
  if (address.status === 404 || address.status === 405) return;
  if (!address.ok) throw new Error(`shipping address: ${address.status} ${await address.text()}`);
  const { options } = await json(`/api/v1/carts/${cartId}/shipping-options`, { headers });
  if (!options.length) throw new Error("the stack ships nowhere: is its catalog seeded?");
  await json(`/api/v1/carts/${cartId}/shipping-method`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ rate_id: options[0].rate_id }),
  });
}

async function cartWithOne(slug) {
  const product = await json(`/api/v1/products/${slug}`);
  const variant = product.variants[0];
  const cart = await json("/api/v1/carts", { method: "POST" });
  const headers = { "content-type": "application/json", "cart-secret": cart.secret };
  const filled = await json(`/api/v1/carts/${cart.id}/items`, {
    method: "POST",
    headers,
    body: JSON.stringify({ variant_id: variant.id, quantity: 1 }),
  });
  // Cart writes are measured on carts that have somewhere to go, as a shopper's do by checkout.
  await deliver(cart.id, headers);
  return { cart, headers, line: filled.lines[0], variant };
}

const percentile = (values, p) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

if (mode === "carts") {
  for (let i = 1; i <= count; i++) {
    const { cart, line, variant } = await cartWithOne(`bench-product-${i}`);
    console.log(`${cart.id} ${cart.secret} ${line.id} ${variant.id}`);
  }
} else {
  const [stripeBase, stripeKey] = process.argv.slice(5);
  const shop = [];
  const stripe = [];
  for (let i = 1; i <= count; i++) {
    const { cart, headers } = await cartWithOne(`bench-product-${5000 + i}`);
    let started = performance.now();
    await json("/api/v1/checkout/sessions", {
      method: "POST",
      headers: { ...headers, "idempotency-key": `bench-${cart.id}` },
      body: JSON.stringify({ cart_id: cart.id, email: "bench@example.com" }),
    });
    shop.push(performance.now() - started);
    started = performance.now();
    await fetch(`${stripeBase}/v1/payment_intents`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripeKey}`, "content-type": "application/x-www-form-urlencoded" },
      body: "amount=1000&currency=eur",
    });
    stripe.push(performance.now() - started);
  }
  console.log([percentile(shop, 50), percentile(shop, 99), percentile(stripe, 50), percentile(stripe, 99)].map((v) => v.toFixed(1)).join(" "));
}
