import { describe, expect, it } from "vitest";
import { exponentOf, formatMoney } from "./money";

describe("formatMoney", () => {
  it("follows each currency's exponent", () => {
    expect(formatMoney({ amount: 1999, currency: "EUR", decimal: "19.99" }, "en-US")).toBe("€19.99");
    expect(formatMoney({ amount: 1999, currency: "JPY", decimal: "1999" }, "en-US")).toBe("¥1,999");
    expect(formatMoney({ amount: 1999, currency: "KWD", decimal: "1.999" }, "en-US").replace(/\s/g, " ")).toBe("KWD 1.999");
    expect(formatMoney({ amount: 0, currency: "EUR", decimal: "0.00" }, "en-US")).toBe("€0.00");
  });

  it("reads the exponent from the server's decimal", () => {
    expect(exponentOf({ amount: 5, currency: "EUR", decimal: "0.05" })).toBe(2);
    expect(exponentOf({ amount: 5, currency: "JPY", decimal: "5" })).toBe(0);
    expect(exponentOf({ amount: 5, currency: "KWD", decimal: "0.005" })).toBe(3);
  });
});
