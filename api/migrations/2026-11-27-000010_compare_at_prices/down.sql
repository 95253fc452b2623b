ALTER TABLE order_lines DROP COLUMN compare_at_amount;
ALTER TABLE variants DROP COLUMN compare_at_amount;
