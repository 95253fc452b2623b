-- A variant on sale carries the price its sale price is compared with, shown struck through; the
-- sale price is what is charged. An order line keeps both as they were when the order was placed.
ALTER TABLE variants
    ADD COLUMN compare_at_amount bigint,
    ADD CONSTRAINT variants_compare_at_above_price
        CHECK (compare_at_amount IS NULL OR compare_at_amount > price_amount);
ALTER TABLE order_lines ADD COLUMN compare_at_amount bigint;
