DROP TABLE shipping_rates;
DROP TABLE shipping_zone_countries;
DROP TABLE shipping_zones;
