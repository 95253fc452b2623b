-- Orders keep time by the database's clock alone, at the moment of writing, so that deadlines
-- compared later are never between two clocks.
ALTER TABLE orders
    ALTER COLUMN created_at SET DEFAULT clock_timestamp(),
    ALTER COLUMN updated_at SET DEFAULT clock_timestamp();

-- A checkout whose PaymentIntent call ended without an answer is cancelled at once, but Stripe
-- may have made that PaymentIntent: the order keeps it, found through the order's idempotency
-- key, until it is cancelled at Stripe too.
ALTER TABLE orders ADD COLUMN intent_cleanup boolean NOT NULL DEFAULT false;
CREATE INDEX orders_intent_cleanup_idx ON orders (updated_at) WHERE intent_cleanup;

-- Reservation expiry backs off per order when Stripe refuses to cancel, so one stubborn order
-- never holds up the others.
ALTER TABLE orders
    ADD COLUMN sweep_attempts integer NOT NULL DEFAULT 0 CHECK (sweep_attempts >= 0),
    ADD COLUMN next_sweep_at timestamptz;
DROP INDEX orders_reserved_until_idx;
CREATE INDEX orders_expiry_due_idx ON orders ((COALESCE(next_sweep_at, reserved_until)))
    WHERE stock_state = 'reserved' AND status = 'pending_payment';

-- A refund's state follows Stripe's. `requested` is the shop's own: sent, or about to be, with
-- no answer yet; it counts against what can still be refunded until Stripe's answer is known.
-- Refunds made outside the shop (the Stripe dashboard) have no idempotency key.
ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
UPDATE refunds SET status = 'requested' WHERE status = 'pending';
ALTER TABLE refunds
    ALTER COLUMN status SET DEFAULT 'requested',
    ALTER COLUMN idempotency_key DROP NOT NULL,
    ADD CONSTRAINT refunds_status_check CHECK (status IN (
        'requested', 'pending', 'requires_action', 'succeeded', 'failed', 'canceled'));
