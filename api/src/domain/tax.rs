//! The tax a country charges: its name on a receipt, its standard rate, and the reduced rate some
//! goods are charged at there. Which country's tax applies is the caller's to say (the shipping
//! address's country).

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Int4, Jsonb};
use serde::{Deserialize, Serialize};

use super::catalog::{Invalid, invalid, text};
use super::pricing::TaxRate;
use super::status::TaxClass;

pub const MAX_TAX_NAME_LEN: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryTax {
    /// VAT, GST, sales tax.
    pub name: String,
    pub standard: TaxRate,
    pub reduced: Option<TaxRate>,
}

impl CountryTax {
    /// A product of the reduced class is charged the standard rate where there is no reduced one.
    pub fn rate_for(&self, class: TaxClass) -> TaxRate {
        match class {
            TaxClass::Standard => self.standard,
            TaxClass::Reduced => self.reduced.unwrap_or(self.standard),
        }
    }

    /// Shipping is charged at the standard rate, as most tax authorities that tax it require.
    pub fn shipping_rate(&self) -> TaxRate {
        self.standard
    }

    /// What a receipt prints for tax at `rate`: "VAT 20 %", "VAT 5.5 %".
    pub fn label(&self, rate: TaxRate) -> String {
        format!("{} {}", self.name, percent(rate))
    }
}

/// A rate as a person writes it: 2000 → "20 %", 550 → "5.5 %", 1234 → "12.34 %".
pub fn percent(rate: TaxRate) -> String {
    percent_of_basis_points(rate.basis_points())
}

/// Basis points as a person writes them, as [`percent`] does.
pub fn percent_of_basis_points(bp: u16) -> String {
    let (whole, fraction) = (bp / 100, bp % 100);
    match fraction {
        0 => format!("{whole} %"),
        f if f % 10 == 0 => format!("{whole}.{} %", f / 10),
        f => format!("{whole}.{f:02} %"),
    }
}

pub fn tax_name(value: &str) -> Result<String, Invalid> {
    text("name", value, MAX_TAX_NAME_LEN)
}

/// A rate in basis points, from 0 to 10000 (100 %).
pub fn rate(field: &'static str, basis_points: i64) -> Result<TaxRate, Invalid> {
    u16::try_from(basis_points)
        .ok()
        .and_then(|bp| TaxRate::from_basis_points(bp).ok())
        .ok_or_else(|| {
            invalid(
                field,
                "must be in basis points, from 0 to 10000 (2000 is 20 %)",
            )
        })
}

/// All the tax at one rate, as the receipt of a placed order prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptTaxLine {
    pub label: String,
    pub rate_bp: u16,
    pub amount: i64,
}

/// The shipping method of a placed order, as it was charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptShipping {
    pub name: String,
    pub tax_rate_bp: u16,
    pub tax_amount: i64,
}

/// What a placed order's receipt prints beyond its amounts, kept with it as it was.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Jsonb)]
pub struct Breakdown {
    #[serde(default)]
    pub shipping: Option<ReceiptShipping>,
    #[serde(default)]
    pub tax_lines: Vec<ReceiptTaxLine>,
    #[serde(default)]
    pub promotion_code: Option<String>,
}

impl FromSql<Jsonb, Pg> for Breakdown {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let json = <serde_json::Value as FromSql<Jsonb, Pg>>::from_sql(value)?;
        Ok(serde_json::from_value(json)?)
    }
}

impl ToSql<Jsonb, Pg> for Breakdown {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let json = serde_json::to_value(self)?;
        <serde_json::Value as ToSql<Jsonb, Pg>>::to_sql(&json, &mut out.reborrow())
    }
}

/// The column's CHECK keeps it in range, so one out of range read back is corruption.
impl FromSql<Int4, Pg> for TaxRate {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let basis_points = <i32 as FromSql<Int4, Pg>>::from_sql(value)?;
        Ok(rate("tax rate", i64::from(basis_points)).map_err(|invalid| invalid.message)?)
    }
}

impl ToSql<Int4, Pg> for TaxRate {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <i32 as ToSql<Int4, Pg>>::to_sql(&i32::from(self.basis_points()), &mut out.reborrow())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vat(standard: u16, reduced: Option<u16>) -> CountryTax {
        CountryTax {
            name: "VAT".into(),
            standard: TaxRate::from_basis_points(standard).unwrap(),
            reduced: reduced.map(|bp| TaxRate::from_basis_points(bp).unwrap()),
        }
    }

    #[test]
    fn reduced_goods_fall_back_to_the_standard_rate() {
        let france = vat(2000, Some(550));
        assert_eq!(france.rate_for(TaxClass::Reduced).basis_points(), 550);
        assert_eq!(france.rate_for(TaxClass::Standard).basis_points(), 2000);
        let no_reduced = vat(1700, None);
        assert_eq!(no_reduced.rate_for(TaxClass::Reduced).basis_points(), 1700);
        assert_eq!(france.shipping_rate().basis_points(), 2000);
    }

    #[test]
    fn labels_read_like_a_receipt() {
        let france = vat(2000, Some(550));
        assert_eq!(france.label(france.standard), "VAT 20 %");
        assert_eq!(france.label(france.reduced.unwrap()), "VAT 5.5 %");
        assert_eq!(
            percent(TaxRate::from_basis_points(1234).unwrap()),
            "12.34 %"
        );
        assert_eq!(percent(TaxRate::from_basis_points(5).unwrap()), "0.05 %");
        assert_eq!(percent(TaxRate::ZERO), "0 %");
    }

    #[test]
    fn rates_are_basis_points_up_to_a_hundred_percent() {
        assert!(rate("standard_rate_bp", 0).is_ok());
        assert!(rate("standard_rate_bp", 10_000).is_ok());
        for wrong in [-1, 10_001, 70_000, i64::MAX] {
            assert_eq!(
                rate("standard_rate_bp", wrong).unwrap_err().field,
                "standard_rate_bp"
            );
        }
    }
}
