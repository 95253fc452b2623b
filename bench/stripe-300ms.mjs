// A Stripe stand-in for load: every answer takes 300 ms, as the real API's round trip from a
// European data centre does, and it serves thousands of requests at once, which localstripe
// cannot. It knows the PaymentIntent calls the shop makes (create with an idempotency key,
// retrieve, cancel, refunds), plus `confirm`, which a load generator calls where Stripe.js would:
// the intent succeeds and, 300 ms later, the signed `payment_intent.succeeded` event reaches the
// shop's webhook, as Stripe's would.
//
//   node bench/stripe-300ms.mjs --port 8430 --webhook http://127.0.0.1:8088/api/v1/webhooks/stripe
//     (STRIPE_WEBHOOK_SECRET signs the events; LATENCY_MS, 300, sets the delay)

import { createHmac } from "node:crypto";
import { createServer } from "node:http";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const PORT = Number(arg("port", 8430));
// scripts/stack names the webhook as it does to localstripe (POST /_config/webhooks/NAME).
let WEBHOOK = arg("webhook", "");
let SECRET = process.env.STRIPE_WEBHOOK_SECRET ?? "";
const LATENCY = Number(process.env.LATENCY_MS ?? 300);

const intents = new Map();
const byIdempotencyKey = new Map();
let counter = 0;
let served = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function form(body) {
  const fields = {};
  for (const [key, value] of new URLSearchParams(body)) fields[key] = value;
  return fields;
}

function intentOf(fields) {
  counter += 1;
  const id = `pi_flash${String(counter).padStart(8, "0")}`;
  const metadata = {};
  for (const [key, value] of Object.entries(fields)) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) metadata[match[1]] = value;
  }
  return {
    id,
    object: "payment_intent",
    amount: Number(fields.amount),
    currency: fields.currency,
    status: "requires_payment_method",
    client_secret: `${id}_secret_flash`,
    metadata,
    last_payment_error: null,
    created: Math.floor(Date.now() / 1000),
  };
}

async function sendEvent(intent) {
  await sleep(LATENCY);
  const body = JSON.stringify({
    id: `evt_${intent.id}`,
    object: "event",
    type: "payment_intent.succeeded",
    created: Math.floor(Date.now() / 1000),
    data: { object: intent },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex");
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const response = await fetch(WEBHOOK, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": `t=${timestamp},v1=${signature}` },
        body,
      });
      if (response.ok) return;
    } catch {
      // Stripe retries a failed delivery; so does this.
    }
    await sleep(1000 * 2 ** attempt);
  }
  console.error(`event for ${intent.id} never delivered`);
}

function answer(response, status, json) {
  const body = JSON.stringify(json);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

async function handle(request, body) {
  const url = new URL(request.url, "http://stripe");
  const path = url.pathname;
  if (request.method === "POST" && path.startsWith("/_config/webhooks/")) {
    const fields = form(body);
    WEBHOOK = fields.url ?? WEBHOOK;
    SECRET = fields.secret ?? SECRET;
    return [200, { url: WEBHOOK }];
  }
  if (request.method === "POST" && path === "/v1/payment_intents") {
    const key = request.headers["idempotency-key"];
    const known = key && byIdempotencyKey.get(key);
    if (known) return [200, intents.get(known)];
    const intent = intentOf(form(body));
    intents.set(intent.id, intent);
    if (key) byIdempotencyKey.set(key, intent.id);
    return [200, intent];
  }
  if (request.method === "GET" && path === "/v1/refunds") return [200, { object: "list", data: [], has_more: false }];
  const match = /^\/v1\/payment_intents\/([^/]+)(\/(cancel|confirm))?$/.exec(path);
  const intent = match && intents.get(match[1]);
  if (!intent) return [404, { error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" } }];
  const action = match[3];
  if (!action && request.method === "GET") return [200, intent];
  if (action === "cancel") {
    if (intent.status === "succeeded") {
      return [400, { error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: "already succeeded" } }];
    }
    intent.status = "canceled";
    return [200, intent];
  }
  if (action === "confirm") {
    if (intent.status !== "requires_payment_method") {
      return [400, { error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: intent.status } }];
    }
    intent.status = "succeeded";
    sendEvent({ ...intent });
    return [200, intent];
  }
  return [404, { error: { type: "invalid_request_error", message: `unknown ${request.method} ${path}` } }];
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    served += 1;
    const [status, json] = await handle(request, Buffer.concat(chunks).toString());
    await sleep(LATENCY);
    answer(response, status, json);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(PORT, "127.0.0.1", () => console.log(`stripe stand-in on ${PORT}, ${LATENCY} ms an answer`));
process.on("SIGTERM", () => {
  console.log(`served ${served} requests, ${intents.size} PaymentIntents`);
  process.exit(0);
});
