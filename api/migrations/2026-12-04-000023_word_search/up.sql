-- The storefront searches words, not substrings: a substring search through trigram indexes
-- reads every product that shares a trigram with a common word, a second at a million products.
-- The words of a product's name and description, kept by PostgreSQL itself. The 'simple'
-- configuration lowercases and does not stem: a catalog's names are not all in one language.
ALTER TABLE products ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || description)) STORED;

-- Over exactly the products a shopper may see, like the sort indexes. Without fastupdate, for
-- the reason given for the trigram indexes (migration 5).
CREATE INDEX products_listed_search_idx ON products USING gin (search)
    WITH (fastupdate = off) WHERE active AND price_from IS NOT NULL;

-- Only the storefront's search read descriptions; the staff's search reads names and slugs.
DROP INDEX products_description_trgm_idx;
