// Stripe.js comes from the URL the API's /config names (Stripe's own in production), and the
// publishable key from the same place: nothing about Stripe is baked into the bundle.

import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { type Schemas, ShopperError } from "./api/client";

let loading: Promise<Stripe> | null = null;

const notLoaded = new ShopperError(
  "The payment form could not be loaded: Stripe.js did not load. Check your connection and try again.",
);

function injectScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => {
      script.remove();
      reject(notLoaded);
    });
    document.head.appendChild(script);
  });
}

export function stripeFor(config: Schemas["StorefrontConfig"]): Promise<Stripe> {
  loading ??= (async () => {
    const key = config.stripe_publishable_key;
    if (!key) throw new ShopperError("Payments are not available right now. Please try again later.");
    await injectScript(config.stripe_js_url);
    const stripe = await loadStripe(key);
    if (!stripe) throw notLoaded;
    return stripe;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
