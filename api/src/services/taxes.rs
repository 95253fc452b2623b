//! Tax: the rates the admin sets per country, and the calculator the pricing asks which rates
//! apply where a cart goes.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::tax_rates::{self, TaxRateRow};
use crate::db::{self, Pool};
use crate::domain::country::Country;
use crate::domain::pricing::TaxRate;
use crate::domain::tax::{self, CountryTax};
use crate::error::ApiError;

/// Where the rates come from. The shop's own table answers today; Stripe Tax, which also needs
/// only the destination and each line's tax class, can take its place behind this one call.
pub trait TaxCalculator {
    /// The tax charged on deliveries to `destination`; `None` where the shop charges none.
    fn tax_for(
        &self,
        conn: &mut PgConnection,
        destination: Country,
    ) -> Result<Option<CountryTax>, ApiError>;
}

/// The rates the admin keeps in `tax_rates`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShopRates;

impl TaxCalculator for ShopRates {
    fn tax_for(
        &self,
        conn: &mut PgConnection,
        destination: Country,
    ) -> Result<Option<CountryTax>, ApiError> {
        Ok(tax_rates::find(conn, destination)?.map(|row| row.country_tax()))
    }
}

/// A country's rates, written whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "VAT", "standard_rate_bp": 2000, "reduced_rate_bp": 550}))]
pub struct TaxRateInput {
    /// What receipts call the tax: VAT, GST, sales tax. 1 to 40 characters once trimmed.
    pub name: String,
    /// The rate most products are charged, in basis points: 2000 is 20 %.
    #[schema(minimum = 0, maximum = 10_000, example = 2000)]
    pub standard_rate_bp: i64,
    /// The rate products of the `reduced` tax class are charged; without one they are charged
    /// the standard rate.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000, example = 550)]
    pub reduced_rate_bp: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRateView {
    pub country: Country,
    #[schema(example = "VAT")]
    pub name: String,
    #[schema(example = 2000)]
    pub standard_rate_bp: u16,
    #[schema(example = 550)]
    pub reduced_rate_bp: Option<u16>,
    /// As receipts show it.
    #[schema(example = "VAT 20 %")]
    pub standard_label: String,
    #[schema(example = "VAT 5.5 %")]
    pub reduced_label: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRateList {
    /// By country code.
    pub items: Vec<TaxRateView>,
}

fn view(row: TaxRateRow) -> TaxRateView {
    let tax = row.country_tax();
    TaxRateView {
        country: row.country,
        standard_rate_bp: tax.standard.basis_points(),
        reduced_rate_bp: tax.reduced.map(TaxRate::basis_points),
        standard_label: tax.label(tax.standard),
        reduced_label: tax.reduced.map(|rate| tax.label(rate)),
        name: row.name,
        updated_at: row.updated_at,
    }
}

fn not_found(country: Country) -> ApiError {
    ApiError::NotFound(format!(
        "no tax rates for {country}: the shop charges no tax there"
    ))
}

pub async fn list(pool: &Pool) -> Result<TaxRateList, ApiError> {
    let rows = db::run(pool, |conn| Ok(tax_rates::all(conn)?)).await?;
    Ok(TaxRateList {
        items: rows.into_iter().map(view).collect(),
    })
}

pub async fn get(pool: &Pool, country: Country) -> Result<TaxRateView, ApiError> {
    db::run(pool, move |conn| {
        tax_rates::find(conn, country)?.ok_or_else(|| not_found(country))
    })
    .await
    .map(view)
}

/// Sets a country's rates; answers them and whether the country had none before.
pub async fn put(
    pool: &Pool,
    country: Country,
    input: TaxRateInput,
) -> Result<(TaxRateView, bool), ApiError> {
    let row = TaxRateRow {
        country,
        name: tax::tax_name(&input.name)?,
        standard_bp: tax::rate("standard_rate_bp", input.standard_rate_bp)?,
        reduced_bp: input
            .reduced_rate_bp
            .map(|bp| tax::rate("reduced_rate_bp", bp))
            .transpose()?,
        updated_at: Utc::now(),
    };
    let (written, created) = db::run(pool, move |conn| Ok(tax_rates::put(conn, &row)?)).await?;
    Ok((view(written), created))
}

pub async fn delete(pool: &Pool, country: Country) -> Result<(), ApiError> {
    db::run(pool, move |conn| match tax_rates::delete(conn, country)? {
        0 => Err(not_found(country)),
        _ => Ok(()),
    })
    .await
}
