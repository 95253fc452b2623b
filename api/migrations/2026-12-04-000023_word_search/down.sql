CREATE INDEX products_description_trgm_idx ON products USING gin (description gin_trgm_ops)
    WITH (fastupdate = off);
ALTER TABLE products DROP COLUMN search;
