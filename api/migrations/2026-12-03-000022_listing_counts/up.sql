-- A page of the catalog says how many products there are. Counting them per request cost 70 ms
-- at a million products, so the number of visible products (active, with an active variant) is
-- kept per category instead, by statement triggers on products: a listing's total is then a sum
-- over a few rows. Statement triggers, so that a bulk change moves each category's figure once.
-- NULL is the row of the products without a category.
CREATE TABLE listing_counts (
    category_id uuid,
    visible     bigint NOT NULL,
    CONSTRAINT listing_counts_category_key UNIQUE NULLS NOT DISTINCT (category_id)
);

CREATE FUNCTION listing_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Each category's rows in one fixed order, so that concurrent changes cannot deadlock.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO listing_counts AS lc (category_id, visible)
        SELECT category_id, count(*) FROM new_rows
        WHERE active AND price_from IS NOT NULL
        GROUP BY category_id ORDER BY category_id
        ON CONFLICT (category_id) DO UPDATE SET visible = lc.visible + EXCLUDED.visible;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO listing_counts AS lc (category_id, visible)
        SELECT category_id, -count(*) FROM old_rows
        WHERE active AND price_from IS NOT NULL
        GROUP BY category_id ORDER BY category_id
        ON CONFLICT (category_id) DO UPDATE SET visible = lc.visible + EXCLUDED.visible;
    ELSE
        INSERT INTO listing_counts AS lc (category_id, visible)
        SELECT category_id, sum(delta) FROM (
            SELECT category_id, 1 AS delta FROM new_rows WHERE active AND price_from IS NOT NULL
            UNION ALL
            SELECT category_id, -1 FROM old_rows WHERE active AND price_from IS NOT NULL
        ) moved
        GROUP BY category_id HAVING sum(delta) <> 0 ORDER BY category_id
        ON CONFLICT (category_id) DO UPDATE SET visible = lc.visible + EXCLUDED.visible;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER products_listing_counts_insert AFTER INSERT ON products
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();
CREATE TRIGGER products_listing_counts_update AFTER UPDATE ON products
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();
CREATE TRIGGER products_listing_counts_delete AFTER DELETE ON products
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_apply();

INSERT INTO listing_counts (category_id, visible)
SELECT category_id, count(*) FROM products
WHERE active AND price_from IS NOT NULL
GROUP BY category_id;
