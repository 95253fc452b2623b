// A cart's totals as rows of a summary. Every figure is the server's; this only decides what to
// say of each, and what to say while the address or the shipping method is not known yet.

import type { Schemas } from "./api/client";
import { type Money, formatMoney } from "./money";

export type Totals = Schemas["CartTotals"];

export interface TotalsRow {
  kind: "subtotal" | "discount" | "shipping" | "tax" | "total";
  label: string;
  value: string;
}

export interface TotalsSummary {
  rows: TotalsRow[];
  /** Said under the total: the tax already in the prices. */
  notes: string[];
}

/** The cart page sends the shopper to the checkout for what is missing; the checkout asks for it. */
export type SummaryPlace = "cart" | "checkout";

const NOT_YET: Record<SummaryPlace, { shipping: string; tax: string }> = {
  cart: { shipping: "Calculated at checkout", tax: "Calculated at checkout" },
  checkout: { shipping: "Choose a shipping method", tax: "Calculated from your address" },
};

export function shippingPrice(price: Money, locale?: string): string {
  return price.amount === 0 ? "Free" : formatMoney(price, locale);
}

export function totalsSummary(totals: Totals, itemCount: number, place: SummaryPlace, locale?: string): TotalsSummary {
  const money = (value: Money) => formatMoney(value, locale);
  const rows: TotalsRow[] = [
    { kind: "subtotal", label: `Subtotal (${itemCount} ${itemCount === 1 ? "item" : "items"})`, value: money(totals.subtotal) },
  ];
  const notes: string[] = [];
  if (totals.discount.amount !== 0) {
    // A minus sign, not a hyphen, so that screen readers say "minus".
    rows.push({ kind: "discount", label: "Discount", value: `\u2212${money({ ...totals.discount, amount: Math.abs(totals.discount.amount) })}` });
  }
  rows.push({
    kind: "shipping",
    label: "Shipping",
    value: totals.shipping ? shippingPrice(totals.shipping, locale) : NOT_YET[place].shipping,
  });
  if (totals.tax_included) {
    // The prices hold the tax already, whatever the rate the address brings.
    if (totals.tax_pending) notes.push("Prices include tax.");
    else for (const line of totals.tax_lines) notes.push(`Includes ${line.label}: ${money(line.amount)}`);
  } else if (totals.tax_pending) {
    rows.push({ kind: "tax", label: "Tax", value: NOT_YET[place].tax });
  } else if (totals.tax_lines.length === 0) {
    rows.push({ kind: "tax", label: "Tax", value: money(totals.tax) });
  } else {
    for (const line of totals.tax_lines) rows.push({ kind: "tax", label: line.label, value: money(line.amount) });
  }
  rows.push({ kind: "total", label: "Total", value: money(totals.total) });
  return { rows, notes };
}
