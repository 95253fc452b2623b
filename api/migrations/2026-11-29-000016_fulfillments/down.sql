DROP TABLE fulfillment_lines;
DROP TABLE fulfillments;
ALTER TABLE orders DROP COLUMN fulfillment_status;
