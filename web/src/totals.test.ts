import { describe, expect, it } from "vitest";
import { type Totals, shippingPrice, totalsSummary } from "./totals";

const eur = (amount: number) => ({ amount, currency: "EUR", decimal: (amount / 100).toFixed(2) });

const base: Totals = {
  subtotal: eur(5000),
  discount: eur(0),
  shipping: null,
  tax: eur(0),
  tax_lines: [],
  tax_included: true,
  tax_pending: true,
  total: eur(5000),
};

const summary = (totals: Partial<Totals>, place: "cart" | "checkout" = "checkout", items = 2) =>
  totalsSummary({ ...base, ...totals }, items, place, "en-US");

describe("totalsSummary", () => {
  it("says what is not known yet, where the shopper is", () => {
    expect(summary({}, "cart", 1)).toEqual({
      rows: [
        { kind: "subtotal", label: "Subtotal (1 item)", value: "€50.00" },
        { kind: "shipping", label: "Shipping", value: "Calculated at checkout" },
        { kind: "total", label: "Total", value: "€50.00" },
      ],
      notes: ["Prices include tax."],
    });
    expect(summary({ tax_included: false }).rows.map((row) => row.value)).toEqual([
      "€50.00",
      "Choose a shipping method",
      "Calculated from your address",
      "€50.00",
    ]);
  });

  it("tells the tax inside the prices under the total", () => {
    const { rows, notes } = summary({
      shipping: eur(490),
      tax_pending: false,
      tax: eur(915),
      tax_lines: [{ label: "VAT 20 %", rate_bp: 2000, amount: eur(833) }, { label: "VAT 5.5 %", rate_bp: 550, amount: eur(82) }],
      total: eur(5490),
    });
    expect(rows.map((row) => `${row.label}: ${row.value}`)).toEqual(["Subtotal (2 items): €50.00", "Shipping: €4.90", "Total: €54.90"]);
    expect(notes).toEqual(["Includes VAT 20 %: €8.33", "Includes VAT 5.5 %: €0.82"]);
  });

  it("adds tax lines before the total where prices exclude tax, and shows a discount", () => {
    const { rows, notes } = summary({
      discount: eur(500),
      shipping: eur(0),
      tax_included: false,
      tax_pending: false,
      tax: eur(400),
      tax_lines: [{ label: "Sales tax 8.875 %", rate_bp: 888, amount: eur(400) }],
      total: eur(4900),
    });
    expect(rows).toEqual([
      { kind: "subtotal", label: "Subtotal (2 items)", value: "€50.00" },
      { kind: "discount", label: "Discount", value: "\u2212€5.00" },
      { kind: "shipping", label: "Shipping", value: "Free" },
      { kind: "tax", label: "Sales tax 8.875 %", value: "€4.00" },
      { kind: "total", label: "Total", value: "€49.00" },
    ]);
    expect(notes).toEqual([]);
  });

  it("shows no tax as zero where tax is added, and nothing where it is included", () => {
    expect(summary({ tax_included: false, tax_pending: false }).rows.find((row) => row.kind === "tax")?.value).toBe("€0.00");
    expect(summary({ tax_pending: false })).toMatchObject({ notes: [] });
  });
});

describe("shippingPrice", () => {
  it("says Free for nothing", () => {
    expect(shippingPrice(eur(0), "en-US")).toBe("Free");
    expect(shippingPrice(eur(1290), "en-US")).toBe("€12.90");
  });
});
