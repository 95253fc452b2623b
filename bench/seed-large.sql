-- A large catalog for the benchmark: :products products (10,000 unless given, e.g.
-- `psql -v products=1000000 -f bench/seed-large.sql`) with 3 variants each, in 10 categories.
-- Idempotent: a second run adds only what is missing.
--
-- Each product is written once, with the "from" price its variants give it, and the trigger that
-- keeps that price is off while the variants go in: updating a million products after their
-- variants would leave half the table dead, and a benchmark of a table no shop would have.
-- The check at the end proves the prices are those the trigger would have set.
\set ON_ERROR_STOP on
\if :{?products}
\else
  \set products 10000
\endif

BEGIN;

INSERT INTO categories (slug, name)
SELECT 'bench-category-' || c, 'Bench category ' || c FROM generate_series(1, 10) AS c
ON CONFLICT (slug) DO NOTHING;

INSERT INTO products (slug, name, description, images, category_id, created_at, price_from, currency)
SELECT 'bench-product-' || p,
       'Bench product ' || p,
       'A product of the benchmark catalog, number ' || p || ', in organic cotton.',
       jsonb_build_array(jsonb_build_object('url', '/images/products/classic-tee.svg', 'alt', 'Bench product ' || p)),
       (SELECT id FROM categories WHERE slug = 'bench-category-' || (1 + p % 10)),
       now() - make_interval(secs => p),
       1000 + (abs(hashtext('bench-product-' || p)) % 9000) + 100,
       'EUR'
FROM generate_series(1, :products) AS p
ON CONFLICT (slug) DO NOTHING;

ALTER TABLE variants DISABLE TRIGGER variants_refresh_offer;
INSERT INTO variants (product_id, sku, title, price_amount, currency, stock_on_hand, position)
SELECT pr.id, 'BENCH-' || substr(pr.slug, 15) || '-' || v, 'Size ' || v,
       1000 + (abs(hashtext(pr.slug)) % 9000) + v * 100, 'EUR', 1000000, v
FROM products pr, generate_series(1, 3) AS v
WHERE pr.slug LIKE 'bench-product-%'
ON CONFLICT (sku) DO NOTHING;
ALTER TABLE variants ENABLE TRIGGER variants_refresh_offer;

DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM products p
        JOIN (SELECT product_id, min(price_amount) AS price_from FROM variants
              WHERE active GROUP BY product_id) offer ON offer.product_id = p.id
        WHERE p.slug LIKE 'bench-product-%' AND p.price_from IS DISTINCT FROM offer.price_from
    ) THEN
        RAISE EXCEPTION 'a bench product''s price_from differs from its variants''';
    END IF;
END
$$;

COMMIT;
VACUUM ANALYZE products;
VACUUM ANALYZE variants;
