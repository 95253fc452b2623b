// Labels for the order screens, and which actions an order's state allows, as the server's
// checks (services/refunds.rs, cancellations.rs, domain/fulfillment.rs) decide them.
import type { Schemas } from "../api";
import { parseDecimal } from "../decimal";

export type AdminOrder = Schemas["AdminOrder"];
export type OrderStatus = Schemas["OrderStatus"];
export type FulfillmentStatus = Schemas["FulfillmentStatus"];
type Money = Schemas["Money"];

// Records rather than lists: a status the API adds fails the type check until it is named here.
export const orderStatuses: Record<OrderStatus, string> = {
  pending_payment: "Pending payment",
  paid: "Paid",
  needs_review: "Needs review",
  cancelled: "Cancelled",
  refunded: "Refunded",
  partially_refunded: "Partially refunded",
};

export const fulfillmentStatuses: Record<FulfillmentStatus, string> = {
  unfulfilled: "Unfulfilled",
  partially_fulfilled: "Partially shipped",
  fulfilled: "Shipped",
};

export function shortId(id: string): string {
  return id.slice(0, 8);
}

function decimalsOf(like: Money): number {
  return like.decimal.split(".")[1]?.length ?? 0;
}

/** `amount` minor units as a Money in the currency of `like`. */
export function moneyOf(amount: number, like: Money): Money {
  const decimals = decimalsOf(like);
  const digits = String(Math.abs(amount)).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const decimal = `${amount < 0 ? "-" : ""}${whole}${decimals ? `.${digits.slice(-decimals)}` : ""}`;
  return { amount, currency: like.currency, decimal };
}

/** The minor units of an amount typed in the currency of `like`, or what is wrong with it. */
export function toMinorUnits(text: string, like: Money): number | string {
  const decimals = decimalsOf(like);
  const parsed = parseDecimal(text, decimals);
  if ("value" in parsed) return parsed.value < 1 ? "Enter an amount above zero." : parsed.value;
  if (parsed.error === "too-large") return "The amount is too large.";
  if (parsed.error === "too-many-decimals") {
    return decimals ? `Use at most ${decimals} decimals.` : `${like.currency} amounts have no decimals.`;
  }
  return decimals ? `Enter an amount such as ${moneyOf(1050, like).decimal}.` : "Enter a whole amount.";
}

export function leftToRefund(order: AdminOrder): number {
  return Math.max(0, order.total.amount - order.refunded.amount);
}

export function mayRefund(order: AdminOrder): boolean {
  const paid = order.status === "paid" || order.status === "partially_refunded" || order.status === "needs_review";
  // A paid order the merchant cancelled may still have money its cancellation did not return.
  const cancelledAfterPayment = order.status === "cancelled" && Boolean(order.paid_at);
  return (paid || cancelledAfterPayment) && leftToRefund(order) > 0;
}

export function mayCancel(order: AdminOrder): boolean {
  return order.status !== "cancelled" && order.fulfillment_status === "unfulfilled";
}

/** The units of each line (by id) that have not shipped yet. */
export function leftToShip(order: AdminOrder): Map<string, number> {
  const left = new Map(order.lines.map((line) => [line.id, line.quantity]));
  for (const shipment of order.shipments) {
    for (const line of shipment.lines) left.set(line.line_id, (left.get(line.line_id) ?? 0) - line.quantity);
  }
  return left;
}

export function mayShip(order: AdminOrder): boolean {
  if (order.status !== "paid" && order.status !== "partially_refunded") return false;
  return [...leftToShip(order).values()].some((units) => units > 0);
}
