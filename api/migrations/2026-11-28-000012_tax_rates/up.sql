-- The tax the shop charges where it delivers: a country's standard rate, and the reduced rate its
-- products of the reduced tax class are charged at, in basis points (2000 is 20 %). A country
-- without a row is charged no tax.
CREATE TABLE tax_rates (
    country      text PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
    -- What the receipt calls it: VAT, GST, sales tax.
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    standard_bp  integer NOT NULL CHECK (standard_bp BETWEEN 0 AND 10000),
    reduced_bp   integer CHECK (reduced_bp BETWEEN 0 AND 10000),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
