ALTER TABLE carts
    DROP COLUMN shipping_rate_id,
    DROP COLUMN billing_address,
    DROP COLUMN shipping_address;
