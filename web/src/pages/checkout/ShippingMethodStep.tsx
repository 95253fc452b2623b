import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Cart, CartWrite, ShippingOptions } from "../../cart";
import { CartNotices, ErrorNotice, Loading } from "../../components";
import { countryName } from "../../countries";
import { latestOnly } from "../../latest";
import { formatMoney } from "../../money";
import { useShop } from "../../shop";
import { shippingPrice } from "../../totals";

/** The ways to ship to the saved address, each priced for this cart; choosing one saves it. */
export function ShippingMethodStep(props: { cart: Cart; write: CartWrite; locked: boolean; problem: string | null }) {
  const shop = useShop();
  const { cart } = props;
  const [options, setOptions] = useState<ShippingOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // The shopper's choice while it is on its way to the server, so that the radio follows the keys.
  const [chosen, setChosen] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);

  // Options depend on the country, on what is in the cart (free above a threshold, per-item
  // charges), and on the shop's rates, which a notice says have changed.
  const address = cart.shipping_address;
  const pricedFor = address && [address.country, cart.subtotal.amount, cart.item_count, ...cart.notices.map((n) => n.code)].join("|");
  useEffect(() => {
    if (!pricedFor) {
      setOptions(null);
      return;
    }
    let current = true;
    setError(null);
    shop.carts.shippingOptions().then(
      (loaded) => current && setOptions(loaded),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [pricedFor, attempt]);

  const write = useRef(props.write);
  write.current = props.write;
  const save = useMemo(
    () =>
      latestOnly(async (rateId: string) => {
        await write.current(() => shop.carts.setShippingMethod(rateId));
      }),
    [],
  );
  const choose = (rateId: string) => {
    setChosen(rateId);
    setSaveError(null);
    save(rateId).then(
      () => setChosen(null),
      (failure: unknown) => {
        setChosen(null);
        setSaveError(failure);
      },
    );
  };
  const selected = chosen ?? cart.shipping_method?.rate_id ?? null;

  return (
    <section class="step" aria-labelledby="method-title">
      <h2 id="method-title" tabIndex={-1}>
        Shipping method
      </h2>
      <CartNotices notices={cart.notices} />
      {props.problem && (
        <p class="notice notice-error" role="alert">
          {props.problem}
        </p>
      )}
      {!address ? (
        <p class="muted">Save your shipping address to see how we can deliver it.</p>
      ) : error !== null ? (
        <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : !options ? (
        <Loading>Finding the ways we can ship…</Loading>
      ) : options.options.length === 0 ? (
        <p class="notice notice-warn">We do not ship to {countryName(options.country)}. Choose another shipping address.</p>
      ) : (
        <fieldset class="choices" disabled={props.locked}>
          <legend class="visually-hidden">Shipping method</legend>
          {options.options.map((option) => (
            <label key={option.rate_id} class="choice">
              <input
                type="radio"
                name="shipping_method"
                value={option.rate_id}
                checked={selected === option.rate_id}
                onChange={() => choose(option.rate_id)}
              />
              <span class="choice-name">{option.name}</span>
              <span class="choice-price">{shippingPrice(option.price)}</span>
              {option.free_above && option.price.amount !== 0 && (
                <span class="choice-hint muted">Free above {formatMoney(option.free_above)}</span>
              )}
            </label>
          ))}
        </fieldset>
      )}
      {saveError !== null && <ErrorNotice error={saveError} />}
    </section>
  );
}
