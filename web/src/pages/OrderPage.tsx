import { useEffect, useState } from "preact/hooks";
import { type Schemas, api, call } from "../api/client";
import type { ComponentChildren } from "preact";
import { ErrorNotice, Loading, OrderTotals, PostalAddress, Price } from "../components";
import { fulfillmentText, shippedItems, shippedOn, showsShipping, trackingHref } from "../fulfillment";
import { type FragmentToken, isInvalidLink, orderReference } from "../lookup";
import { forgetCheckout, orderSecret } from "../orders";
import { useShop } from "../shop";

type Order = Schemas["Order"];
type Shipment = Schemas["Shipment"];

/** How much of the order has shipped, and each parcel: when, with whom, how to follow it, what it carried. */
function Shipments({ order }: { order: Order }) {
  return (
    <section aria-labelledby="shipments-title" class="shipments">
      <h2 id="shipments-title">Shipments</h2>
      <p class={`fulfillment fulfillment-${order.fulfillment_status}`}>{fulfillmentText(order.fulfillment_status)}</p>
      {order.shipments.length > 0 && (
        <ol class="shipment-list">
          {order.shipments.map((shipment) => (
            <ShipmentItem key={shipment.id} shipment={shipment} order={order} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ShipmentItem({ shipment, order }: { shipment: Shipment; order: Order }) {
  const href = trackingHref(shipment.tracking_url);
  return (
    <li class="shipment">
      <h3>
        Parcel sent on <time dateTime={shipment.created_at}>{shippedOn(shipment.created_at)}</time>
      </h3>
      <dl class="shipment-facts">
        <div>
          <dt>Carrier</dt>
          <dd>{shipment.carrier}</dd>
        </div>
        <div>
          <dt>Tracking number</dt>
          <dd>{shipment.tracking_number}</dd>
        </div>
      </dl>
      {href && (
        <p>
          <a href={href} rel="noopener noreferrer">
            Track parcel<span class="visually-hidden"> {shipment.tracking_number} on the carrier's site</span>
          </a>
        </p>
      )}
      <p class="muted">In this parcel:</p>
      <ul class="shipment-items">
        {shippedItems(shipment, order.lines).map((item) => (
          <li key={item.lineId}>
            {item.name}
            {item.variant && <span class="muted"> {item.variant}</span>} × {item.quantity}
          </li>
        ))}
      </ul>
    </li>
  );
}

const STATUS_TEXT: Record<Order["status"], string> = {
  pending_payment: "Waiting for the payment to be confirmed…",
  paid: "Paid. Thank you for your order!",
  needs_review: "Payment received; we are checking your order and will be in touch.",
  cancelled: "Cancelled.",
  refunded: "Refunded.",
  partially_refunded: "Partially refunded.",
};

/** A lookup link's order that will not open: the link is forged, altered or expired. */
function InvalidLink() {
  return (
    <section aria-labelledby="order-title">
      <h1 id="order-title">Order not found</h1>
      <p class="notice notice-error" role="alert">
        This link is not valid or has expired.
      </p>
      <p>
        <a href="/orders/find">Find my order</a> sends you a new one.
      </p>
    </section>
  );
}

/**
 * An order, opened with the secret the browser that placed it keeps, or, from any browser, with
 * the token of a lookup link (`#lookup=…`), which is sent as a header and stored nowhere.
 */
export function OrderPage({ id, lookup }: { id: string; lookup: FragmentToken }) {
  const shop = useShop();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const token = lookup.kind === "token" ? lookup.token : null;

  useEffect(() => {
    if (lookup.kind === "malformed") return;
    const secret = token === null ? orderSecret(id) : undefined;
    if (token === null && !secret) {
      setError(new Error("missing order secret"));
      return;
    }
    const header = token !== null ? { "Lookup-Token": token } : { "Order-Secret": secret };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      try {
        const current = await call(api.GET("/api/v1/orders/{id}", { params: { path: { id }, header } }));
        if (stopped) return;
        setOrder(current);
        setError(null);
        if (current.status === "pending_payment") {
          timer = setTimeout(poll, 1500);
        } else if (current.status !== "cancelled" && token === null) {
          // Paid: the cart is done with. Not so for an order opened by a link, maybe on another
          // device, whose cart is another one.
          shop.carts.forget();
          forgetCheckout();
          shop.setCart(null);
        }
      } catch (failure) {
        if (!stopped) setError(failure);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, token, lookup.kind, attempt]);

  if (lookup.kind === "malformed" || (token !== null && !order && isInvalidLink(error))) return <InvalidLink />;
  if (error && !order) return <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!order) return <Loading />;
  return (
    <OrderView order={order}>{error !== null && <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />}</OrderView>
  );
}

/**
 * An order as its shopper sees it, however the page got it (the browser's order secret, a lookup
 * link, the account); `children` go under its status, for what the page has to say of it.
 */
export function OrderView({ order, children }: { order: Order; children?: ComponentChildren }) {
  const shop = useShop();
  return (
    <section aria-labelledby="order-title">
      <h1 id="order-title">Order {orderReference(order.id)}</h1>
      <p class={`status status-${order.status}`} role="status" aria-live="polite">
        {STATUS_TEXT[order.status]}
      </p>
      {children}
      <ul class="lines">
        {order.lines.map((line) => (
          <li key={line.id} class="line">
            <div class="line-info">
              <span>{line.product_name}</span>
              <span class="muted">
                {line.variant_title} · {line.quantity} × <Price money={line.unit_price} compareAt={line.compare_at_price} />
              </span>
            </div>
            <span class="line-total">
              <Price money={line.line_total} />
            </span>
          </li>
        ))}
      </ul>
      <OrderTotals
        totals={{ ...order.totals, tax_pending: false }}
        itemCount={order.lines.reduce((units, line) => units + line.quantity, 0)}
        place="checkout"
      />
      {order.totals.promotion_code && <p class="muted">Promotion code {order.totals.promotion_code} applied.</p>}
      {order.shipping_address && (
        <div class="order-addresses">
          <section aria-labelledby="ship-to">
            <h2 id="ship-to">Shipping to</h2>
            <PostalAddress address={order.shipping_address} />
            {order.shipping && <p class="muted">{order.shipping.method}</p>}
          </section>
          {order.billing_address && (
            <section aria-labelledby="bill-to">
              <h2 id="bill-to">Billing address</h2>
              <PostalAddress address={order.billing_address} />
            </section>
          )}
        </div>
      )}
      {showsShipping(order) && <Shipments order={order} />}
      {shop.config.emails_enabled ? (
        <p class="muted">A receipt goes to {order.email}.</p>
      ) : (
        <p class="muted">Keep this page's address: in this browser, it is how you come back to your order.</p>
      )}
    </section>
  );
}
