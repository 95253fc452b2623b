import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, idempotencyKey } from "../api";
import { FormInvalid, useSubmit } from "../forms";
import { Field, Notice, money } from "../ui";
import { ConfirmPrompt } from "./Confirm";
import { type AdminOrder, leftToRefund, moneyOf, toMinorUnits } from "./orderRules";

interface Pending {
  /** Minor units; all that is left when absent. */
  amount?: number;
  shown: string;
}

/** A full or partial refund, asked for once more before it is sent. */
export function RefundForm({ order, onRefunded }: { order: AdminOrder; onRefunded: (message: string) => void }) {
  const [amount, setAmount] = useState("");
  const [pending, setPending] = useState<Pending | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  // One key per attempt: kept when the attempt fails so that trying it again cannot refund
  // twice, dropped once the amount changes or the refund is made.
  const key = useRef<string | null>(null);
  const left = moneyOf(leftToRefund(order), order.total);

  useEffect(() => {
    if (!pending && refocus.current) submitButton.current?.focus();
    refocus.current = false;
  }, [pending]);

  // Submitting the form only asks; the refund is sent with the amount the admin said yes to.
  const form = useSubmit(
    async (chosen?: Pending) => {
      if (!chosen) {
        if (amount.trim() === "") {
          setPending({ shown: money(left) });
          return;
        }
        const units = toMinorUnits(amount, order.total);
        if (typeof units === "string") throw new FormInvalid({ amount: units });
        setPending({ amount: units, shown: money(moneyOf(units, order.total)) });
        return;
      }
      key.current ??= idempotencyKey();
      try {
        const result = await call(
          api.POST("/api/v1/admin/orders/{id}/refunds", {
            params: { path: { id: order.id }, header: { "Idempotency-Key": key.current } },
            body: chosen.amount === undefined ? {} : { amount: chosen.amount },
          }),
        );
        key.current = null;
        setAmount("");
        onRefunded(`Refund of ${money(result.refund.amount)} requested`);
      } finally {
        setPending(null);
      }
    },
    { inputs: ["amount"] },
  );

  return (
    <form onSubmit={form.submit} aria-labelledby="refund-heading" noValidate>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <Field
        name="amount"
        label="Refund amount"
        hint={`In ${order.total.currency}. Leave it empty to refund all that is not yet refunded: ${money(left)}.`}
        inputMode="decimal"
        autoComplete="off"
        value={amount}
        onValue={(value) => {
          key.current = null;
          setPending(null);
          setAmount(value);
        }}
        errors={form.errors}
      />
      {pending ? (
        <ConfirmPrompt
          question={`Are you sure? This refunds ${pending.shown} to the customer.`}
          yes="Yes, refund"
          busy={form.busy}
          onYes={() => form.submit(undefined, pending)}
          onNo={() => {
            refocus.current = true;
            setPending(null);
          }}
        />
      ) : (
        <button type="submit" ref={submitButton}>
          Refund
        </button>
      )}
    </form>
  );
}
