DROP INDEX emails_lookup_recipient_idx;
DROP INDEX orders_paid_email_idx;
