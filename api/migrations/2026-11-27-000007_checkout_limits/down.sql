DROP INDEX orders_open_by_client_idx;
ALTER TABLE orders DROP COLUMN client_key, DROP COLUMN reservation_limit;
