import { useEffect, useState } from "preact/hooks";
import { CartNotices, ErrorNotice, Loading, OrderTotals, Price } from "../components";
import type { Cart } from "../cart";
import { cancelCheckout, pendingCheckout } from "../orders";
import { navigate } from "../router";
import { useShop } from "../shop";

type Line = Cart["lines"][number];

export function CartPage() {
  const shop = useShop();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    shop.carts.load().then((cart) => {
      shop.setCart(cart);
      setLoaded(true);
    }, setError);
  }, [attempt]);

  const change = async (work: () => Promise<Cart>) => {
    setBusy(true);
    setError(null);
    try {
      shop.setCart(await work());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const cart = shop.cart;
  if (!loaded && !error) return <Loading />;

  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {error !== null && <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />}
      {!cart || cart.lines.length === 0 ? (
        <p>
          Your cart is empty. <a href="/">Continue shopping</a>
        </p>
      ) : (
        <>
          <ul class="lines">
            {cart.lines.map((line) => (
              <CartLine
                key={line.id}
                line={line}
                busy={busy || cart.status !== "open"}
                onQuantity={(quantity) => change(() => shop.carts.setQuantity(line.id, quantity))}
                onRemove={() => change(() => shop.carts.remove(line.id))}
              />
            ))}
          </ul>
          <CartNotices notices={cart.notices} />
          <OrderTotals totals={cart.totals} itemCount={cart.item_count} place="cart" />
          {cart.promotion && (
            <p class="muted promotion-on-cart">
              Promotion code <strong>{cart.promotion.code}</strong>: {cart.promotion.description}
              {cart.promotion.applies ? "" : " (does not apply to this cart now)"}
            </p>
          )}
          {cart.status === "open" ? (
            <a class="button" href="/checkout">
              Check out
            </a>
          ) : (
            <CheckoutUnderWay cartId={cart.id} busy={busy} onEdit={change} />
          )}
        </>
      )}
    </section>
  );
}

/** The cart waits for its checkout's payment: go on paying, or give the checkout up to edit. */
function CheckoutUnderWay(props: { cartId: string; busy: boolean; onEdit(work: () => Promise<Cart>): void }) {
  const shop = useShop();
  const pending = pendingCheckout(props.cartId);
  const edit = () =>
    props.onEdit(async () => {
      const cancelled = await cancelCheckout(pending ?? { sessionId: "", orderId: "" });
      if (cancelled.kind === "paid") navigate(`/orders/${cancelled.orderId}`);
      const cart = await shop.carts.load();
      if (!cart) throw new Error("the cart vanished");
      return cart;
    });
  return (
    <div class="notice">
      <p>Your checkout is waiting for payment, so the cart cannot change.</p>
      <div class="actions">
        <a class="button" href="/checkout">
          Continue to payment
        </a>
        {pending && (
          <button type="button" class="secondary" disabled={props.busy} onClick={edit}>
            Edit cart
          </button>
        )}
      </div>
    </div>
  );
}

function CartLine(props: { line: Line; busy: boolean; onQuantity(quantity: number): void; onRemove(): void }) {
  const { line } = props;
  const inputId = `qty-${line.id}`;
  return (
    <li class="line">
      {line.image && <img src={line.image.url} alt={line.image.alt} width={96} height={96} />}
      <div class="line-info">
        <a href={`/products/${line.product_slug}`}>{line.product_name}</a>
        <span class="muted">
          {line.variant_title} · {line.sku}
        </span>
        <span>
          <Price money={line.unit_price} compareAt={line.compare_at_price} /> each
        </span>
        {line.price_changed && (
          <span class="notice notice-warn" role="status">
            Price changed from <Price money={line.previous_unit_price} /> to <Price money={line.unit_price} />.
          </span>
        )}
        {line.availability === "insufficient_stock" && (
          <span class="notice notice-warn">Only {line.available} left: lower the quantity to check out.</span>
        )}
        {line.availability === "unavailable" && <span class="notice notice-warn">No longer sold: remove it to check out.</span>}
      </div>
      <div class="line-actions">
        <label for={inputId}>Quantity</label>
        <input
          id={inputId}
          type="number"
          min={0}
          max={99}
          value={line.quantity}
          disabled={props.busy}
          onChange={(e) => props.onQuantity(Math.max(0, Number(e.currentTarget.value) || 0))}
        />
        <button type="button" disabled={props.busy} onClick={props.onRemove} aria-label={`Remove ${line.product_name} ${line.variant_title}`}>
          Remove
        </button>
        <span class="line-total">
          <Price money={line.line_total} />
        </span>
      </div>
    </li>
  );
}
