// The server's refusal of a form's inputs, turned into a message beside each input it names and
// sentences for the rest, to show above the form. A refusal of one input comes as `field` and a
// `detail` that starts with its name; one of several (an address) as `errors`.

import { ApiError } from "./api/client";

/** The server writes "must be 1 to 20 letters…" to follow a field's name; beside the field it is a sentence. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === "") return trimmed;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export interface FieldRefusal<F extends string> {
  /** What to show beside each input of the form, by the API's name of its field. */
  fields: Partial<Record<F, string>>;
  /** What the server said of inputs the form does not have, or of none, to show above it. */
  other: string[];
}

/**
 * A validation problem (422) as messages for the form whose inputs are `known`; null when the
 * failure is no refusal of inputs. `prefix` is what the API puts before the form's names when
 * they are nested ("address." for an address book entry's `address.postal_code`).
 */
export function fieldRefusal<F extends string>(error: unknown, known: readonly F[], prefix = ""): FieldRefusal<F> | null {
  if (!(error instanceof ApiError) || error.status !== 422 || !error.problem) return null;
  const { errors, field, detail, title } = error.problem;
  const refusal: FieldRefusal<F> = { fields: {}, other: [] };
  const listed = errors && errors.length > 0 ? errors : field ? [{ field, message: (detail ?? "").replace(`${field}: `, "") }] : [];
  for (const { field: name, message } of listed) {
    const local = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
    // "is not your password" follows the field's name; beside the field it needs a subject.
    const beside = /^is\b/.test(message) ? `this ${message}` : message || title;
    if ((known as readonly string[]).includes(local)) refusal.fields[local as F] ??= sentence(beside);
    else refusal.other.push(sentence(`${name}: ${message}`));
  }
  if (listed.length === 0) refusal.other.push(sentence(detail ?? title));
  return refusal;
}

/** The first input, in the form's order, with a message; null when there is none. */
export function firstWithMessage<F extends string>(order: readonly F[], fields: Partial<Record<F, string>>): F | null {
  return order.find((field) => fields[field] !== undefined) ?? null;
}
