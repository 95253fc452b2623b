import { describe, expect, it } from "vitest";
import { inputOf, draftOf } from "./address";
import { type SavedAddress, addressLine, defaultsOf, findSaved } from "./addressBook";

const paris = { name: "Ada Lovelace", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" as const };
const london = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postal_code: "SW1Y 4JH", country: "GB" as const, phone: "+442071234567" };

function saved(id: string, address: SavedAddress["address"], shipping: boolean, billing: boolean): SavedAddress {
  return { id, address, default_shipping: shipping, default_billing: billing, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
}

describe("the address book", () => {
  const book = [saved("a", paris, true, false), saved("b", london, false, true)];

  it("finds the defaults", () => {
    expect(defaultsOf(book)).toEqual({ shipping: book[0], billing: book[1] });
    expect(defaultsOf([])).toEqual({ shipping: null, billing: null });
  });

  it("writes an address on one line", () => {
    expect(addressLine(paris)).toBe("Ada Lovelace, 12 Rue de Rivoli, 75001 Paris, France");
  });

  it("knows an address it has, as the checkout's form holds it", () => {
    expect(findSaved(book, inputOf(draftOf(paris)))?.id).toBe("a");
    // Typed with spaces, the phone is the same number.
    expect(findSaved(book, inputOf({ ...draftOf(london), phone: "+44 20 7123 4567" }))?.id).toBe("b");
    expect(findSaved(book, inputOf({ ...draftOf(paris), line2: "Apt 3" }))).toBeNull();
  });
});
