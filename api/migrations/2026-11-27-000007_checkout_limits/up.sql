-- A checkout holds stock briefly (reserved_until) until the shopper's first payment attempt, which
-- extends the hold to reservation_limit, the longest any checkout may hold stock.
ALTER TABLE orders ADD COLUMN reservation_limit timestamptz;
UPDATE orders SET reservation_limit = reserved_until;

-- Who started the checkout, as a digest of the client's address (never the address itself), so
-- that one client can hold only a few checkouts at once.
ALTER TABLE orders ADD COLUMN client_key bytea CHECK (length(client_key) = 32);
CREATE INDEX orders_open_by_client_idx ON orders (client_key)
    WHERE status = 'pending_payment' AND stock_state = 'reserved';
