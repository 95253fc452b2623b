// Amounts arrive as integer minor units plus an ISO currency and the server's exact decimal
// rendering; the exponent is read from that rendering, so no currency table lives here.

export interface Money {
  amount: number;
  currency: string;
  decimal: string;
}

export function exponentOf(money: Money): number {
  const dot = money.decimal.indexOf(".");
  return dot === -1 ? 0 : money.decimal.length - dot - 1;
}

export function formatMoney(money: Money, locale?: string): string {
  const exponent = exponentOf(money);
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  return format.format(money.amount / 10 ** exponent);
}
