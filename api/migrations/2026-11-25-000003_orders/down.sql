DROP TABLE stripe_events;
DROP TABLE checkout_sessions;
DROP TABLE order_lines;
DROP TABLE orders;
