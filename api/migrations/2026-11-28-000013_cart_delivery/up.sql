-- Where a cart goes and how: the addresses as checked JSON objects (see domain::address), and the
-- shipping rate the shopper chose. Deleting a rate leaves the carts that chose it without one.
ALTER TABLE carts
    ADD COLUMN shipping_address jsonb
        CONSTRAINT carts_shipping_address_object CHECK (jsonb_typeof(shipping_address) = 'object'),
    -- NULL: the billing address is the shipping address.
    ADD COLUMN billing_address jsonb
        CONSTRAINT carts_billing_address_object CHECK (jsonb_typeof(billing_address) = 'object'),
    ADD COLUMN shipping_rate_id uuid REFERENCES shipping_rates (id) ON DELETE SET NULL,
    ADD CONSTRAINT carts_method_needs_address
        CHECK (shipping_rate_id IS NULL OR shipping_address IS NOT NULL);

CREATE INDEX carts_shipping_rate_id_idx ON carts (shipping_rate_id) WHERE shipping_rate_id IS NOT NULL;
