-- The catalog: categories, products and their purchasable variants.
-- Identifiers are random UUIDs so that nothing in the shop can be enumerated by counting.

CREATE TABLE categories (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    -- [{"url": "...", "alt": "..."}], in display order
    images       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(images) = 'array'),
    active       boolean NOT NULL DEFAULT true,
    category_id  uuid REFERENCES categories (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_category_id_idx ON products (category_id);
CREATE INDEX products_newest_idx ON products (created_at DESC, id DESC);

CREATE TABLE variants (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id      uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku             text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- Integer minor units of `currency` (cents for EUR); never a float.
    price_amount    bigint NOT NULL CHECK (price_amount BETWEEN 0 AND 99999999),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    stock_on_hand   integer NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
    -- Units held by checkouts awaiting payment; what can be sold is on_hand - reserved.
    stock_reserved  integer NOT NULL DEFAULT 0 CHECK (stock_reserved >= 0),
    active          boolean NOT NULL DEFAULT true,
    position        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT variants_reserved_within_stock CHECK (stock_reserved <= stock_on_hand)
);

CREATE INDEX variants_product_id_idx ON variants (product_id);

-- One row per product as listings show it: the cheapest active variant's price and what can be
-- sold across its active variants. Listing queries filter and sort on these columns.
CREATE VIEW product_listings AS
SELECT p.id,
       p.slug,
       p.name,
       p.description,
       p.images,
       p.active,
       p.category_id,
       c.slug AS category_slug,
       c.name AS category_name,
       offer.price_from,
       offer.currency,
       offer.stock_available,
       p.created_at,
       p.updated_at
FROM products p
LEFT JOIN categories c ON c.id = p.category_id
LEFT JOIN LATERAL (
    SELECT min(v.price_amount) AS price_from,
           min(v.currency) AS currency,
           coalesce(sum(v.stock_on_hand - v.stock_reserved), 0)::bigint AS stock_available
    FROM variants v
    WHERE v.product_id = p.id AND v.active
) offer ON true;
