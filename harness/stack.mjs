// Where the native stack that scripts/stack started listens (from target/stack/env), and its
// Stripe stand-in as a client sees it: shared by the browser tests (web/e2e) and bench/.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

export const stack = Object.fromEntries(
  readFileSync(`${root}target/stack/env`, "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1).replace(/^"|"$/g, "")];
    }),
);

export const SHOP = stack.STACK_URL;

/** A request to the stack's Stripe stand-in with the stack's key: the shop's own account. */
export function stripeFetch(path, { method = "POST", body, contentType = "application/x-www-form-urlencoded" } = {}) {
  return fetch(`${stack.STACK_STRIPE_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.STACK_STRIPE_KEY}`, "content-type": contentType },
    body,
  });
}

/** Pays a PaymentIntent as Stripe.js would, with Stripe's test Visa card; true once it succeeded. */
export async function pay(intentId) {
  await stripeFetch(`/v1/payment_intents/${intentId}`, { body: "payment_method=pm_card_visa" });
  const confirmed = await stripeFetch(`/v1/payment_intents/${intentId}/confirm`);
  return (await confirmed.json()).status === "succeeded";
}
