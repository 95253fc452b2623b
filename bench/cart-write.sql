-- What PATCH /carts/{id}/items/{line_id} asks PostgreSQL, for one of the benchmark's carts.
\set n random(1, :carts)
BEGIN;
SELECT id, version FROM carts WHERE id = (SELECT id FROM bench_carts WHERE n = :n) AND expires_at > now() FOR UPDATE;
SELECT * FROM cart_lines WHERE cart_id = (SELECT id FROM bench_carts WHERE n = :n) AND id = (SELECT line_id FROM bench_carts WHERE n = :n);
SELECT v.*, p.active FROM variants v JOIN products p ON p.id = v.product_id
  WHERE v.id = (SELECT variant_id FROM bench_carts WHERE n = :n);
INSERT INTO cart_lines (cart_id, variant_id, quantity, seen_unit_amount)
  SELECT id, variant_id, 1 + :n % 5, 1000 FROM bench_carts WHERE n = :n
  ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity, updated_at = now();
UPDATE carts SET version = version + 1, updated_at = now(), expires_at = now() + interval '7 days'
  WHERE id = (SELECT id FROM bench_carts WHERE n = :n);
SELECT l.*, v.sku, v.title, v.price_amount, p.name FROM cart_lines l JOIN variants v ON v.id = l.variant_id
  JOIN products p ON p.id = v.product_id WHERE l.cart_id = (SELECT id FROM bench_carts WHERE n = :n);
-- The cart ships somewhere (bench/setup.mjs gives it an address and a method): its tax and rate.
SELECT * FROM tax_rates
  WHERE country = (SELECT shipping_address->>'country' FROM carts WHERE id = (SELECT id FROM bench_carts WHERE n = :n));
SELECT r.* FROM shipping_rates r JOIN shipping_zone_countries z ON z.zone_id = r.zone_id
  WHERE r.id = (SELECT shipping_rate_id FROM carts WHERE id = (SELECT id FROM bench_carts WHERE n = :n))
  AND z.country = (SELECT shipping_address->>'country' FROM carts WHERE id = (SELECT id FROM bench_carts WHERE n = :n))
  AND r.active AND r.currency = 'EUR';
COMMIT;
