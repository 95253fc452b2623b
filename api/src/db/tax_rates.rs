//! Tax rate queries: a country's row, written whole.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;

use super::schema::tax_rates;
use crate::domain::country::Country;
use crate::domain::pricing::TaxRate;
use crate::domain::tax::CountryTax;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tax_rates, check_for_backend(Pg))]
pub struct TaxRateRow {
    pub country: Country,
    pub name: String,
    pub standard_bp: TaxRate,
    pub reduced_bp: Option<TaxRate>,
    pub updated_at: DateTime<Utc>,
}

impl TaxRateRow {
    pub fn country_tax(&self) -> CountryTax {
        CountryTax {
            name: self.name.clone(),
            standard: self.standard_bp,
            reduced: self.reduced_bp,
        }
    }
}

/// Every country's rates, by country code.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<TaxRateRow>> {
    tax_rates::table
        .order(tax_rates::country.asc())
        .select(TaxRateRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, country: Country) -> QueryResult<Option<TaxRateRow>> {
    tax_rates::table
        .find(country)
        .select(TaxRateRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the country's rates whole, replacing any it had; answers whether the row is new, in
/// the same statement (`xmax` is 0 for a row this statement inserted), so that of two concurrent
/// first writes exactly one is told it created the row.
pub fn put(conn: &mut PgConnection, row: &TaxRateRow) -> QueryResult<(TaxRateRow, bool)> {
    diesel::insert_into(tax_rates::table)
        .values(row)
        .on_conflict(tax_rates::country)
        .do_update()
        .set((
            tax_rates::name.eq(&row.name),
            tax_rates::standard_bp.eq(row.standard_bp),
            tax_rates::reduced_bp.eq(row.reduced_bp),
            tax_rates::updated_at.eq(row.updated_at),
        ))
        .returning((
            TaxRateRow::as_returning(),
            diesel::dsl::sql::<diesel::sql_types::Bool>("xmax = 0"),
        ))
        .get_result(conn)
}

pub fn delete(conn: &mut PgConnection, country: Country) -> QueryResult<usize> {
    diesel::delete(tax_rates::table.find(country)).execute(conn)
}
