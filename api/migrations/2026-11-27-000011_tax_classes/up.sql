-- Which of a country's tax rates a product is taxed at: the standard one, or the reduced one
-- (books, food, in many countries). Rates themselves are per country.
ALTER TABLE products
    ADD COLUMN tax_class text NOT NULL DEFAULT 'standard'
        CONSTRAINT products_tax_class_known CHECK (tax_class IN ('standard', 'reduced'));
