// What the catalog and settings screens share: money typed as decimals and sent in minor units,
// and forms that put each server message beside its input.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Schemas, api, call, messageOf } from "../api";
import { parseDecimal } from "../decimal";

export type Errors = Record<string, string>;
export type MoneyInput = Schemas["MoneyInput"];
export type Category = Schemas["Category"];

export interface Currency {
  code: string;
  decimals: number;
}

const NO_DECIMALS = ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];
const THREE_DECIMALS = ["BHD", "JOD", "KWD", "OMR", "TND"];

export function currencyFor(code: string): Currency {
  return { code, decimals: NO_DECIMALS.includes(code) ? 0 : THREE_DECIMALS.includes(code) ? 3 : 2 };
}

/** A shown amount's currency, with as many decimals as the server wrote it with. */
export function currencyOf(money: Schemas["Money"]): Currency {
  return { code: money.currency, decimals: money.decimal.split(".")[1]?.length ?? 0 };
}

export function moneyHint(currency: Currency | undefined): string {
  if (!currency) return "";
  const example = currency.decimals === 0 ? "2500" : `25.${"0".repeat(currency.decimals)}`;
  return `In ${currency.code}, such as ${example}.`;
}

let shopCurrency: Promise<Currency> | undefined;

/** The shop's currency, as GET /config tells, asked once; undefined when it cannot be had. */
export function loadShopCurrency(): Promise<Currency | undefined> {
  shopCurrency ??= call(api.GET("/api/v1/config")).then((config) => ({
    code: config.currency,
    decimals: config.currency_exponent,
  }));
  return shopCurrency.catch(() => {
    shopCurrency = undefined;
    return undefined;
  });
}

/** The shop's currency for hints; a form submitted before it is known awaits loadShopCurrency. */
export function useShopCurrency(): Currency | undefined {
  const [currency, setCurrency] = useState<Currency>();
  useEffect(() => {
    void loadShopCurrency().then(setCurrency);
  }, []);
  return currency;
}

/** Categories, alphabetically; revalidated so that one just created elsewhere shows. */
export async function loadCategories(): Promise<Category[]> {
  return (await call(api.GET("/api/v1/categories", { cache: "no-cache" }))).items;
}

/** Fetches when `deps` change; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T>();
  const [failure, setFailure] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setFailure(null);
    load().then(
      (value) => current && setData(value),
      (error) => current && setFailure(messageOf(error)),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, setData, failure, reload: () => setRound((n) => n + 1) };
}

/** Inputs the form could not read, by the API's field name. */
export class FormInvalid extends Error {
  constructor(readonly fields: Errors) {
    super("Some fields cannot be read.");
  }
}

/** Reads what the admin typed into what the API takes, keeping a message per unreadable input. */
export class Reader {
  readonly errors: Errors = {};

  private decimal(field: string, text: string, decimals: number, example: string): number | null {
    const parsed = parseDecimal(text, decimals);
    if ("value" in parsed) return parsed.value;
    this.errors[field] =
      parsed.error === "not-a-number"
        ? `Enter a number, such as ${example}.`
        : parsed.error === "too-many-decimals"
          ? decimals === 0
            ? "Enter a whole number."
            : `Enter at most ${decimals} decimals.`
          : "This number is too large.";
    return null;
  }

  /** "25.00" in EUR as {amount: 2500, currency: "EUR"}; nothing typed is null. */
  money(field: string, text: string, currency: Currency | undefined): MoneyInput | null {
    if (!text.trim()) return null;
    if (!currency) {
      this.errors[field] = "The currency is not known yet; try again in a moment.";
      return null;
    }
    const example = currency.decimals === 0 ? "2500" : `25.${"0".repeat(currency.decimals)}`;
    const amount = this.decimal(field, text, currency.decimals, example);
    return amount === null ? null : ({ amount, currency: currency.code } as MoneyInput);
  }

