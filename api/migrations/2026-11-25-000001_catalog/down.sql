DROP VIEW product_listings;
DROP TABLE variants;
DROP TABLE products;
DROP TABLE categories;
