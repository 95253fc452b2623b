-- Finding a shopper's paid orders by email address, compared without regard to case, and the
-- lookup links recently mailed to an address (one a minute, however many clients ask).
CREATE INDEX orders_paid_email_idx ON orders (lower(email), created_at DESC) WHERE paid_at IS NOT NULL;
CREATE INDEX emails_lookup_recipient_idx ON emails (lower(recipient), created_at)
    WHERE kind = 'order_lookup';
