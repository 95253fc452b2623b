import { useState } from "preact/hooks";
import type { Cart, CartWrite } from "../../cart";
import { ErrorNotice } from "../../components";
import { formatMoney } from "../../money";
import { promotionRefusal } from "../../promotions";
import { useShop } from "../../shop";

/** One promotion code per cart: applying another replaces it. */
export function PromotionStep(props: { cart: Cart; write: CartWrite; locked: boolean; problem: string | null }) {
  const shop = useShop();
  const { cart } = props;
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const message = refusal ?? props.problem;

  const run = async (work: () => Promise<Cart>) => {
    setBusy(true);
    setRefusal(null);
    setFailure(null);
    try {
      await props.write(work);
      setCode("");
    } catch (error) {
      const said = promotionRefusal(error);
      if (said) {
        setRefusal(said);
        document.getElementById("promotion-code")?.focus();
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const apply = (event: Event) => {
    event.preventDefault();
    if (code.trim() === "") {
      setRefusal("Enter a code.");
      return;
    }
    void run(() => shop.carts.applyPromotion(code.trim()));
  };

  const applied = cart.promotion;
  return (
    <section class="step" aria-labelledby="promotion-title">
      <h2 id="promotion-title">Promotion code</h2>
      {applied && (
        <p class="promotion-applied">
          <span>
            <strong>{applied.code}</strong>: {applied.description}
            {applied.applies && applied.discount.amount > 0 && <> (−{formatMoney(applied.discount)})</>}
          </span>
          <button type="button" class="link" disabled={busy || props.locked} onClick={() => void run(() => shop.carts.removePromotion(applied.code))}>
            Remove<span class="visually-hidden"> code {applied.code}</span>
          </button>
        </p>
      )}
      <form class="promotion-form" onSubmit={apply} noValidate>
        <label for="promotion-code">{applied ? "Use another code" : "Code"}</label>
        <div class="promotion-row">
          <input
            id="promotion-code"
            name="promotion_code"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            value={code}
            disabled={props.locked}
            aria-invalid={message ? "true" : undefined}
            aria-describedby={message ? "promotion-code-error" : undefined}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy || props.locked}>
            {busy ? "Applying…" : "Apply"}
          </button>
        </div>
        {message && (
          <p id="promotion-code-error" class="field-error">
            {message}
          </p>
        )}
      </form>
      {failure !== null && <ErrorNotice error={failure} />}
    </section>
  );
}
