-- Shipments of paid orders. An order's fulfilment status is kept beside its payment status and
-- changes in the same transaction as the shipment that moves it. A shipment never sends more of a
-- line than was ordered: the service sums what was shipped while it holds the order's row lock.
ALTER TABLE orders ADD COLUMN fulfillment_status text NOT NULL DEFAULT 'unfulfilled'
    CHECK (fulfillment_status IN ('unfulfilled', 'partially_fulfilled', 'fulfilled'));

CREATE TABLE fulfillments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- The admin's Idempotency-Key: a retried request answers this shipment, never a second one.
    idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    carrier          text NOT NULL CHECK (length(carrier) BETWEEN 1 AND 100),
    tracking_number  text NOT NULL CHECK (length(tracking_number) BETWEEN 1 AND 100),
    tracking_url     text CHECK (tracking_url ~ '^https?://' AND length(tracking_url) <= 2000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, idempotency_key)
);

CREATE INDEX fulfillments_order_id_idx ON fulfillments (order_id, created_at);

CREATE TABLE fulfillment_lines (
    fulfillment_id  uuid NOT NULL REFERENCES fulfillments (id) ON DELETE CASCADE,
    order_line_id   uuid NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    quantity        integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (fulfillment_id, order_line_id)
);

CREATE INDEX fulfillment_lines_order_line_id_idx ON fulfillment_lines (order_line_id);
