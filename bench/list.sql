-- What GET /products?limit=24 asks PostgreSQL.
SELECT count(*) FROM products WHERE active = true AND price_from IS NOT NULL;
SELECT * FROM product_listings WHERE active = true AND price_from IS NOT NULL
ORDER BY created_at DESC, id DESC LIMIT 24 OFFSET 0;
