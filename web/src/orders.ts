// Order secrets, so the order page can be reopened after a reload, and the checkout in progress.

import { ApiError, api, call } from "./api/client";

const KEY = "shop.orders";

function all(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberOrder(orderId: string, secret: string): void {
  localStorage.setItem(KEY, JSON.stringify({ ...all(), [orderId]: secret }));
}

export function orderSecret(orderId: string): string | undefined {
  return all()[orderId];
}

/** The checkout in progress for a cart, so a reload resumes the payment instead of starting over. */
export interface PendingCheckout {
  cartId: string;
  sessionId: string;
  orderId: string;
  clientSecret: string;
}

const PENDING = "shop.checkout";

export function pendingCheckout(cartId: string): PendingCheckout | null {
  try {
    const pending = JSON.parse(localStorage.getItem(PENDING) ?? "null") as PendingCheckout | null;
    return pending && pending.cartId === cartId ? pending : null;
  } catch {
    return null;
  }
}

export function rememberCheckout(pending: PendingCheckout): void {
  localStorage.setItem(PENDING, JSON.stringify(pending));
}

export function forgetCheckout(): void {
  localStorage.removeItem(PENDING);
}

/** What became of a checkout the shopper gave up to edit the cart. */
export type Cancelled = { kind: "reopened" } | { kind: "paid"; orderId: string };

/**
 * "Edit cart": cancels the checkout awaiting payment, so the cart opens again. Stripe decides a
 * race with a payment; a payment under way or done keeps its order, and the shopper goes there.
 */
export async function cancelCheckout(pending: Pick<PendingCheckout, "sessionId" | "orderId">): Promise<Cancelled> {
  try {
    await call(
      api.DELETE("/api/v1/checkout/sessions/{id}", {
        params: { path: { id: pending.sessionId }, header: { "Order-Secret": orderSecret(pending.orderId) ?? "" } },
      }),
    );
    forgetCheckout();
    return { kind: "reopened" };
  } catch (error) {
    if (error instanceof ApiError && error.problem?.type === "urn:shop:problem:payment-under-way") {
      forgetCheckout();
      return { kind: "paid", orderId: error.problem.order_id ?? pending.orderId };
    }
    throw error;
  }
}
