import { useEffect, useState } from "preact/hooks";
import { type SavedAddress, addressLine, deleteAddress, loadAddressBook, updateAddress } from "../../addressBook";
import { ErrorNotice, Loading, PostalAddress } from "../../components";
import { AddressForm } from "./AddressForm";
import { AccountPage, useFocusAfterRender } from "./ui";

/** What the page shows below the list: nothing, the form for a new address, or the form for one of them. */
type Editing = { kind: "none" } | { kind: "new" } | { kind: "change"; saved: SavedAddress };

/** The address book: its addresses, each to change, delete or make a default; and a new one. */
export function AddressesPage() {
  const [book, setBook] = useState<SavedAddress[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [said, setSaid] = useState("");
  const [busy, setBusy] = useState(false);
  const focus = useFocusAfterRender();

  useEffect(() => {
    setError(null);
    loadAddressBook().then(setBook, setError);
  }, [attempt]);

  // Defaults move from one address to another on the server: the book is read again after each change.
  const changed = async (message: string) => {
    setBook(await loadAddressBook());
    setSaid(message);
  };

  const act = async (work: () => Promise<void>, message: string) => {
    if (busy) return;
    setBusy(true);
    setSaid("");
    setError(null);
    try {
      await work();
      await changed(message);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const open = (next: Editing) => {
    setEditing(next);
    setSaid("");
    focus("address-form-title");
  };

  return (
    <AccountPage title="Your address book" section="/account/addresses">
      <p>The checkout fills in your default addresses, and offers the others to choose from.</p>
      {error !== null && <ErrorNotice error={error} onRetry={book ? undefined : () => setAttempt(attempt + 1)} />}
      <p role="status" class="saved">
        {said}
      </p>
      {!book && error === null && <Loading>Loading your addresses…</Loading>}
      {book && book.length === 0 && <p>Your address book is empty.</p>}
      {book && book.length > 0 && (
        <ul class="address-book">
          {book.map((saved) => (
            <SavedEntry
              key={saved.id}
              saved={saved}
              onChange={() => open({ kind: "change", saved })}
              onDelete={() => act(() => deleteAddress(saved.id), "The address is deleted.")}
              onDefault={(which) => {
                const change = which === "shipping" ? { default_shipping: true } : { default_billing: true };
                void act(async () => void (await updateAddress(saved.id, change)), `This is now your default ${which} address.`);
              }}
            />
          ))}
        </ul>
      )}
      {editing.kind === "none" ? (
        book && (
          <button type="button" onClick={() => open({ kind: "new" })}>
            Add an address
          </button>
        )
      ) : (
        <AddressForm
          key={editing.kind === "change" ? editing.saved.id : "new"}
          editing={editing.kind === "change" ? editing.saved : null}
          first={(book ?? []).length === 0}
          onCancel={() => setEditing({ kind: "none" })}
          onSaved={() => {
            const message = editing.kind === "new" ? "The address is saved." : "The address is changed.";
            setEditing({ kind: "none" });
            void changed(message).catch(setError);
          }}
        />
      )}
    </AccountPage>
  );
}

function SavedEntry(props: { saved: SavedAddress; onChange(): void; onDelete(): void; onDefault(which: "shipping" | "billing"): void }) {
  const { saved } = props;
  // Buttons that look alike are told apart by the address they act on.
  const which = addressLine(saved.address);
  return (
    <li class="saved-address">
      <PostalAddress address={saved.address} />
      {(saved.default_shipping || saved.default_billing) && (
        <p class="defaults">
          {saved.default_shipping && <span class="badge">Default shipping</span>}
          {saved.default_billing && <span class="badge">Default billing</span>}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onChange}>
          Change<span class="visually-hidden"> {which}</span>
        </button>
        <button type="button" class="secondary" onClick={props.onDelete}>
          Delete<span class="visually-hidden"> {which}</span>
        </button>
        {!saved.default_shipping && (
          <button type="button" class="link" onClick={() => props.onDefault("shipping")}>
            Make default shipping<span class="visually-hidden"> address: {which}</span>
          </button>
        )}
        {!saved.default_billing && (
          <button type="button" class="link" onClick={() => props.onDefault("billing")}>
            Make default billing<span class="visually-hidden"> address: {which}</span>
          </button>
        )}
      </div>
    </li>
  );
}
