import { useEffect, useState } from "preact/hooks";
import { type AddressDraft, type AddressField, type FieldMessages, blankFields, draftOf, firstWrong, inputOf, refusalOf } from "../../address";
import { type SavedAddress, addAddress, defaultsOf, findSaved } from "../../addressBook";
import { userMessage } from "../../api/client";
import type { Cart, CartWrite } from "../../cart";
import { ErrorNotice } from "../../components";
import { likelyCountry } from "../../countries";
import { useShop } from "../../shop";
import { type AddressSection, AddressFields, fieldId } from "./AddressFields";
import { SavedAddressPicker, useAddressBook } from "./SavedAddresses";

type Messages = Record<AddressSection, FieldMessages>;

const NONE: Messages = { shipping: {}, billing: {} };

/**
 * Where the order goes, and who pays for it. The form stays editable after it is saved; until an
 * edit is saved again the page is told (`onDirty`), so that nobody pays for the old address.
 * Signed in, the address book's defaults fill a cart that has no address yet, its addresses are
 * offered to choose from, and what is typed can be saved to it.
 */
export function AddressStep(props: { cart: Cart; write: CartWrite; locked: boolean; problem: string | null; onDirty(dirty: boolean): void }) {
  const shop = useShop();
  const { cart } = props;
  const [drafts, setDrafts] = useState<Record<AddressSection, AddressDraft>>(() => ({
    shipping: draftOf(cart.shipping_address, likelyCountry(navigator.languages)),
    billing: draftOf(cart.billing_same_as_shipping ? null : cart.billing_address),
  }));
  const [billingSame, setBillingSame] = useState(cart.billing_same_as_shipping);
  const [messages, setMessages] = useState<Messages>(NONE);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [focusOn, setFocusOn] = useState<{ id: string } | null>(null);
  const [touched, setTouched] = useState(false);
  const [keep, setKeep] = useState(false);
  const [notKept, setNotKept] = useState<string | null>(null);
  const { book, reload } = useAddressBook(shop.session.signed_in);

  // The defaults, once the book is read, into a form the shopper has not started on.
  useEffect(() => {
    if (!book || touched || cart.shipping_address) return;
    const defaults = defaultsOf(book);
    if (!defaults.shipping) return;
    const billing = defaults.billing && defaults.billing.id !== defaults.shipping.id ? defaults.billing : null;
    setDrafts({ shipping: draftOf(defaults.shipping.address), billing: draftOf(billing?.address) });
    setBillingSame(billing === null);
  }, [book]);

  // After the messages are on screen, so that the field is read out with its message.
  useEffect(() => {
    if (focusOn) document.getElementById(focusOn.id)?.focus();
  }, [focusOn]);

  const edited = () => {
    setSaved(false);
    setTouched(true);
    props.onDirty(true);
  };
  const pick = (section: AddressSection) => (saved: SavedAddress | null) => {
    setDrafts((current) => ({ ...current, [section]: draftOf(saved?.address, saved ? "" : current[section].country) }));
    edited();
  };
  const change = (section: AddressSection) => (field: AddressField, value: string) => {
    setDrafts((current) => ({ ...current, [section]: { ...current[section], [field]: value } }));
    edited();
  };

  /** Shows the messages; true when there were any, with focus on the first wrong field. */
  const showWrong = (wrong: Messages): boolean => {
    setMessages(wrong);
    const section: AddressSection | null = firstWrong(wrong.shipping) ? "shipping" : firstWrong(wrong.billing) ? "billing" : null;
    const field = section && firstWrong(wrong[section]);
    if (section && field) setFocusOn({ id: fieldId(section, field) });
    return field !== null;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    // The button stays enabled while saving: disabling it would drop the keyboard's focus.
    if (saving) return;
    setFailure(null);
    setUnplaced([]);
    setSaved(false);
    setNotKept(null);
    if (showWrong({ shipping: blankFields(drafts.shipping), billing: billingSame ? {} : blankFields(drafts.billing) })) return;

    setSaving(true);
    const wrong: Messages = { shipping: {}, billing: {} };
    const others: string[] = [];
    let failed: unknown = null;
    const attempt = async (section: AddressSection, work: () => Promise<Cart>) => {
      try {
        await props.write(work);
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) failed = error;
        else {
          wrong[section] = refusal.fields;
          others.push(...refusal.other);
        }
      }
    };
    // Both addresses are sent even when the first is refused, so that every wrong field shows at once.
    await attempt("shipping", () => shop.carts.setShippingAddress(inputOf(drafts.shipping)));
    if (failed === null && !billingSame) await attempt("billing", () => shop.carts.setBillingAddress(inputOf(drafts.billing)));
    else if (failed === null && !cart.billing_same_as_shipping) await attempt("billing", () => shop.carts.billToShippingAddress());
    setSaving(false);

    const anyWrong = showWrong(wrong);
    setUnplaced(others);
    setFailure(failed);
    if (!anyWrong && others.length === 0 && failed === null) {
      setSaved(true);
      props.onDirty(false);
      if (keep) await keepInBook();
    }
  };

  /** The addresses just saved to the cart, into the address book too, those it has not already. */
  const keepInBook = async () => {
    const typed = [inputOf(drafts.shipping), ...(billingSame ? [] : [inputOf(drafts.billing)])];
    try {
      for (const address of typed) if (!book || !findSaved(book, address)) await addAddress({ address });
      setKeep(false);
      await reload();
    } catch (error) {
      setNotKept(`Your address is saved for this order, but not in your address book: ${userMessage(error)}`);
    }
  };

  return (
    <section class="step" aria-labelledby="address-title">
      <h2 id="address-title" tabIndex={-1}>
        Shipping address
      </h2>
      {props.problem && (
        <p class="notice notice-error" role="alert">
          {props.problem}
        </p>
      )}
      <form onSubmit={save} noValidate>
        {book && book.length > 0 && (
          <SavedAddressPicker
            id="saved-shipping-address"
            label="Saved shipping addresses"
            book={book}
            draft={drafts.shipping}
            disabled={props.locked}
            onPick={pick("shipping")}
          />
        )}
        <AddressFields
          section="shipping"
          legend="Shipping address"
          hideLegend
          draft={drafts.shipping}
          messages={messages.shipping}
          disabled={props.locked}
          onChange={change("shipping")}
        />
        <label class="check">
          <input
            type="checkbox"
            name="billing_same_as_shipping"
            checked={billingSame}
            disabled={props.locked}
            onChange={(e) => {
              setBillingSame(e.currentTarget.checked);
              edited();
            }}
          />
          Billing address is the same as shipping
        </label>
        {!billingSame && book && book.length > 0 && (
          <SavedAddressPicker
            id="saved-billing-address"
            label="Saved billing addresses"
            book={book}
            draft={drafts.billing}
            disabled={props.locked}
            onPick={pick("billing")}
          />
        )}
        {!billingSame && (
          <AddressFields
            section="billing"
            legend="Billing address"
            draft={drafts.billing}
            messages={messages.billing}
            disabled={props.locked}
            onChange={change("billing")}
          />
        )}
        {unplaced.length > 0 && (
          <div class="notice notice-error" role="alert">
            {unplaced.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        )}
        {failure !== null && <ErrorNotice error={failure} />}
        {book && (
          <label class="check">
            <input
              type="checkbox"
              name="save_to_address_book"
              checked={keep}
              disabled={props.locked}
              onChange={(e) => setKeep(e.currentTarget.checked)}
            />
            Save to my address book
          </label>
        )}
        {notKept && (
          <p class="notice notice-warn" role="alert">
            {notKept}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={props.locked}>
            {saving ? "Saving…" : billingSame ? "Save address" : "Save addresses"}
          </button>
          <p role="status" class="saved">
            {saved ? "Saved." : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
