-- A large catalog for the benchmark: :products products (10,000 unless given, e.g.
-- `psql -v products=1000000 -f bench/seed-large.sql`) with 3 variants each, in 10 categories.
-- Idempotent: a second run adds only what is missing.
\if :{?products}
\else
  \set products 10000
\endif

INSERT INTO categories (slug, name)
SELECT 'bench-category-' || c, 'Bench category ' || c FROM generate_series(1, 10) AS c
ON CONFLICT (slug) DO NOTHING;

INSERT INTO products (slug, name, description, images, category_id, created_at)
SELECT 'bench-product-' || p,
       'Bench product ' || p,
       'A product of the benchmark catalog, number ' || p || ', in organic cotton.',
       jsonb_build_array(jsonb_build_object('url', '/images/products/classic-tee.svg', 'alt', 'Bench product ' || p)),
       (SELECT id FROM categories WHERE slug = 'bench-category-' || (1 + p % 10)),
       now() - make_interval(secs => p)
FROM generate_series(1, :products) AS p
ON CONFLICT (slug) DO NOTHING;

INSERT INTO variants (product_id, sku, title, price_amount, currency, stock_on_hand, position)
SELECT pr.id, 'BENCH-' || substr(pr.slug, 15) || '-' || v, 'Size ' || v,
       1000 + (abs(hashtext(pr.slug)) % 9000) + v * 100, 'EUR', 1000000, v
FROM products pr, generate_series(1, 3) AS v
WHERE pr.slug LIKE 'bench-product-%'
ON CONFLICT (sku) DO NOTHING;

ANALYZE;
