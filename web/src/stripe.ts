// Stripe.js comes from the URL the API's /config names (Stripe's own in production), and the
// publishable key from the same place: nothing about Stripe is baked into the bundle.

import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import type { Schemas } from "./api/client";

let loading: Promise<Stripe> | null = null;

function injectScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("Stripe.js could not be loaded")));
    document.head.appendChild(script);
  });
}

export function stripeFor(config: Schemas["StorefrontConfig"]): Promise<Stripe> {
  loading ??= (async () => {
    const key = config.stripe_publishable_key;
    if (!key) throw new Error("Payments are not available right now.");
    await injectScript(config.stripe_js_url);
    const stripe = await loadStripe(key);
    if (!stripe) throw new Error("Stripe.js could not be loaded");
    return stripe;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
