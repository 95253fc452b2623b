import { useEffect, useState } from "preact/hooks";
import { sentence } from "../address";
import { ApiError, type Schemas, api, call, userMessage } from "../api/client";
import type { Cart, CartWrite } from "../cart";
import { ErrorNotice, Loading, OrderTotals, Price } from "../components";
import { forgetCheckout, orderSecret, pendingCheckout, rememberCheckout, rememberOrder } from "../orders";
import { navigate } from "../router";
import { useShop } from "../shop";
import { AddressStep } from "./checkout/AddressStep";
import { Payment } from "./checkout/Payment";
import { PromotionStep } from "./checkout/PromotionStep";
import { ShippingMethodStep } from "./checkout/ShippingMethodStep";
import { promotionRefusal } from "../promotions";

type Session = Schemas["CheckoutSession"];

/** What the server said the cart lacks when the checkout started, for the step that supplies it. */
interface Incomplete {
  step: "address" | "method" | "promotion";
  message: string;
}

export function CheckoutPage() {
  const shop = useShop();
  const [loaded, setLoaded] = useState(false);
  const [email, setEmail] = useState("");
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [writes, setWrites] = useState(0);
  const [addressDirty, setAddressDirty] = useState(false);
  const [incomplete, setIncomplete] = useState<Incomplete | null>(null);
  const customer = shop.accounts.customer;

  // Resume a checkout that a reload interrupted.
  useEffect(() => {
    (async () => {
      const cart = await shop.carts.load();
      shop.setCart(cart);
      const pending = cart && pendingCheckout(cart.id);
      const secret = pending && orderSecret(pending.orderId);
      if (pending && secret && cart.status !== "open") {
        const current = await call(
          api.GET("/api/v1/checkout/sessions/{id}", {
            params: { path: { id: pending.sessionId }, header: { "Order-Secret": secret } },
          }),
        );
        if (current.status === "pending_payment") setSession(current);
        else navigate(`/orders/${current.order_id}`);
      } else if (!pending) {
        forgetCheckout();
      }
    })()
      .catch(setError)
      .finally(() => setLoaded(true));
  }, []);

  const cart = shop.cart;
  if (!loaded) return <Loading />;
  if (!cart || cart.lines.length === 0) {
    return (
      <section>
        <h1>Checkout</h1>
        {error !== null && <ErrorNotice error={error} />}
        <p>
          Your cart is empty. <a href="/">Continue shopping</a>
        </p>
      </section>
    );
  }

  const write: CartWrite = async (work) => {
    setWrites((count) => count + 1);
    try {
      const changed = await work();
      shop.setCart(changed);
      setIncomplete(null);
      return changed;
    } finally {
      setWrites((count) => count - 1);
    }
  };

  // The first thing the shopper still has to do, said beside the disabled button.
  const blocker = !cart.shipping_address
    ? "Save your shipping address to continue."
    : addressDirty
      ? "Save the changes to your address to continue."
      : !cart.shipping_method
        ? "Choose a shipping method to continue."
        : writes > 0
          ? "Saving your changes…"
          : null;

  const start = async (event: Event) => {
    event.preventDefault();
    if (blocker) return;
    setStarting(true);
    setError(null);
    setIncomplete(null);
    try {
      const created = await call(
        api.POST("/api/v1/checkout/sessions", {
          params: {
            // The same cart contents always make the same key: a double submit or a retry after a
            // lost response finds the session that was already made.
            header: { "Cart-Secret": shop.carts.key()?.secret ?? "", "Idempotency-Key": `${cart.id}:${cart.version}` },
          },
          // Signed in, the order is the account's and its receipt goes to the account's address.
          body: { cart_id: cart.id, email: customer ? customer.email : email },
        }),
      );
      if (created.order_secret) rememberOrder(created.order_id, created.order_secret);
      rememberCheckout({
        cartId: cart.id,
        sessionId: created.id,
        orderId: created.order_id,
        clientSecret: created.client_secret ?? "",
      });
      setSession(created);
    } catch (failure) {
      if (failure instanceof ApiError && failure.problem?.type === "urn:shop:problem:cart-incomplete") {
        // The cart changed under the page (the shop withdrew the method): show it as it now is,
        // and take the shopper to the step that needs them.
        const step = failure.problem.field === "shipping_method" ? "method" : "address";
        setIncomplete({ step, message: sentence(userMessage(failure)) });
        document.getElementById(step === "method" ? "method-title" : "address-title")?.focus();
        shop.carts.load().then((current) => current && shop.setCart(current), setError);
      } else if (promotionRefusal(failure)) {
        // The code stopped applying (used up by others meanwhile, or once per email).
        setIncomplete({ step: "promotion", message: promotionRefusal(failure) ?? "" });
        document.getElementById("promotion-code")?.focus();
        shop.carts.load().then((current) => current && shop.setCart(current), setError);
      } else {
        setError(failure);
        // A checkout that failed may have reopened the cart at a new version (the payment
        // provider was unreachable): the next try must be a new checkout, not a replay of that one.
        shop.carts.load().then((current) => current && shop.setCart(current), setError);
      }
    } finally {
      setStarting(false);
    }
  };

  const locked = session !== null || cart.status !== "open";
  return (
    <section aria-labelledby="checkout-title" class="checkout">
      <h1 id="checkout-title">Checkout</h1>
      {!session && (
        <section class="step" aria-labelledby="contact-title">
          <h2 id="contact-title">Contact</h2>
          <label>
            {shop.config.emails_enabled ? "Email for the receipt" : "Email"}
            {/* Part of the payment form below, whose submit needs it. Signed in, it is the account's. */}
            <input
              type="email"
              name="email"
              form="checkout-payment"
              required
              autoComplete="email"
              readOnly={customer !== null}
              aria-describedby={customer ? "email-account" : shop.config.emails_enabled ? undefined : "email-hint"}
              value={customer ? customer.email : email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          {customer && (
            <p id="email-account" class="hint">
              Your account's address: the order joins your account.
            </p>
          )}
          {!customer && !shop.config.emails_enabled && (
            <p id="email-hint" class="hint">
              This shop sends no email: after paying, your order page is where you follow your order.
            </p>
          )}
        </section>
      )}
      <AddressStep
        cart={cart}
        write={write}
        locked={locked}
        problem={incomplete?.step === "address" ? incomplete.message : null}
        onDirty={setAddressDirty}
      />
      <ShippingMethodStep cart={cart} write={write} locked={locked} problem={incomplete?.step === "method" ? incomplete.message : null} />
      <PromotionStep cart={cart} write={write} locked={locked} problem={incomplete?.step === "promotion" ? incomplete.message : null} />
      <OrderSummary cart={cart} />
      <section class="step" aria-labelledby="payment-title">
        <h2 id="payment-title">Payment</h2>
        {session ? (
          <Payment session={session} />
        ) : (
          <form id="checkout-payment" onSubmit={start}>
            {blocker && (
              <p id="payment-blocker" class="muted">
                {blocker}
              </p>
            )}
            {error !== null && <ErrorNotice error={error} />}
            <button type="submit" disabled={blocker !== null || starting} aria-describedby={blocker ? "payment-blocker" : undefined}>
              {starting ? "Preparing payment…" : "Continue to payment"}
            </button>
          </form>
        )}
      </section>
    </section>
  );
}

function OrderSummary({ cart }: { cart: Cart }) {
  return (
    <section class="step" aria-labelledby="summary-title">
      <h2 id="summary-title">Order summary</h2>
      <ul class="summary-lines">
        {cart.lines.map((line) => (
          <li key={line.id}>
            <span>
              {line.product_name} <span class="muted">{line.variant_title}</span> × {line.quantity}
            </span>
            <Price money={line.line_total} />
          </li>
        ))}
      </ul>
      <OrderTotals totals={cart.totals} itemCount={cart.item_count} place="checkout" />
    </section>
  );
}
