-- Where the shop ships and what it charges: zones of countries, and the rates offered in each.

CREATE TABLE shipping_zones (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A country is the key, so it belongs to one zone at most: a cart's address finds one zone and
-- its rates, and of two writers claiming the same country at once only one can commit.
CREATE TABLE shipping_zone_countries (
    country  text PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
    zone_id  uuid NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE
);

CREATE INDEX shipping_zone_countries_zone_id_idx ON shipping_zone_countries (zone_id);

CREATE TABLE shipping_rates (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    zone_id            uuid NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Integer minor units of `currency`, the shop's currency when the rate was written.
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    price_amount       bigint NOT NULL CHECK (price_amount BETWEEN 0 AND 99999999),
    -- A cart subtotal at or above this ships for nothing.
    free_above_amount  bigint CHECK (free_above_amount BETWEEN 0 AND 99999999),
    -- Added for every unit in the cart.
    per_item_amount    bigint CHECK (per_item_amount BETWEEN 0 AND 99999999),
    active             boolean NOT NULL DEFAULT true,
    position           integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX shipping_rates_zone_id_idx ON shipping_rates (zone_id);
