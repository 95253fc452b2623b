// Addresses as the checkout's forms hold them, and the server's refusals of them turned into a
// message beside each field.

import type { Schemas } from "./api/client";
import { fieldRefusal, sentence } from "./fields";

export { sentence };

export type Address = Schemas["Address"];
export type AddressInput = Schemas["AddressInput"];

/** What the form's inputs hold: every field a string, an optional one empty when not given. */
export interface AddressDraft {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  region: string;
  country: string;
  phone: string;
}

export type AddressField = keyof AddressDraft;

/** In the order the form shows them, which is the order focus goes to the first wrong one. */
export const ADDRESS_FIELDS: readonly AddressField[] = ["name", "line1", "line2", "city", "postal_code", "region", "country", "phone"];

export type FieldMessages = Partial<Record<AddressField, string>>;

export function draftOf(address: Address | null | undefined, country = ""): AddressDraft {
  return {
    name: address?.name ?? "",
    line1: address?.line1 ?? "",
    line2: address?.line2 ?? "",
    city: address?.city ?? "",
    postal_code: address?.postal_code ?? "",
    region: address?.region ?? "",
    country: address?.country ?? country,
    phone: address?.phone ?? "",
  };
}

/**
 * People write phone numbers with spaces, dots, dashes and brackets; the server wants E.164, so
 * those go. A number without the leading + stays as typed for the server to say what is missing.
 */
export function phoneForServer(phone: string): string {
  return phone.replace(/[\s.()-]/g, "");
}

export function inputOf(draft: AddressDraft): AddressInput {
  const optional = (value: string) => value.trim() || null;
  return {
    name: draft.name.trim(),
    line1: draft.line1.trim(),
    line2: optional(draft.line2),
    city: draft.city.trim(),
    postal_code: draft.postal_code.trim(),
    region: optional(draft.region),
    // Chosen from the list of codes; a blank one is caught before sending, and the server names
    // anything else it refuses.
    country: draft.country as AddressInput["country"],
    phone: optional(phoneForServer(draft.phone)),
  };
}

const REQUIRED: Partial<Record<AddressField, string>> = {
  name: "Enter the full name.",
  line1: "Enter the street and number.",
  city: "Enter the town or city.",
  postal_code: "Enter the postal code.",
  country: "Choose a country.",
};

/** Required fields left blank, said as what to do, before any round trip to the server. */
export function blankFields(draft: AddressDraft): FieldMessages {
  const blank: FieldMessages = {};
  for (const field of ADDRESS_FIELDS) {
    const message = REQUIRED[field];
    if (message && draft[field].trim() === "") blank[field] = message;
  }
  return blank;
}

export interface Refusal {
  /** What to show beside each field of the form. */
  fields: FieldMessages;
  /** What the server said of inputs the form does not have, to show above it. */
  other: string[];
}

/**
 * A validation problem's messages by field; null when the failure is not a refusal of fields.
 * `prefix` is what the API puts before the names of an address nested in a larger input
 * ("address." in the address book).
 */
export function refusalOf(error: unknown, prefix = ""): Refusal | null {
  return fieldRefusal(error, ADDRESS_FIELDS, prefix);
}

/** The first wrong field in the form's order, or null when every field is fine. */
export function firstWrong(fields: FieldMessages): AddressField | null {
  return ADDRESS_FIELDS.find((field) => fields[field] !== undefined) ?? null;
}
