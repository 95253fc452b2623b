-- Customer accounts, on top of guest checkout: shoppers who sign up with a verified email, their
-- server-side sessions, and the single-use links that verify an address or reset a password.
-- Tables are separate from staff's, so that no bug can turn one kind of session into the other.
CREATE TABLE customers (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    -- argon2id, in the PHC string format.
    password_hash        text NOT NULL,
    name                 text CHECK (length(name) BETWEEN 1 AND 100),
    -- Sign-in waits for it, and so does attaching guest orders placed with the address.
    email_verified_at    timestamptz,
    failed_logins        integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until         timestamptz,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- Unverified sign-ups are forgotten after a while.
CREATE INDEX customers_unverified_idx ON customers (created_at) WHERE email_verified_at IS NULL;

-- Known by the SHA-256 of the cookie, like staff sessions.
CREATE TABLE customer_sessions (
    token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    customer_id   uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    client_addr   text NOT NULL
);

CREATE INDEX customer_sessions_customer_idx ON customer_sessions (customer_id);
CREATE INDEX customer_sessions_seen_idx ON customer_sessions (last_seen_at);

-- The emailed link names this row and is signed; the row makes it single-use and revocable.
CREATE TABLE customer_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose      text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customer_tokens_live_idx ON customer_tokens (customer_id, purpose) WHERE used_at IS NULL;
CREATE INDEX customer_tokens_expires_idx ON customer_tokens (expires_at);

-- Account email (verification, reset, notices) belongs to the account and goes with it.
ALTER TABLE emails ADD COLUMN customer_id uuid REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE emails DROP CONSTRAINT emails_kind_check, ADD CONSTRAINT emails_kind_check CHECK (kind IN (
    'order_paid', 'order_shipped', 'order_refunded', 'order_cancelled', 'order_lookup',
    'account_verify', 'account_exists', 'password_reset', 'password_changed'));
-- One account email of a kind per address a minute, however many clients ask.
CREATE INDEX emails_account_recipient_idx ON emails (lower(recipient), kind, created_at)
    WHERE order_id IS NULL;
CREATE INDEX emails_customer_idx ON emails (customer_id) WHERE customer_id IS NOT NULL;

-- Failed sign-ins of shoppers throttle a client apart from failed staff logins.
ALTER TABLE login_failures ADD COLUMN realm text NOT NULL DEFAULT 'staff'
    CHECK (realm IN ('staff', 'customer'));
DROP INDEX login_failures_client_idx;
CREATE INDEX login_failures_client_idx ON login_failures (realm, client_addr, failed_at);

ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check, ADD CONSTRAINT
    audit_events_actor_kind_check CHECK (actor_kind IN
    ('staff', 'api_key', 'bootstrap_token', 'anonymous', 'customer', 'system'));

-- The account an order belongs to; an anonymised order (an erased account's, or a guest's past
-- retention) belongs to nobody and keeps only what accounting needs.
ALTER TABLE orders
    ADD COLUMN customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
    ADD COLUMN anonymised_at timestamptz,
    ADD CONSTRAINT orders_anonymised_unowned CHECK (anonymised_at IS NULL OR customer_id IS NULL);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;
