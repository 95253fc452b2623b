-- Guest carts. A cart is reached only with its secret, of which only a SHA-256 digest is stored.

CREATE TABLE carts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
    currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- open: the shopper edits it; locked: a checkout holds it; closed: it was paid for.
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'locked', 'closed')),
    -- Bumped by every change, so clients can detect changes and make conditional writes.
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX carts_expires_at_idx ON carts (expires_at);

CREATE TABLE cart_lines (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cart_id            uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    variant_id         uuid NOT NULL REFERENCES variants (id),
    quantity           integer NOT NULL CHECK (quantity > 0),
    -- The unit price the shopper last saw for this line, to point out a change since.
    seen_unit_amount   bigint NOT NULL CHECK (seen_unit_amount >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cart_lines_one_per_variant UNIQUE (cart_id, variant_id)
);

CREATE INDEX cart_lines_variant_id_idx ON cart_lines (variant_id);
