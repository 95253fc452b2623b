DROP TABLE promotion_redemptions;
ALTER TABLE carts DROP COLUMN promotion_id;
DROP TABLE promotions;
