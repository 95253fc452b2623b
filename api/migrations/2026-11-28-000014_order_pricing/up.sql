-- An order keeps every figure it was priced with, so that later changes to the catalog, the
-- shipping rates, the tax rates or a promotion never alter it: its addresses, the amounts its
-- total is the sum of (checked here), and the rest of its receipt (the shipping method's name
-- and tax, the tax lines, the promotion code) as one JSON object, see db::orders::Breakdown.
-- Each line keeps its share of the discount and its tax. Orders placed before this have their
-- lines' sum as their subtotal and nothing else.
ALTER TABLE orders
    ADD COLUMN shipping_address jsonb
        CONSTRAINT orders_shipping_address_object CHECK (jsonb_typeof(shipping_address) = 'object'),
    ADD COLUMN billing_address jsonb
        CONSTRAINT orders_billing_address_object CHECK (jsonb_typeof(billing_address) = 'object'),
    ADD COLUMN subtotal_amount bigint CHECK (subtotal_amount >= 0),
    ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    ADD COLUMN shipping_amount bigint NOT NULL DEFAULT 0 CHECK (shipping_amount >= 0),
    ADD COLUMN tax_amount bigint NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    -- Whether the prices included the tax (it is part of the other amounts) or it was added.
    ADD COLUMN tax_included boolean NOT NULL DEFAULT true,
    ADD COLUMN breakdown jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(breakdown) = 'object');

UPDATE orders SET subtotal_amount = total_amount;
ALTER TABLE orders
    ALTER COLUMN subtotal_amount SET NOT NULL,
    ADD CONSTRAINT orders_total_is_the_sum_of_its_parts CHECK (
        total_amount = subtotal_amount - discount_amount + shipping_amount
            + CASE WHEN tax_included THEN 0 ELSE tax_amount END),
    ADD CONSTRAINT orders_discount_within_subtotal CHECK (discount_amount <= subtotal_amount);

ALTER TABLE order_lines
    ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    ADD COLUMN tax_amount bigint NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
    ADD CONSTRAINT order_lines_discount_within_line CHECK (discount_amount <= line_amount);
