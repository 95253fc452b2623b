-- Promotion codes, the one a cart carries, and each order's redemption. `redemptions` is counted
-- by a conditional update at checkout, like stock, so a code is never used more often than it
-- allows however many checkouts race for it; a cancelled or expired order gives its redemption
-- back (released_at) exactly once.
CREATE TABLE promotions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Compared without regard to case: stored upper case.
    code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    percent_off_bp   integer CHECK (percent_off_bp BETWEEN 1 AND 10000),
    amount_off       bigint CHECK (amount_off BETWEEN 1 AND 99999999),
    -- The shop's currency when the promotion was written: its amounts are in it.
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    min_subtotal     bigint CHECK (min_subtotal BETWEEN 0 AND 99999999),
    starts_at        timestamptz,
    ends_at          timestamptz,
    max_redemptions  integer CHECK (max_redemptions BETWEEN 1 AND 100000000),
    redemptions      integer NOT NULL DEFAULT 0 CHECK (redemptions >= 0),
    once_per_email   boolean NOT NULL DEFAULT false,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT promotions_one_offer CHECK ((percent_off_bp IS NULL) <> (amount_off IS NULL)),
    CONSTRAINT promotions_window CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at),
    CONSTRAINT promotions_within_limit CHECK (max_redemptions IS NULL OR redemptions <= max_redemptions)
);

-- One code per cart.
ALTER TABLE carts ADD COLUMN promotion_id uuid REFERENCES promotions (id) ON DELETE SET NULL;
CREATE INDEX carts_promotion_id_idx ON carts (promotion_id) WHERE promotion_id IS NOT NULL;

CREATE TABLE promotion_redemptions (
    order_id      uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    promotion_id  uuid NOT NULL REFERENCES promotions (id),
    -- Lower case, to find an email's earlier use of a code.
    email         text NOT NULL CHECK (email = lower(email)),
    created_at    timestamptz NOT NULL DEFAULT now(),
    released_at   timestamptz
);

CREATE INDEX promotion_redemptions_held_idx ON promotion_redemptions (promotion_id, email)
    WHERE released_at IS NULL;
