-- Refunds the admin asked for. One per (order, Idempotency-Key): a replayed request finds its row
-- instead of refunding twice. Pending rows count against what can still be refunded.

CREATE TABLE refunds (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id          uuid NOT NULL REFERENCES orders (id),
    idempotency_key   text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    amount            bigint NOT NULL CHECK (amount > 0),
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    stripe_refund_id  text UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refunds_key UNIQUE (order_id, idempotency_key)
);

CREATE INDEX refunds_order_id_idx ON refunds (order_id);
