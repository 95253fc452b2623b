// Amounts the admin types as decimals ("25.50", "5,5") read into whole minor units or basis
// points: the digits are joined rather than multiplied, so no float rounding creeps in.

export type Parsed = { value: number } | { error: "not-a-number" | "too-many-decimals" | "too-large" };

export function parseDecimal(text: string, decimals: number): Parsed {
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(text.trim());
  const whole = match?.[1] ?? "";
  const fraction = match?.[2] ?? "";
  if (!match || (whole === "" && fraction === "")) return { error: "not-a-number" };
  if (fraction.length > decimals) return { error: "too-many-decimals" };
  const value = Number(`${whole || "0"}${fraction.padEnd(decimals, "0")}`);
  if (!Number.isSafeInteger(value)) return { error: "too-large" };
  return { value };
}
