import { useState } from "preact/hooks";
import { type AddressDraft, type AddressField, type FieldMessages, blankFields, draftOf, firstWrong, inputOf, refusalOf } from "../../address";
import { type SavedAddress, addAddress, updateAddress } from "../../addressBook";
import { userMessage } from "../../api/client";
import { likelyCountry } from "../../countries";
import { AddressFields, fieldId } from "../checkout/AddressFields";
import { FormProblem, useFocusAfterRender } from "./ui";

const ID_PREFIX = "book";

/**
 * Adding an address to the book (`editing` null), or changing one: the checkout's fields, and
 * whether it is the default to ship to and to bill. The server's messages (`address.postal_code`)
 * go beside the fields.
 */
export function AddressForm(props: { editing: SavedAddress | null; first: boolean; onSaved(saved: SavedAddress): void; onCancel(): void }) {
  const { editing } = props;
  const [draft, setDraft] = useState<AddressDraft>(() => draftOf(editing?.address, likelyCountry(navigator.languages)));
  // The first address of a book is the default of both, unless the shopper says otherwise.
  const [defaultShipping, setDefaultShipping] = useState(editing ? editing.default_shipping : props.first);
  const [defaultBilling, setDefaultBilling] = useState(editing ? editing.default_billing : props.first);
  const [messages, setMessages] = useState<FieldMessages>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const focus = useFocusAfterRender();

  const showWrong = (wrong: FieldMessages): boolean => {
    setMessages(wrong);
    const field = firstWrong(wrong);
    if (field) focus(fieldId(ID_PREFIX, field));
    return field !== null;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    if (showWrong(blankFields(draft))) return;
    setBusy(true);
    try {
      const entry = { address: inputOf(draft), default_shipping: defaultShipping, default_billing: defaultBilling };
      props.onSaved(editing ? await updateAddress(editing.id, entry) : await addAddress(entry));
    } catch (error) {
      const refusal = refusalOf(error, "address.");
      if (refusal) {
        showWrong(refusal.fields);
        if (refusal.other.length > 0) setProblem(refusal.other.join(" "));
      } else setProblem(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? "Change the address" : "Add an address";
  return (
    <form onSubmit={save} noValidate class="address-form" aria-labelledby="address-form-title">
      <h2 id="address-form-title" tabIndex={-1}>
        {title}
      </h2>
      <AddressFields
        section="shipping"
        idPrefix={ID_PREFIX}
        legend={title}
        hideLegend
        draft={draft}
        messages={messages}
        disabled={false}
        onChange={(field: AddressField, value: string) => setDraft((current) => ({ ...current, [field]: value }))}
      />
      <label class="check">
        <input
          type="checkbox"
          name="default_shipping"
          checked={defaultShipping}
          onChange={(e) => setDefaultShipping(e.currentTarget.checked)}
        />
        Default shipping address
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="default_billing"
          checked={defaultBilling}
          onChange={(e) => setDefaultBilling(e.currentTarget.checked)}
        />
        Default billing address
      </label>
      <FormProblem text={problem} />
      <div class="actions">
        <button type="submit">{busy ? "Saving…" : editing ? "Save changes" : "Save address"}</button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
