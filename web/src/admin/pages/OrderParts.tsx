// The read-only parts of the order detail screen.
import type { ComponentChildren } from "preact";
import type { Schemas } from "../api";
import { dateTime, money } from "../ui";
import { type AdminOrder, fulfillmentStatuses, leftToRefund, moneyOf, orderStatuses } from "./orderRules";

function Figure({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function OrderSummary({ order }: { order: AdminOrder }) {
  return (
    <dl class="figures">
      <Figure term="Status">{orderStatuses[order.status]}</Figure>
      <Figure term="Fulfilment">{fulfillmentStatuses[order.fulfillment_status]}</Figure>
      <Figure term="Total">{money(order.total)}</Figure>
      <Figure term="Refunded">{money(order.refunded)}</Figure>
    </dl>
  );
}

export function OrderFacts({ order }: { order: AdminOrder }) {
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">Customer and payment</h2>
      <dl class="card">
        <Figure term="Email">
          <a href={`mailto:${order.email}`}>{order.email}</a>
        </Figure>
        <Figure term="Placed">{dateTime(order.created_at)}</Figure>
        <Figure term="Paid">{dateTime(order.paid_at)}</Figure>
        <Figure term="Payment status">{order.payment_status ?? "—"}</Figure>
        {order.payment_error && <Figure term="Payment error">{order.payment_error}</Figure>}
        <Figure term="Stripe payment">{order.payment_intent_id ?? "—"}</Figure>
        <Figure term="Stock">
          {order.stock_state === "reserved" ? `reserved until ${dateTime(order.reserved_until)}` : order.stock_state}
        </Figure>
        <Figure term="Order id">{order.id}</Figure>
      </dl>
    </section>
  );
}

function AddressBlock({ title, address }: { title: string; address: Schemas["Address"] | null | undefined }) {
  return (
    <div class="card">
      <h3>{title}</h3>
      {address ? (
        <address>
          {address.name}
          <br />
          {address.line1}
          {address.line2 && (
            <>
              <br />
              {address.line2}
            </>
          )}
          <br />
          {address.postal_code} {address.city}
          {address.region && `, ${address.region}`}
          <br />
          {address.country}
          {address.phone && (
            <>
              <br />
              {address.phone}
            </>
          )}
        </address>
      ) : (
        <p>None given.</p>
      )}
    </div>
  );
}

export function Addresses({ order }: { order: AdminOrder }) {
  return (
    <section aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">Addresses</h2>
      <AddressBlock title="Shipping address" address={order.shipping_address} />
      <AddressBlock title="Billing address" address={order.billing_address} />
    </section>
  );
}

export function Lines({ order }: { order: AdminOrder }) {
  return (
    <section aria-labelledby="lines-heading">
      <h2 id="lines-heading">Lines</h2>
      <div class="table-wrap">
        <table>
          <caption>What was ordered</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Title</th>
              <th scope="col" class="numeric">Quantity</th>
              <th scope="col" class="numeric">Unit price</th>
              <th scope="col" class="numeric">Line total</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.id}>
                <td>{line.sku}</td>
                <td>
                  {line.product_name}
                  {line.variant_title && `, ${line.variant_title}`}
                </td>
                <td class="numeric">{line.quantity}</td>
                <td class="numeric">{money(line.unit_price)}</td>
                <td class="numeric">{money(line.line_total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Totals({ order }: { order: AdminOrder }) {
  const { totals } = order;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading">Totals</h2>
      <dl class="card">
        <Figure term="Subtotal">{money(totals.subtotal)}</Figure>
        <Figure term={totals.promotion_code ? `Discount (${totals.promotion_code})` : "Discount"}>{money(totals.discount)}</Figure>
        <Figure term={order.shipping ? `Shipping (${order.shipping.method})` : "Shipping"}>{money(totals.shipping)}</Figure>
        <Figure term={totals.tax_included ? "Tax (included)" : "Tax (added)"}>
          {money(totals.tax)}
          {totals.tax_lines.map((tax) => (
            <span key={tax.label}>
              {" "}
              <span class="badge">
                {tax.label}: {money(tax.amount)}
              </span>
            </span>
          ))}
        </Figure>
        <Figure term="Total">{money(totals.total)}</Figure>
        <Figure term="Refunded">{money(order.refunded)}</Figure>
        <Figure term="Not yet refunded">{money(moneyOf(leftToRefund(order), order.total))}</Figure>
      </dl>
    </section>
  );
}

export function Shipments({ order }: { order: AdminOrder }) {
  const sku = new Map(order.lines.map((line) => [line.id, line.sku]));
  return (
    <section aria-labelledby="shipments-heading">
      <h2 id="shipments-heading">Shipments</h2>
      {order.shipments.length === 0 ? (
        <p>Nothing has shipped yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>Parcels sent, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Sent</th>
                <th scope="col">Carrier</th>
                <th scope="col">Tracking number</th>
                <th scope="col">Tracking page</th>
                <th scope="col">Units</th>
              </tr>
            </thead>
            <tbody>
              {order.shipments.map((shipment) => (
                <tr key={shipment.id}>
                  <td>{dateTime(shipment.created_at)}</td>
                  <td>{shipment.carrier}</td>
                  <td>{shipment.tracking_number}</td>
                  <td>
                    {shipment.tracking_url ? (
                      <a href={shipment.tracking_url} rel="noopener noreferrer">
                        Track {shipment.tracking_number}
                      </a>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    <ul>
                      {shipment.lines.map((line) => (
                        <li key={line.line_id}>
                          {line.quantity} × {sku.get(line.line_id) ?? line.line_id}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
