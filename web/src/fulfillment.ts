// What an order page says about shipping: how much has left, and what each parcel carried.

import type { Schemas } from "./api/client";

type Order = Schemas["Order"];
type OrderLine = Schemas["OrderLine"];
type Shipment = Schemas["Shipment"];
export type FulfillmentStatus = Schemas["FulfillmentStatus"];

const FULFILLMENT_TEXT: Record<FulfillmentStatus, string> = {
  unfulfilled: "Not shipped yet",
  partially_fulfilled: "Partly shipped",
  fulfilled: "Shipped",
};

/** The fulfilment status as the shopper reads it. */
export function fulfillmentText(status: FulfillmentStatus): string {
  return FULFILLMENT_TEXT[status];
}

/**
 * Whether the order page speaks of shipping at all: once the order may ship (its payment settled,
 * a partial refund included), or once anything has shipped. An order awaiting payment, held for
 * review, cancelled or refunded before shipping will not ship, and "not shipped yet" would promise
 * that it will.
 */
export function showsShipping(order: Pick<Order, "status" | "shipments">): boolean {
  return order.shipments.length > 0 || order.status === "paid" || order.status === "partially_refunded";
}

/** One item of a parcel, named as the order names it. */
export interface ShippedItem {
  lineId: string;
  name: string;
  variant: string | null;
  quantity: number;
}

/** What a parcel carried, in the parcel's order, each line found among the order's by its id. */
export function shippedItems(shipment: Pick<Shipment, "lines">, lines: readonly OrderLine[]): ShippedItem[] {
  const byId = new Map(lines.map((line) => [line.id, line]));
  return shipment.lines.map(({ line_id, quantity }) => {
    const line = byId.get(line_id);
    // Every shipment line names a line of its order; were one missing, the parcel still says how many.
    return { lineId: line_id, name: line?.product_name ?? "An item of this order", variant: line?.variant_title ?? null, quantity };
  });
}

/** A tracking link's target, or null for anything but an absolute http(s) URL (the server checks it too). */
export function trackingHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/** The day a parcel left, in the shopper's language and time zone. */
export function shippedOn(createdAt: string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(new Date(createdAt));
}
