ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
DELETE FROM refunds WHERE idempotency_key IS NULL;
UPDATE refunds SET status = 'pending' WHERE status IN ('requested', 'requires_action');
UPDATE refunds SET status = 'failed' WHERE status = 'canceled';
ALTER TABLE refunds
    ALTER COLUMN status SET DEFAULT 'pending',
    ALTER COLUMN idempotency_key SET NOT NULL,
    ADD CONSTRAINT refunds_status_check CHECK (status IN ('pending', 'succeeded', 'failed'));

DROP INDEX orders_expiry_due_idx;
CREATE INDEX orders_reserved_until_idx ON orders (reserved_until) WHERE stock_state = 'reserved';
ALTER TABLE orders DROP COLUMN next_sweep_at, DROP COLUMN sweep_attempts;
DROP INDEX orders_intent_cleanup_idx;
ALTER TABLE orders DROP COLUMN intent_cleanup;
ALTER TABLE orders
    ALTER COLUMN created_at SET DEFAULT now(),
    ALTER COLUMN updated_at SET DEFAULT now();
