DROP INDEX orders_customer_idx;
ALTER TABLE orders
    DROP CONSTRAINT orders_anonymised_unowned,
    DROP COLUMN anonymised_at,
    DROP COLUMN customer_id;

DELETE FROM audit_events WHERE actor_kind IN ('customer', 'system');
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check, ADD CONSTRAINT
    audit_events_actor_kind_check CHECK (actor_kind IN
    ('staff', 'api_key', 'bootstrap_token', 'anonymous'));

DELETE FROM login_failures WHERE realm = 'customer';
DROP INDEX login_failures_client_idx;
ALTER TABLE login_failures DROP COLUMN realm;
CREATE INDEX login_failures_client_idx ON login_failures (client_addr, failed_at);

DROP INDEX emails_customer_idx;
DROP INDEX emails_account_recipient_idx;
DELETE FROM emails WHERE kind IN ('account_verify', 'account_exists', 'password_reset', 'password_changed');
ALTER TABLE emails DROP CONSTRAINT emails_kind_check, ADD CONSTRAINT emails_kind_check CHECK (kind IN (
    'order_paid', 'order_shipped', 'order_refunded', 'order_cancelled', 'order_lookup'));
ALTER TABLE emails DROP COLUMN customer_id;

DROP TABLE customer_tokens;
DROP TABLE customer_sessions;
DROP TABLE customers;
