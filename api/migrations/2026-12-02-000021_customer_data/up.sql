-- What an account keeps besides its sign-in: its cart (one live cart per account, so that every
-- device of the shopper sees the same), its address book (one default shipping and one default
-- billing address, enforced here), and the history of its marketing consent, insert-only: the proof
-- of consent GDPR Art. 7(1) asks for.
ALTER TABLE carts ADD COLUMN customer_id uuid REFERENCES customers (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX carts_one_per_customer ON carts (customer_id) WHERE status <> 'closed';

CREATE TABLE customer_addresses (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id       uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- An address as checkout stores it (domain::address::Address).
    address           jsonb NOT NULL CHECK (jsonb_typeof(address) = 'object'),
    default_shipping  boolean NOT NULL DEFAULT false,
    default_billing   boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id, created_at);
CREATE UNIQUE INDEX customer_addresses_one_default_shipping ON customer_addresses (customer_id)
    WHERE default_shipping;
CREATE UNIQUE INDEX customer_addresses_one_default_billing ON customer_addresses (customer_id)
    WHERE default_billing;

ALTER TABLE customers
    ADD COLUMN marketing_consent boolean NOT NULL DEFAULT false,
    ADD COLUMN marketing_consent_at timestamptz;

CREATE TABLE customer_consents (
    id           bigserial PRIMARY KEY,
    customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose      text NOT NULL CHECK (purpose IN ('marketing_email')),
    granted      boolean NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customer_consents_customer_idx ON customer_consents (customer_id, recorded_at);

-- The retention sweep finds old guest orders that still hold personal data.
CREATE INDEX orders_retention_idx ON orders (created_at)
    WHERE customer_id IS NULL AND anonymised_at IS NULL;
