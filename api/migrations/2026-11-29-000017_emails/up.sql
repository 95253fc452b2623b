-- The outbox of transactional email. A message is written in the same transaction as the change
-- it announces, so a committed change always has its email and a rolled-back one never does.
-- Each API process sends what is due, taking rows with FOR UPDATE SKIP LOCKED and holding the
-- lock while it talks to the mail server: two processes never send one row, and a process that
-- dies mid-send leaves its row pending, to be sent again under the same Message-ID.
CREATE TABLE emails (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- None for mail about no one order (an order lookup link).
    order_id         uuid REFERENCES orders (id) ON DELETE CASCADE,
    kind             text NOT NULL
        CHECK (kind IN ('order_paid', 'order_shipped', 'order_refunded', 'order_cancelled', 'order_lookup')),
    recipient        text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    -- What the message says, as it was when the change happened; rendered when sent.
    payload          jsonb NOT NULL,
    -- skipped: email was off (no SMTP_URL) when it fell due.
    status           text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    -- The message this one sends again, when the admin asked for it.
    resent_from      uuid REFERENCES emails (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);

CREATE INDEX emails_due_idx ON emails (next_attempt_at) WHERE status = 'pending';
CREATE INDEX emails_order_id_idx ON emails (order_id, created_at);
