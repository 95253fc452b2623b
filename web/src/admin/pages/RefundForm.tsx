import { useEffect, useRef, useState } from "preact/hooks";
import { api, call, idempotencyKey } from "../api";
import { Field, Notice, money } from "../ui";
import { ConfirmPrompt } from "./Confirm";
import { refusal } from "./formErrors";
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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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

  const review = (event: Event) => {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    if (amount.trim() === "") {
      setPending({ shown: money(left) });
      return;
    }
    const units = toMinorUnits(amount, order.total);
    if (typeof units === "string") setErrors({ amount: units });
    else setPending({ amount: units, shown: money(moneyOf(units, order.total)) });
  };

  const refund = async (chosen: Pending) => {
    setBusy(true);
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
    } catch (error) {
      const outcome = refusal(error, ["amount"]);
      setErrors(outcome.errors);
      setFailure(outcome.failure);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <form onSubmit={review} aria-labelledby="refund-heading" noValidate>
      {failure && <Notice kind="error">{failure}</Notice>}
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
        errors={errors}
      />
      {pending ? (
        <ConfirmPrompt
          question={`Are you sure? This refunds ${pending.shown} to the customer.`}
          yes="Yes, refund"
          busy={busy}
          onYes={() => refund(pending)}
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
