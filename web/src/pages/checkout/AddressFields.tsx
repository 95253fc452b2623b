import type { AddressDraft, AddressField, FieldMessages } from "../../address";
import { countryOptions } from "../../countries";

export type AddressSection = "shipping" | "billing";

interface FieldSpec {
  field: AddressField;
  label: string;
  /** The autofill field name; the section ("shipping", "billing") goes before it. */
  autocomplete: string;
  required?: boolean;
  type?: "text" | "tel";
  hint?: string;
}

// In ADDRESS_FIELDS' order, so that the first wrong field is also the first on screen.
const FIELDS: readonly FieldSpec[] = [
  { field: "name", label: "Full name", autocomplete: "name", required: true },
  { field: "line1", label: "Address line 1", autocomplete: "address-line1", required: true },
  { field: "line2", label: "Address line 2 (optional)", autocomplete: "address-line2" },
  { field: "city", label: "Town or city", autocomplete: "address-level2", required: true },
  { field: "postal_code", label: "Postal code", autocomplete: "postal-code", required: true },
  { field: "region", label: "State, province or region (optional)", autocomplete: "address-level1" },
  { field: "country", label: "Country", autocomplete: "country", required: true },
  {
    field: "phone",
    label: "Phone (optional)",
    autocomplete: "tel",
    type: "tel",
    hint: "For the courier, with the country code, such as +33 1 23 45 67 89.",
  },
];

/** An input's id: `idPrefix` (the section, unless another form of the page has that section too) and the field. */
export function fieldId(idPrefix: string, field: AddressField): string {
  return `${idPrefix}-${field}`;
}

/** One address's inputs, each with its label, its hint and the server's message about it. */
export function AddressFields(props: {
  section: AddressSection;
  /** Before each input's id, in place of the section (the address book's form: "book"). */
  idPrefix?: string;
  legend: string;
  /** The step's heading already says what the fieldset is; screen readers still hear the legend. */
  hideLegend?: boolean;
  draft: AddressDraft;
  messages: FieldMessages;
  disabled: boolean;
  onChange(field: AddressField, value: string): void;
}) {
  return (
    <fieldset class="address" disabled={props.disabled}>
      <legend class={props.hideLegend ? "visually-hidden" : undefined}>{props.legend}</legend>
      {FIELDS.map((spec) => (
        <Field
          key={spec.field}
          id={fieldId(props.idPrefix ?? props.section, spec.field)}
          section={props.section}
          spec={spec}
          value={props.draft[spec.field]}
          message={props.messages[spec.field]}
          onChange={(value) => props.onChange(spec.field, value)}
        />
      ))}
    </fieldset>
  );
}

function Field(props: { id: string; section: AddressSection; spec: FieldSpec; value: string; message?: string; onChange(value: string): void }) {
  const { id, spec, message } = props;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const shared = {
    id,
    name: spec.field,
    required: spec.required,
    autoComplete: `${props.section} ${spec.autocomplete}`,
    "aria-invalid": message ? ("true" as const) : undefined,
    "aria-describedby": [errorId, hintId].filter(Boolean).join(" ") || undefined,
  };
  return (
    <div class="field">
      <label for={id}>{spec.label}</label>
      {spec.hint && (
        <p id={hintId} class="hint">
          {spec.hint}
        </p>
      )}
      {message && (
        <p id={errorId} class="field-error">
          <span class="visually-hidden">Error: </span>
          {message}
        </p>
      )}
      {spec.field === "country" ? (
        <select {...shared} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <option value="">Select a country</option>
          {countryOptions().map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
      ) : (
        <input {...shared} type={spec.type ?? "text"} value={props.value} onInput={(e) => props.onChange(e.currentTarget.value)} />
      )}
    </div>
  );
}
