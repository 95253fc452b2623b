-- Orders, their checkout sessions, and the Stripe events already handled.
-- An order snapshots its cart: prices and names stay as they were when the shopper checked out.

CREATE TABLE orders (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    secret_hash         bytea NOT NULL CHECK (length(secret_hash) = 32),
    cart_id             uuid REFERENCES carts (id) ON DELETE SET NULL,
    email               text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    status              text NOT NULL DEFAULT 'pending_payment' CHECK (status IN (
                            'pending_payment', 'paid', 'needs_review', 'cancelled',
                            'refunded', 'partially_refunded')),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    total_amount        bigint NOT NULL CHECK (total_amount > 0),
    refunded_amount     bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= total_amount),
    -- reserved: counted in variants.stock_reserved; committed: taken off stock_on_hand;
    -- released: given back.
    stock_state         text NOT NULL DEFAULT 'reserved' CHECK (stock_state IN ('reserved', 'committed', 'released')),
    reserved_until      timestamptz NOT NULL,
    payment_intent_id   text UNIQUE,
    client_secret       text,
    -- Stripe's last word on the payment, e.g. requires_payment_method, succeeded.
    payment_status      text,
    payment_error       text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    paid_at             timestamptz
);

CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC);
CREATE INDEX orders_reserved_until_idx ON orders (reserved_until) WHERE stock_state = 'reserved';

CREATE TABLE order_lines (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id        uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    variant_id      uuid NOT NULL REFERENCES variants (id),
    sku             text NOT NULL,
    product_name    text NOT NULL,
    variant_title   text NOT NULL,
    unit_amount     bigint NOT NULL CHECK (unit_amount >= 0),
    quantity        integer NOT NULL CHECK (quantity > 0),
    line_amount     bigint NOT NULL CHECK (line_amount = unit_amount * quantity),
    position        integer NOT NULL
);

CREATE INDEX order_lines_order_id_idx ON order_lines (order_id);

-- One per (cart, Idempotency-Key): replaying the key finds the same session and order.
CREATE TABLE checkout_sessions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cart_id           uuid NOT NULL,
    idempotency_key   text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    order_id          uuid NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT checkout_sessions_key UNIQUE (cart_id, idempotency_key)
);

-- Each Stripe event is applied at most once.
CREATE TABLE stripe_events (
    id           text PRIMARY KEY,
    event_type   text NOT NULL,
    order_id     uuid,
    received_at  timestamptz NOT NULL DEFAULT now()
);
