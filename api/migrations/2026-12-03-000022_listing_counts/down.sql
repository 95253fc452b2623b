DROP TRIGGER products_listing_counts_delete ON products;
DROP TRIGGER products_listing_counts_update ON products;
DROP TRIGGER products_listing_counts_insert ON products;
DROP FUNCTION listing_counts_apply();
DROP TABLE listing_counts;
