import { useEffect, useRef, useState } from "preact/hooks";
import { type Schemas, ShopperError, api, call } from "../api/client";
import { ErrorNotice, Loading, Price } from "../components";
import { fulfillmentText, showsShipping } from "../fulfillment";
import { type FragmentToken, askRefusal, isInvalidLink, lookupOrderHref, orderReference, orderStatusText, placedOn } from "../lookup";
import { useShop } from "../shop";

type Order = Schemas["Order"];
type Found = Schemas["FoundOrders"];

/**
 * "Find my order", from any device. Without a token: a form that asks for a link by email. With
 * the link's `#token=…`: that address's orders, each opening with the same token.
 */
export function FindOrdersPage({ link }: { link: FragmentToken }) {
  const shop = useShop();
  if (link.kind === "token") return <FoundOrders token={link.token} />;
  if (link.kind === "malformed") return <InvalidLink />;
  return (
    <section aria-labelledby="find-title" class="find-orders">
      <h1 id="find-title">Find my order</h1>
      {shop.config.emails_enabled ? (
        <>
          <p>Enter the email address you ordered with. If it has orders here, we email it a link that shows them, in this browser or any other.</p>
          <AskForLink />
        </>
      ) : (
        <NoEmail />
      )}
    </section>
  );
}

function NoEmail() {
  return (
    <p>
      This shop sends no email, so it cannot send you a link to your orders. An order can only be reopened in the browser that placed
      it, from its order page's address.
    </p>
  );
}

/** A link that is forged, altered, expired, or was cut short on its way. */
function InvalidLink() {
  const shop = useShop();
  return (
    <section aria-labelledby="find-title" class="find-orders">
      <h1 id="find-title">Find my order</h1>
      <p class="notice notice-error" role="alert">
        This link is not valid or has expired.
      </p>
      {shop.config.emails_enabled ? (
        <>
          <p>Ask for a new one with the email address you ordered with.</p>
          <AskForLink />
        </>
      ) : (
        <NoEmail />
      )}
    </section>
  );
}

/** The email form: the server's answer in a polite live region, its refusal of the address beside the field. */
function AskForLink() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState("");
  const [wrong, setWrong] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [focusOn, setFocusOn] = useState<object | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // After the message is on screen, so that the field is read out with its message.
  useEffect(() => {
    if (focusOn) input.current?.focus();
  }, [focusOn]);

  const refuse = (message: string) => {
    setWrong(message);
    setFocusOn({});
  };

  const ask = async (event: Event) => {
    event.preventDefault();
    // The button stays enabled while asking: disabling it would drop the keyboard's focus.
    if (busy) return;
    setSent("");
    setWrong(null);
    setFailure(null);
    if (email.trim() === "") {
      refuse("Enter the email address you ordered with.");
      return;
    }
    setBusy(true);
    try {
      const accepted = await call(api.POST("/api/v1/orders/lookup", { body: { email: email.trim() } }));
      setSent(accepted.detail);
    } catch (error) {
      const refusal = askRefusal(error);
      if (refusal?.kind === "email") refuse(refusal.message);
      else setFailure(refusal ? new ShopperError(refusal.message) : error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="find-form" onSubmit={ask} noValidate>
      <div class="field">
        <label for="lookup-email">Email</label>
        {wrong && (
          <p id="lookup-email-error" class="field-error">
            <span class="visually-hidden">Error: </span>
            {wrong}
          </p>
        )}
        <input
          ref={input}
          id="lookup-email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          aria-invalid={wrong ? "true" : undefined}
          aria-describedby={wrong ? "lookup-email-error" : undefined}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </div>
      {failure !== null && <ErrorNotice error={failure} />}
      <div class="actions">
        <button type="submit">{busy ? "Sending…" : "Email me a link"}</button>
      </div>
      <p role="status" aria-live="polite" class="sent">
        {sent}
      </p>
    </form>
  );
}

/** The orders of the address the link was mailed to, newest first. */
function FoundOrders({ token }: { token: string }) {
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    setFound(null);
    setError(null);
    // In a header, never in the URL: the token stays out of every log on the way.
    call(api.GET("/api/v1/orders/lookup", { params: { header: { "Lookup-Token": token } } })).then(
      (answer) => !stopped && setFound(answer),
      (failure: unknown) => !stopped && setError(failure),
    );
    return () => {
      stopped = true;
    };
  }, [token, attempt]);

  if (isInvalidLink(error)) return <InvalidLink />;
  if (!found && !error) return <Loading>Finding your orders…</Loading>;
  return (
    <section aria-labelledby="find-title" class="find-orders">
      <h1 id="find-title">Your orders</h1>
      {!found ? (
        <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : found.orders.length === 0 ? (
        <p>There are no orders placed with {found.email}.</p>
      ) : (
        <>
          <p class="muted">Placed with {found.email}, newest first.</p>
          <ul class="found-orders">
            {found.orders.map((order) => (
              <OrderListItem key={order.id} order={order} href={lookupOrderHref(order.id, token)} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** An order in a list of orders (a lookup link's, an account's): its facts, and a link to its page at `href`. */
export function OrderListItem({ order, href }: { order: Order; href: string }) {
  const reference = orderReference(order.id);
  return (
    <li class="found-order">
      <h2>
        <a href={href}>Order {reference}</a>
      </h2>
      <dl class="found-order-facts">
        <div>
          <dt>Placed</dt>
          <dd>
            <time dateTime={order.created_at}>{placedOn(order.created_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{orderStatusText(order.status)}</dd>
        </div>
        {showsShipping(order) && (
          <div>
            <dt>Shipping</dt>
            <dd>{fulfillmentText(order.fulfillment_status)}</dd>
          </div>
        )}
        <div>
          <dt>Total</dt>
          <dd>
            <Price money={order.total} />
          </dd>
        </div>
      </dl>
    </li>
  );
}