  /** A money input that must be given; its placeholder is never sent, since `done` throws. */
  requiredMoney(field: string, text: string, currency: Currency | undefined): MoneyInput {
    const value = this.money(field, text, currency);
    if (!text.trim()) this.errors[field] = "Enter an amount.";
    return value ?? ({ amount: 0, currency: "EUR" } as MoneyInput);
  }

  /** A percentage such as "20" or "5.5" in basis points (2000, 550); nothing typed is null. */
  percent(field: string, text: string): number | null {
    return text.trim() ? this.decimal(field, text, 2, "20 or 5.5") : null;
  }

  integer(field: string, text: string): number | null {
    if (!text.trim()) return null;
    if (!/^-?\d+$/.test(text.trim())) {
      this.errors[field] = "Enter a whole number.";
      return null;
    }
    return Number(text.trim());
  }

  /** A datetime-local value, read as UTC like every time the back office shows; empty is null. */
  instant(field: string, text: string): string | null {
    if (!text.trim()) return null;
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim());
    const instant = match ? new Date(`${match[1]}T${match[2]}${match[3] ?? ":00"}Z`) : null;
    if (!instant || Number.isNaN(instant.getTime())) {
      this.errors[field] = "Enter a date and time, such as 2030-06-01 09:00.";
      return null;
    }
    return instant.toISOString();
  }

  /** Throws the messages collected, if any. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw new FormInvalid(this.errors);
  }
}

export interface Outcome {
  kind: "error" | "success";
  text: string;
}

interface SubmitOptions {
  /** Put before each field name to make the form's input ids unique on the page. */
  prefix?: string;
  /** Whether the form has an input for a field (after `alias`); others go in the notice. */
  inputs: string[] | ((field: string) => boolean);
  /** The input a field the server names stands for, when its name differs. */
  alias?: (field: string) => string;
}

/** A form's submission: its action's success sentence, or each failure beside its input. */
export function useSubmit(action: () => Promise<string | void>, { prefix = "", inputs, alias }: SubmitOptions) {
  const [errors, setErrors] = useState<Errors>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const hasInput = typeof inputs === "function" ? inputs : (field: string) => inputs.includes(field);

  const submit = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    setOutcome(null);
    try {
      const text = await action();
      if (text) setOutcome({ kind: "success", text });
    } catch (error) {
      const fields = error instanceof FormInvalid || error instanceof ApiError ? error.fields : {};
      const mine: Errors = {};
      const others: string[] = [];
      for (const [field, message] of Object.entries(fields)) {
        // A money input stands for the whole amount, whichever of its parts the server names.
        const plain = field.replace(/\.(amount|currency)$/, "");
        const key = alias ? alias(plain) : plain;
        if (hasInput(key)) mine[prefix + key] = message;
        else others.push(`${field}: ${message}`);
      }
      setErrors(mine);
      if (others.length > 0) setOutcome({ kind: "error", text: others.join(" ") });
      else if (Object.keys(mine).length > 0) setOutcome({ kind: "error", text: "Please correct the fields marked below." });
      else setOutcome({ kind: "error", text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return { errors, outcome, setOutcome, busy, submit };
}

export function Checkbox({
  name,
  label,
  checked,
  onChecked,
  errors,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  errors?: Errors;
}) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field check">
      <input
        type="checkbox"
        id={id}
        name={name}
        checked={checked}
        onChange={(event) => onChecked((event.target as HTMLInputElement).checked)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextArea({
  name,
  label,
  value,
  onValue,
  errors,
  disabled,
}: {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  errors?: Errors;
  disabled?: boolean;
}) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        value={value}
        disabled={disabled}
        rows={5}
        onInput={(event) => onValue((event.target as HTMLTextAreaElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Text read by screen readers only, to tell apart buttons that look alike. */
export function Hidden({ children }: { children: ComponentChildren }) {
  return <span class="visually-hidden">{children}</span>;
}
