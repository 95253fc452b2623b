import type { Stripe, StripeElements } from "@stripe/stripe-js";
import { useEffect, useRef, useState } from "preact/hooks";
import { type Schemas, ShopperError } from "../../api/client";
import { ErrorNotice, Price } from "../../components";
import { cancelCheckout } from "../../orders";
import { navigate } from "../../router";
import { useShop } from "../../shop";
import { stripeFor } from "../../stripe";

type Session = Schemas["CheckoutSession"];

/** Stripe's Payment Element for the checkout session, and "Edit cart" to give the checkout up. */
export function Payment({ session }: { session: Session }) {
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
