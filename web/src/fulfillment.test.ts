import { describe, expect, it } from "vitest";
import type { Schemas } from "./api/client";
import { fulfillmentText, shippedItems, shippedOn, showsShipping, trackingHref } from "./fulfillment";

const eur = (amount: number) => ({ amount, currency: "EUR", decimal: (amount / 100).toFixed(2) });

const line = (id: string, product_name: string, variant_title: string, quantity: number): Schemas["OrderLine"] => ({
  id,
  product_name,
  variant_title,
  quantity,
  sku: `${id}-sku`,
  variant_id: `${id}-variant`,
  unit_price: eur(1000),
  line_total: eur(1000 * quantity),
  discount: eur(0),
  tax: eur(0),
  tax_rate_bp: 2000,
});

const shipment = (lines: Schemas["ShipmentLineView"][]): Schemas["Shipment"] => ({
  id: "s1",
  carrier: "La Poste",
  tracking_number: "6A12345678901",
  tracking_url: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
  created_at: "2025-05-03T12:00:00Z",
  lines,
});

describe("fulfillmentText", () => {
  it("says how much has shipped", () => {
    expect(fulfillmentText("unfulfilled")).toBe("Not shipped yet");
    expect(fulfillmentText("partially_fulfilled")).toBe("Partly shipped");
    expect(fulfillmentText("fulfilled")).toBe("Shipped");
  });
});

describe("showsShipping", () => {
  const parcel = [shipment([{ line_id: "a", quantity: 1 }])];

  it("speaks of shipping once the order may ship", () => {
    expect(showsShipping({ status: "paid", shipments: [] })).toBe(true);
    expect(showsShipping({ status: "partially_refunded", shipments: [] })).toBe(true);
  });

  it("says nothing of an order that will not ship and has not", () => {
    for (const status of ["pending_payment", "needs_review", "cancelled", "refunded"] as const) {
      expect(showsShipping({ status, shipments: [] }), status).toBe(false);
    }
  });

  it("always shows parcels that left", () => {
    expect(showsShipping({ status: "refunded", shipments: parcel })).toBe(true);
    expect(showsShipping({ status: "cancelled", shipments: parcel })).toBe(true);
  });
});

describe("shippedItems", () => {
  const lines = [line("a", "Oxford Shirt", "M / Blue", 2), line("b", "Ceramic Mug", "Default", 3)];

  it("names each shipped line as the order does, with the parcel's quantity", () => {
    const items = shippedItems(
      shipment([
        { line_id: "b", quantity: 1 },
        { line_id: "a", quantity: 2 },
      ]),
      lines,
    );
    expect(items).toEqual([
      { lineId: "b", name: "Ceramic Mug", variant: "Default", quantity: 1 },
      { lineId: "a", name: "Oxford Shirt", variant: "M / Blue", quantity: 2 },
    ]);
  });

  it("still counts a line it cannot find", () => {
    expect(shippedItems(shipment([{ line_id: "z", quantity: 4 }]), lines)).toEqual([
      { lineId: "z", name: "An item of this order", variant: null, quantity: 4 },
    ]);
  });
});

describe("trackingHref", () => {
  it("keeps http and https URLs as they are", () => {
    expect(trackingHref("https://track.example/?n=1&c=2")).toBe("https://track.example/?n=1&c=2");
    expect(trackingHref("http://track.example/6A1")).toBe("http://track.example/6A1");
  });

  it("links nowhere without a URL, or with one of another scheme", () => {
    expect(trackingHref(null)).toBeNull();
    expect(trackingHref(undefined)).toBeNull();
    expect(trackingHref("")).toBeNull();
    expect(trackingHref("javascript:alert(1)")).toBeNull();
    expect(trackingHref(" JavaScript:alert(1)")).toBeNull();
    expect(trackingHref("data:text/html,<p>hi</p>")).toBeNull();
    expect(trackingHref("/relative/path")).toBeNull();
  });
});

describe("shippedOn", () => {
  it("says the day in the shopper's language", () => {
    expect(shippedOn("2025-05-03T12:00:00Z", "en-GB", "UTC")).toBe("3 May 2025");
    expect(shippedOn("2025-05-03T12:00:00Z", "en-US", "UTC")).toBe("May 3, 2025");
  });

  it("in the shopper's time zone", () => {
    expect(shippedOn("2025-05-03T23:30:00Z", "en-GB", "Europe/Paris")).toBe("4 May 2025");
  });
});
