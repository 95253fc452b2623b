// The one way the back office loads what a screen shows and sends what a form holds: money typed
// as decimals and sent in minor units, and each message, the form's own or the server's, beside
// the input it is about.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Schemas, api, call, messageOf } from "./api";
import { parseDecimal } from "./decimal";

export type Errors = Record<string, string>;
export type MoneyInput = Schemas["MoneyInput"];

export interface Outcome {
  kind: "error" | "success";
  text: string;
}

export interface Currency {
  code: string;
  decimals: number;
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

/** Inputs the form could not read, by the API's field name. */
export class FormInvalid extends Error {
  constructor(readonly fields: Errors) {
    super("Some fields cannot be read.");
  }
}

/** A failure the screen words itself, shown as it is rather than as the server put it. */
export class Failure extends Error {}

interface Placing {
  /** Put before each field name to make the form's input ids unique on the page. */
  prefix?: string;
  /** Whether the form has an input for a field (after `alias`); others go in the notice. */
  inputs?: string[] | ((field: string) => boolean);
  /** The input a field the server names stands for, when its name differs. */
  alias?: (field: string) => string;
}

/** A failure as the message beside each input it names and the sentence above the form. */
function place(error: unknown, { prefix = "", inputs = [], alias = (field) => field }: Placing): { errors: Errors; text: string } {
  const hasInput = typeof inputs === "function" ? inputs : (field: string) => inputs.includes(field);
  const fields = error instanceof FormInvalid || error instanceof ApiError ? error.fields : {};
  const errors: Errors = {};
  const others: string[] = [];
  for (const [field, message] of Object.entries(fields)) {
    // The form's own messages are keyed by its inputs already; the server names what it was sent,
    // and a money input stands for the whole amount, whichever of its parts the server names.
    const key = error instanceof ApiError ? alias(field.replace(/\.(amount|currency)$/, "")) : field;
    if (hasInput(key)) errors[prefix + key] = message;
    else others.push(`${field}: ${message}`);
  }
  if (others.length > 0) return { errors, text: others.join(" ") };
  if (Object.keys(errors).length > 0) return { errors, text: "Please correct the fields marked below." };
  return { errors, text: error instanceof Failure ? error.message : messageOf(error) };
}

/** Fetches when `deps` change; `reload` fetches again. With `placing`, a failure that names the
 * inputs the data was asked with (a filter form's) is told beside them, in `errors`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], placing?: Placing) {
  const [data, setData] = useState<T>();
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setFailure(null);
    setErrors({});
    load().then(
      (value) => current && setData(value),
      (error) => {
        if (!current) return;
        const told = placing ? place(error, placing) : { errors: {}, text: messageOf(error) };
        setErrors(told.errors);
        setFailure(told.text);
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, setData, failure, errors, reload: () => setRound((n) => n + 1) };
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

/** A form's submission, or a button's action: its success sentence, or each failure beside its
 * input. A button that acts on one row of many passes the row after the event: `submit(undefined, row)`. */
export function useSubmit<A extends unknown[] = []>(action: (...args: A) => Promise<string | void>, placing: Placing = {}) {
  const [errors, setErrors] = useState<Errors>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event?: Event, ...args: A) => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    setOutcome(null);
    try {
      const text = await action(...args);
      if (text) setOutcome({ kind: "success", text });
    } catch (error) {
      const told = place(error, placing);
      setErrors(told.errors);
      setOutcome({ kind: "error", text: told.text });
    } finally {
      setBusy(false);
    }
  };
  return { errors, outcome, busy, submit };
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
