import { useState } from "preact/hooks";
import { type Session, api, call, idempotencyKey } from "../api";
import { useLoad, useSubmit } from "../forms";
import { may } from "../roles";
import { Notice, PageTitle } from "../ui";
import { Confirm } from "./Confirm";
import { OrderEmails } from "./OrderEmails";
import { Addresses, Lines, OrderFacts, OrderSummary, Shipments, Totals } from "./OrderParts";
import { RefundForm } from "./RefundForm";
import { ShipmentForm } from "./ShipmentForm";
import { type AdminOrder, mayCancel, mayRefund, mayShip, shortId } from "./orderRules";

function CancelOrder({ order, onCancelled }: { order: AdminOrder; onCancelled: (message: string) => void }) {
  const cancel = useSubmit(async () => {
    await call(
      api.POST("/api/v1/admin/orders/{id}/cancel", {
        params: { path: { id: order.id }, header: { "Idempotency-Key": idempotencyKey() } },
      }),
    );
    onCancelled("The order is cancelled");
  });
  const paid = Boolean(order.paid_at) && order.refunded.amount < order.total.amount;
  return (
    <section aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel the order</h2>
      <p>
        {paid
          ? "Cancelling refunds what was paid and not yet refunded, and puts the units back in stock."
          : "Cancelling stops the payment and releases the reserved stock."}
      </p>
      {cancel.outcome && <Notice kind={cancel.outcome.kind}>{cancel.outcome.text}</Notice>}
      <Confirm
        action="Cancel order"
        question="Are you sure you want to cancel this order?"
        yes="Yes, cancel the order"
        onConfirm={cancel.submit}
      />
    </section>
  );
}

export function OrderDetail({ id, session }: { id: string; session: Session }) {
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped by each action, so that the order and its emails are fetched again.
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => call(api.GET("/api/v1/admin/orders/{id}", { params: { path: { id } } })), [id, version]);
  const order = loaded.data;
  const failure = loaded.failure;

  const done = (message: string) => {
    setNotice(message);
    setVersion((n) => n + 1);
  };
  const manage = may(session.role, "manage_shop");
  const ship = may(session.role, "ship_orders");

  return (
    <>
      <PageTitle>Order {shortId(id)}</PageTitle>
      <p>
        <a href="/admin/orders">All orders</a>
      </p>
      {notice && <Notice kind="success">{notice}</Notice>}
      {failure && <Notice kind="error">{failure}</Notice>}
      {!order && !failure && <p>Loading…</p>}
      {order && (
        <>
          <OrderSummary order={order} />
          {manage && mayRefund(order) && (
            <section aria-labelledby="refund-heading">
              <h2 id="refund-heading">Refund</h2>
              <RefundForm key={order.updated_at} order={order} onRefunded={done} />
            </section>
          )}
          {ship && mayShip(order) && (
            <section aria-labelledby="ship-heading">
              <h2 id="ship-heading">Record a shipment</h2>
              <ShipmentForm key={order.updated_at} order={order} onShipped={done} />
            </section>
          )}
          {manage && mayCancel(order) && <CancelOrder key={order.updated_at} order={order} onCancelled={done} />}
          <Lines order={order} />
          <Totals order={order} />
          <Shipments order={order} />
          <OrderFacts order={order} />
          <Addresses order={order} />
          <OrderEmails orderId={order.id} version={version} canResend={manage} />
        </>
      )}
    </>
  );
}
