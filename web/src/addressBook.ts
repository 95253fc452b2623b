// The signed-in shopper's address book: the addresses saved to the account, one of them the
// default to ship to and one the default to bill, which the checkout fills in for them.

import type { Address, AddressInput } from "./address";
import { type Schemas, api, call } from "./api/client";
import { countryName } from "./countries";

export type SavedAddress = Schemas["CustomerAddress"];

export interface Defaults {
  shipping: SavedAddress | null;
  billing: SavedAddress | null;
}

/** The default shipping and billing addresses, when the book has them. */
export function defaultsOf(book: readonly SavedAddress[]): Defaults {
  return {
    shipping: book.find((saved) => saved.default_shipping) ?? null,
    billing: book.find((saved) => saved.default_billing) ?? null,
  };
}

/** An address on one line, to tell the entries of a list apart: "Ada Lovelace, 12 Rue de Rivoli, 75001 Paris, France". */
export function addressLine(address: Address): string {
  const { name, line1, line2, postal_code, city, region, country } = address;
  return [name, line1, line2, [postal_code, city].join(" "), region, countryName(country)]
    .map((part) => (part ?? "").trim())
    .filter(Boolean)
    .join(", ");
}

const COMPARED = ["name", "line1", "line2", "city", "postal_code", "region", "country", "phone"] as const;

/** Whether the book has this address already, as the server would store it (blank and absent alike, case kept). */
export function sameAddress(input: AddressInput, saved: Address): boolean {
  return COMPARED.every((field) => (input[field] ?? "").trim() === (saved[field] ?? "").trim());
}

/** The saved entry with this address, if any: a checkout's address saved again would be a duplicate. */
export function findSaved(book: readonly SavedAddress[], input: AddressInput): SavedAddress | null {
  return book.find((saved) => sameAddress(input, saved.address)) ?? null;
}

export async function loadAddressBook(): Promise<SavedAddress[]> {
  return (await call(api.GET("/api/v1/customers/me/addresses"))).items;
}

export interface Entry {
  address: AddressInput;
  default_shipping?: boolean;
  default_billing?: boolean;
}

export async function addAddress(entry: Entry): Promise<SavedAddress> {
  return call(api.POST("/api/v1/customers/me/addresses", { body: entry }));
}

export async function updateAddress(id: string, change: Partial<Entry>): Promise<SavedAddress> {
  return call(api.PATCH("/api/v1/customers/me/addresses/{id}", { params: { path: { id } }, body: change }));
}

export async function deleteAddress(id: string): Promise<void> {
  await call(api.DELETE("/api/v1/customers/me/addresses/{id}", { params: { path: { id } } }));
}
