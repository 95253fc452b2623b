// A signed-in shopper's address book at checkout: their saved addresses to choose from, and the
// defaults filled in when the cart has no address yet.

import { useEffect, useState } from "preact/hooks";
import { type AddressDraft, inputOf } from "../../address";
import { type SavedAddress, addressLine, findSaved, loadAddressBook } from "../../addressBook";

/** The address book while signed in (null before it is read, or when it cannot be: the checkout works without it). */
export function useAddressBook(signedIn: boolean) {
  const [book, setBook] = useState<SavedAddress[] | null>(null);
  const reload = async () => {
    setBook(signedIn ? await loadAddressBook().catch(() => null) : null);
  };
  useEffect(() => {
    void reload();
  }, [signedIn]);
  return { book, reload };
}

/**
 * A select of the saved addresses; choosing one fills the fields below it. It shows the saved
 * address the fields hold, if they hold one, and "a new address" once they are edited away from it.
 */
export function SavedAddressPicker(props: {
  id: string;
  label: string;
  book: readonly SavedAddress[];
  draft: AddressDraft;
  disabled: boolean;
  /** A saved address, or null for "a new address": empty fields. */
  onPick(saved: SavedAddress | null): void;
}) {
  const current = findSaved(props.book, inputOf(props.draft))?.id ?? "";
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        value={current}
        disabled={props.disabled}
        onChange={(e) => {
          props.onPick(props.book.find((entry) => entry.id === e.currentTarget.value) ?? null);
        }}
      >
        <option value="">A new address</option>
        {props.book.map((saved) => (
          <option key={saved.id} value={saved.id}>
            {addressLine(saved.address)}
          </option>
        ))}
      </select>
    </div>
  );
}
