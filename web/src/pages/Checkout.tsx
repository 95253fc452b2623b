import type { Stripe, StripeElements } from "@stripe/stripe-js";
import { useEffect, useRef, useState } from "preact/hooks";
import { type Schemas, ShopperError, api, call } from "../api/client";
import { ErrorNotice, Loading, Price } from "../components";
import { cancelCheckout, forgetCheckout, orderSecret, pendingCheckout, rememberCheckout, rememberOrder } from "../orders";
import { navigate } from "../router";
import { useShop } from "../shop";
import { stripeFor } from "../stripe";

type Session = Schemas["CheckoutSession"];

export function CheckoutPage() {
  const shop = useShop();
  const [loaded, setLoaded] = useState(false);
  const [email, setEmail] = useState("");
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

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
        <p>
          Your cart is empty. <a href="/">Continue shopping</a>
        </p>
      </section>
    );
  }

  const start = async (event: Event) => {
    event.preventDefault();
    setStarting(true);
    setError(null);
    try {
      const created = await call(
        api.POST("/api/v1/checkout/sessions", {
          params: {
            // The same cart contents always make the same key: a double submit or a retry after a
            // lost response finds the session that was already made.
            header: { "Cart-Secret": shop.carts.key()?.secret ?? "", "Idempotency-Key": `${cart.id}:${cart.version}` },
          },
          body: { cart_id: cart.id, email },
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
      setError(failure);
    } finally {
      setStarting(false);
    }
  };

  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <p>
        {cart.item_count} {cart.item_count === 1 ? "item" : "items"}, total <Price money={session?.amount ?? cart.subtotal} />
      </p>
      {error !== null && <ErrorNotice error={error} />}
      {!session ? (
        <form onSubmit={start}>
          <label>
            Email for the receipt
            <input type="email" name="email" required autoComplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={starting}>
            {starting ? "Preparing payment…" : "Continue to payment"}
          </button>
        </form>
      ) : (
        <Payment session={session} />
      )}
    </section>
  );
}

function Payment({ session }: { session: Session }) {
  const shop = useShop();
  const mountPoint = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [declined, setDeclined] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  const [editing, setEditing] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!session.client_secret) return;
    setStripe(null);
    stripeFor(shop.config).then((loaded) => {
      const elements = loaded.elements({ clientSecret: session.client_secret ?? "" });
      const element = elements.create("payment");
      element.on("ready", () => setStripe({ stripe: loaded, elements }));
      element.on("loaderror", (event) =>
        setError(
          new ShopperError(
            `The payment form could not be shown${event.error.message ? `: ${event.error.message}` : ""}. Try again.`,
          ),
        ),
      );
      if (mountPoint.current) element.mount(mountPoint.current);
    }, setError);
  }, [session.client_secret, attempt]);

  const pay = async (event: Event) => {
    event.preventDefault();
    if (!stripe) return;
    setPaying(true);
    setDeclined(null);
    const submitted = await stripe.elements.submit();
    if (submitted.error) {
      setDeclined(submitted.error.message ?? "Check your payment details.");
      setPaying(false);
      return;
    }
    const result = await stripe.stripe.confirmPayment({
      elements: stripe.elements,
      confirmParams: { return_url: `${location.origin}/orders/${session.order_id}` },
      redirect: "if_required",
    });
    setPaying(false);
    if (result.error) {
      setDeclined(result.error.message ?? "The payment did not go through.");
      return;
    }
    navigate(`/orders/${session.order_id}`);
  };

  const editCart = async () => {
    setEditing(true);
    try {
      const cancelled = await cancelCheckout({ sessionId: session.id, orderId: session.order_id });
      if (cancelled.kind === "paid") {
        navigate(`/orders/${cancelled.orderId}`);
        return;
      }
      shop.setCart(await shop.carts.load());
      navigate("/cart");
    } catch (failure) {
      setError(failure);
      setEditing(false);
    }
  };

  const editButton = (
    <button type="button" class="secondary" disabled={paying || editing} onClick={editCart}>
      {editing ? "Reopening your cart…" : "Edit cart"}
    </button>
  );

  if (error) {
    return (
      <>
        <ErrorNotice
          error={error}
          onRetry={() => {
            setError(null);
            setAttempt(attempt + 1);
          }}
        />
        {editButton}
      </>
    );
  }
  return (
    <form onSubmit={pay} aria-label="Payment">
      <div ref={mountPoint} id="payment-element" class="payment-element" />
      {declined && (
        <p class="notice notice-error" role="alert">
          {declined} You can try again with another card.
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={!stripe || paying || editing}>
          {paying ? "Paying…" : <>Pay <Price money={session.amount} /></>}
        </button>
        {editButton}
      </div>
    </form>
  );
}
