-- What GET /products?limit=24 asks PostgreSQL.
SELECT coalesce(sum(visible), 0)::bigint FROM listing_counts;
SELECT * FROM product_listings WHERE active = true AND price_from IS NOT NULL
ORDER BY created_at DESC, id DESC LIMIT 24 OFFSET 0;
