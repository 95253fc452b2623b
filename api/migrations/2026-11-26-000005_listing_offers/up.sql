-- Listings sort and filter on each product's "from" price. Aggregating every product's variants
-- per request made a page cost the whole catalog, so the offer is kept on the product row,
-- maintained by a trigger whenever a variant's price, currency or activity changes. Stock is not
-- kept there: it changes with every checkout, and it is only shown for the rows of one page.
ALTER TABLE products
    ADD COLUMN price_from bigint,
    ADD COLUMN currency text;

CREATE FUNCTION refresh_product_offer(product uuid) RETURNS void
LANGUAGE sql AS $$
    UPDATE products p
    SET price_from = offer.price_from, currency = offer.currency
    FROM (SELECT min(price_amount) AS price_from, min(currency) AS currency
          FROM variants WHERE product_id = product AND active) offer
    WHERE p.id = product
      AND (p.price_from, p.currency) IS DISTINCT FROM (offer.price_from, offer.currency)
$$;

CREATE FUNCTION variants_refresh_offer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_product_offer(OLD.product_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.product_id <> OLD.product_id) THEN
        PERFORM refresh_product_offer(NEW.product_id);
    END IF;
    RETURN NULL;
END
$$;

-- Stock columns are deliberately absent: checkouts must not lock product rows.
CREATE TRIGGER variants_refresh_offer
AFTER INSERT OR DELETE OR UPDATE OF product_id, price_amount, currency, active ON variants
FOR EACH ROW EXECUTE FUNCTION variants_refresh_offer();

UPDATE products p
SET price_from = offer.price_from, currency = offer.currency
FROM (SELECT product_id, min(price_amount) AS price_from, min(currency) AS currency
      FROM variants WHERE active GROUP BY product_id) offer
WHERE p.id = offer.product_id;

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
       p.price_from,
       p.currency,
       -- A scalar subquery, so that counting listings never computes it.
       (SELECT coalesce(sum(v.stock_on_hand - v.stock_reserved), 0)::bigint
        FROM variants v
        WHERE v.product_id = p.id AND v.active) AS stock_available,
       p.created_at,
       p.updated_at
FROM products p
LEFT JOIN categories c ON c.id = p.category_id;

-- One index per sort order, over exactly the products a shopper may see.
DROP INDEX products_newest_idx;
CREATE INDEX products_listed_newest_idx ON products (created_at DESC, id DESC)
    WHERE active AND price_from IS NOT NULL;
CREATE INDEX products_listed_price_idx ON products (price_from, id)
    WHERE active AND price_from IS NOT NULL;
CREATE INDEX products_listed_name_idx ON products (name, id)
    WHERE active AND price_from IS NOT NULL;

-- Search is a substring match (ILIKE '%text%') on name or description; trigram indexes serve it.
-- Without fastupdate, new products go straight into the index rather than into a pending list
-- that every search must scan until the next vacuum (and that makes the planner shun the index).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops)
    WITH (fastupdate = off);
CREATE INDEX products_description_trgm_idx ON products USING gin (description gin_trgm_ops)
    WITH (fastupdate = off);
