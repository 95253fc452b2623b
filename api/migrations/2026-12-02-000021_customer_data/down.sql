DROP INDEX orders_retention_idx;
DROP TABLE customer_consents;
ALTER TABLE customers DROP COLUMN marketing_consent_at, DROP COLUMN marketing_consent;
DROP TABLE customer_addresses;
DROP INDEX carts_one_per_customer;
ALTER TABLE carts DROP COLUMN customer_id;
