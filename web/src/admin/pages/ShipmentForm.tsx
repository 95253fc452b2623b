import { useRef, useState } from "preact/hooks";
import { api, call, idempotencyKey } from "../api";
import { Failure, Reader, useSubmit } from "../forms";
import { Field, Notice } from "../ui";
import { type AdminOrder, leftToShip } from "./orderRules";

/** A parcel of some units of some lines, with its tracking; each line offers what is left. */
export function ShipmentForm({ order, onShipped }: { order: AdminOrder; onShipped: (message: string) => void }) {
  const left = leftToShip(order);
  // Inputs are named after the order's lines by their place in `order.lines`.
  const open = order.lines.map((line, index) => ({ line, index, left: left.get(line.id) ?? 0 })).filter((l) => l.left > 0);
  const [carrier, setCarrier] = useState("");
  const [trackingNumber, setTrackingNumber] = useState("");
  const [trackingUrl, setTrackingUrl] = useState("");
  const [units, setUnits] = useState<Record<string, string>>(() =>
    Object.fromEntries(open.map(({ line, left }) => [line.id, String(left)])),
  );
  // One key per attempt, kept for a retry so that a lost answer cannot record the parcel twice.
  const key = useRef<string | null>(null);
  // The server names a line by its place in what was sent; the inputs, by its place in the order.
  const sentPlaces = useRef<number[]>([]);
  const edit = (set: (value: string) => void) => (value: string) => {
    key.current = null;
    set(value);
  };

  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const sent: Array<{ index: number; line_id: string; quantity: number }> = [];
      for (const { line, index, left: most } of open) {
        const text = (units[line.id] ?? "").trim();
        const quantity = Number(text || "0");
        if (!Number.isInteger(quantity) || quantity < 0 || quantity > most) {
          reader.errors[`lines[${index}].quantity`] = `Enter a whole number from 0 to ${most}.`;
        } else if (quantity > 0) sent.push({ index, line_id: line.id, quantity });
      }
      reader.done();
      if (sent.length === 0) throw new Failure("Choose at least one unit to ship.");

      sentPlaces.current = sent.map(({ index }) => index);
      key.current ??= idempotencyKey();
      const result = await call(
        api.POST("/api/v1/admin/orders/{id}/fulfillments", {
          params: { path: { id: order.id }, header: { "Idempotency-Key": key.current } },
          body: {
            carrier,
            tracking_number: trackingNumber,
            tracking_url: trackingUrl.trim() || null,
            lines: sent.map(({ line_id, quantity }) => ({ line_id, quantity })),
          },
        }),
      );
      key.current = null;
      const count = result.fulfillment.lines.reduce((sum, line) => sum + line.quantity, 0);
      onShipped(`Shipment recorded: ${count} unit${count === 1 ? "" : "s"} with ${result.fulfillment.carrier}`);
    },
    {
      inputs: ["carrier", "tracking_number", "tracking_url", ...open.map(({ index }) => `lines[${index}].quantity`)],
      alias: (field) =>
        field.replace(/^lines\[(\d+)\]/, (whole, at: string) => {
          const place = sentPlaces.current[Number(at)];
          return place === undefined ? whole : `lines[${place}]`;
        }),
    },
  );

  return (
    <form onSubmit={form.submit} aria-labelledby="ship-heading" noValidate>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <Field name="carrier" label="Carrier" required value={carrier} onValue={edit(setCarrier)} errors={form.errors} />
      <Field
        name="tracking_number"
        label="Tracking number"
        required
        autoComplete="off"
        value={trackingNumber}
        onValue={edit(setTrackingNumber)}
        errors={form.errors}
      />
      <Field
        name="tracking_url"
        label="Tracking URL (optional)"
        type="url"
        hint="Where the customer can follow the parcel: an http or https address."
        value={trackingUrl}
        onValue={edit(setTrackingUrl)}
        errors={form.errors}
      />
      <fieldset>
        <legend>Units in this parcel</legend>
        {open.map(({ line, index, left: most }) => (
          <Field
            key={line.id}
            name={`lines[${index}].quantity`}
            label={`${line.sku}, ${line.product_name}${line.variant_title ? ` (${line.variant_title})` : ""}`}
            hint={`${most} of ${line.quantity} left to ship.`}
            type="number"
            min={0}
            max={most}
            step={1}
            value={units[line.id] ?? ""}
            onValue={edit((value) => setUnits((current) => ({ ...current, [line.id]: value })))}
            errors={form.errors}
          />
        ))}
      </fieldset>
      <button type="submit" disabled={form.busy}>
        Record shipment
      </button>
    </form>
  );
}
