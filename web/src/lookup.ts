// Orders from any device: POST /orders/lookup mails a link to /orders/find#token=…, which lists
// the address's orders, each opening at /orders/{id}#lookup=…. The token lives in the address's
// fragment, which no request carries: the storefront sends it in the Lookup-Token header alone,
// and stores it nowhere.

import { sentence } from "./address";
import { ApiError, type Schemas } from "./api/client";

type OrderStatus = Schemas["OrderStatus"];

/** What an address's fragment says of a lookup token: none, one to send, or one cut short or mangled. */
export type FragmentToken = { kind: "none" } | { kind: "token"; token: string } | { kind: "malformed" };

// The server's tokens are hex, digits and dots; anything outside URL-safe characters is no token
// of its making, and would not even go into a header.
const TOKEN = /^[A-Za-z0-9._~-]{1,1000}$/;

/** The token `name` ("token" on the find page, "lookup" on an order page) in a fragment such as "#token=…". */
export function fragmentToken(hash: string, name: "token" | "lookup"): FragmentToken {
  const value = new URLSearchParams(hash.replace(/^#/, "")).get(name);
  if (value === null) return { kind: "none" };
  return TOKEN.test(value) ? { kind: "token", token: value } : { kind: "malformed" };
}

/** An order's page, opened with a lookup link's token rather than the secret of the browser that placed it. */
export function lookupOrderHref(orderId: string, token: string): string {
  return `/orders/${encodeURIComponent(orderId)}#lookup=${encodeURIComponent(token)}`;
}

/** The order's reference as the emails print it: its id's first 8 hex digits, upper-cased. */
export function orderReference(orderId: string): string {
  return orderId.replace(/-/g, "").slice(0, 8).toUpperCase();
}

const STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  paid: "Paid",
  needs_review: "Paid, being checked",
  cancelled: "Cancelled",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
};

/** An order's status in a list of orders: a word or two. */
export function orderStatusText(status: OrderStatus): string {
  return STATUS_TEXT[status];
}

/** The day an order was placed, in the shopper's language and time zone. */
export function placedOn(createdAt: string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(createdAt));
}

/** Why asking for a link was refused: the address (said beside the field), or too many asks (said above it). */
export type AskRefusal = { kind: "email"; message: string } | { kind: "wait"; message: string };

/** What to tell the shopper whose ask for a link failed; null when the page's usual error notice says it. */
export function askRefusal(error: unknown): AskRefusal | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 429) return { kind: "wait", message: "You have asked for several links in a short time. Please try again in a minute." };
  if (error.status !== 422 || !error.problem) return null;
  const { errors, field, detail } = error.problem;
  const said = errors?.find((e) => e.field === "email")?.message ?? (field === "email" ? (detail ?? "").replace(/^email: /, "") : "");
  return { kind: "email", message: said.trim() ? sentence(said) : "Enter an email address such as ada@example.com." };
}

/** Whether a failure is the API saying that a lookup link is unknown, forged, altered or expired. */
export function isInvalidLink(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
