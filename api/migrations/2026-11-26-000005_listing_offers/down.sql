DROP INDEX products_description_trgm_idx;
DROP INDEX products_name_trgm_idx;
DROP INDEX products_listed_name_idx;
DROP INDEX products_listed_price_idx;
DROP INDEX products_listed_newest_idx;
CREATE INDEX products_newest_idx ON products (created_at DESC, id DESC);

DROP VIEW product_listings;
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

DROP TRIGGER variants_refresh_offer ON variants;
DROP FUNCTION variants_refresh_offer();
DROP FUNCTION refresh_product_offer(uuid);
ALTER TABLE products DROP COLUMN currency, DROP COLUMN price_from;
