import { Checkbox, type Currency, type Errors, moneyHint } from "../forms";
import { Field } from "../ui";

interface LimitsProps {
  prefix: string;
  errors: Errors;
  currency: Currency | undefined;
  values: { minimum: string; starts: string; ends: string; max: string; oncePerEmail: boolean; active: boolean };
  set: {
    setMinimum: (value: string) => void;
    setStarts: (value: string) => void;
    setEnds: (value: string) => void;
    setMax: (value: string) => void;
    setOncePerEmail: (value: boolean) => void;
    setActive: (value: boolean) => void;
  };
}

/** What a promotion's new and edit forms share: its minimum, window and limits. */
export function PromotionLimits({ prefix, errors, currency, values, set }: LimitsProps) {
  return (
    <>
      <div class="row-fields">
        <Field
          name={`${prefix}min_subtotal`}
          label="Minimum subtotal"
          inputMode="decimal"
          hint={`Optional. ${moneyHint(currency)}`}
          value={values.minimum}
          onValue={set.setMinimum}
          errors={errors}
        />
        <Field
          name={`${prefix}starts_at`}
          label="Starts (UTC)"
          type="datetime-local"
          hint="Optional: from now when empty."
          value={values.starts}
          onValue={set.setStarts}
          errors={errors}
        />
        <Field
          name={`${prefix}ends_at`}
          label="Ends (UTC)"
          type="datetime-local"
          hint="Optional: for ever when empty."
          value={values.ends}
          onValue={set.setEnds}
          errors={errors}
        />
        <Field
          name={`${prefix}max_redemptions`}
          label="Maximum redemptions"
          type="number"
          min={1}
          step={1}
          hint="Optional: how many orders may use it."
          value={values.max}
          onValue={set.setMax}
          errors={errors}
        />
      </div>
      <Checkbox name={`${prefix}once_per_email`} label="Once per email" checked={values.oncePerEmail} onChecked={set.setOncePerEmail} errors={errors} />
      <Checkbox name={`${prefix}active`} label="Active (shoppers may use it)" checked={values.active} onChecked={set.setActive} errors={errors} />
    </>
  );
}
