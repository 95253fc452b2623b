// Order secrets, so the order page can be reopened after a reload.

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
