import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal";

describe("parseDecimal", () => {
  it("reads decimals into whole minor units without float rounding", () => {
    expect(parseDecimal("25.50", 2)).toEqual({ value: 2550 });
    expect(parseDecimal("0.29", 2)).toEqual({ value: 29 });
    expect(parseDecimal("1,005", 3)).toEqual({ value: 1005 });
    expect(parseDecimal(" 7 ", 2)).toEqual({ value: 700 });
    expect(parseDecimal(".5", 2)).toEqual({ value: 50 });
    expect(parseDecimal("2500", 0)).toEqual({ value: 2500 });
  });

  it("refuses what is not an amount in the currency", () => {
    expect(parseDecimal("", 2)).toEqual({ error: "not-a-number" });
    expect(parseDecimal("-5", 2)).toEqual({ error: "not-a-number" });
    expect(parseDecimal("1e3", 2)).toEqual({ error: "not-a-number" });
    expect(parseDecimal("2.505", 2)).toEqual({ error: "too-many-decimals" });
    expect(parseDecimal("25.5", 0)).toEqual({ error: "too-many-decimals" });
    expect(parseDecimal("99999999999999999", 2)).toEqual({ error: "too-large" });
  });
});
