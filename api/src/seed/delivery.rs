//! The demo shop's shipping zones, rates and tax rates: enough for a newcomer's first checkout.
//! Seeding again changes nothing: a zone whose name exists, a country already in a zone and a
//! country with tax rates are left as they are.

use diesel::prelude::*;
use serde::Deserialize;

use super::SeedError;
use crate::db::schema::{shipping_zone_countries, shipping_zones, tax_rates};
use crate::db::shipping::{self, NewRate};
use crate::db::tax_rates::TaxRateRow;
use crate::domain::catalog as rules;
use crate::domain::country::Country;
use crate::domain::money::MoneyInput;
use crate::domain::shipping::zone_countries;
use crate::domain::tax;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeedZone {
    name: String,
    countries: Vec<String>,
    rates: Vec<SeedRate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedRate {
    name: String,
    price: MoneyInput,
    #[serde(default)]
    free_above: Option<MoneyInput>,
    #[serde(default)]
    per_item: Option<MoneyInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeedTaxRate {
    country: String,
    name: String,
    standard_bp: i64,
    #[serde(default)]
    reduced_bp: Option<i64>,
}

pub(super) struct ZonePlan {
    name: String,
    countries: Vec<Country>,
    rates: Vec<NewRate>,
}

fn invalid(context: &str, e: impl std::fmt::Display) -> SeedError {
    SeedError::Format(format!("{context}: {e}"))
}

pub(super) fn plan_zones(zones: &[SeedZone]) -> Result<Vec<ZonePlan>, SeedError> {
    zones
        .iter()
        .map(|zone| {
            let context = format!("shipping zone {}", zone.name);
            let rates = zone
                .rates
                .iter()
                .enumerate()
                .map(|(position, rate)| {
                    let amount = |input: &MoneyInput| {
                        input.to_unit_price().map_err(|e| invalid(&context, e))
                    };
                    let price = amount(&rate.price)?;
                    Ok(NewRate {
                        zone_id: uuid::Uuid::nil(),
                        name: rules::text("name", &rate.name, rules::MAX_NAME_LEN)
                            .map_err(|e| invalid(&context, e))?,
                        currency: price.currency(),
                        price_amount: price.amount(),
                        free_above_amount: rate
                            .free_above
                            .as_ref()
                            .map(|input| amount(input).map(|money| money.amount()))
                            .transpose()?,
                        per_item_amount: rate
                            .per_item
                            .as_ref()
                            .map(|input| amount(input).map(|money| money.amount()))
                            .transpose()?,
                        active: true,
                        position: i32::try_from(position).unwrap_or(i32::MAX),
                    })
                })
                .collect::<Result<Vec<_>, SeedError>>()?;
            Ok(ZonePlan {
                name: rules::text("name", &zone.name, rules::MAX_NAME_LEN)
                    .map_err(|e| invalid(&context, e))?,
                countries: zone_countries(&zone.countries).map_err(|e| invalid(&context, e))?,
                rates,
            })
        })
        .collect()
}

pub(super) fn plan_tax_rates(rates: &[SeedTaxRate]) -> Result<Vec<TaxRateRow>, SeedError> {
    rates
        .iter()
        .map(|rate| {
            let context = format!("tax rates of {}", rate.country);
            Ok(TaxRateRow {
                country: Country::parse(&rate.country).map_err(|e| invalid(&context, e))?,
                name: tax::tax_name(&rate.name).map_err(|e| invalid(&context, e))?,
                standard_bp: tax::rate("standard_bp", rate.standard_bp)
                    .map_err(|e| invalid(&context, e))?,
                reduced_bp: rate
                    .reduced_bp
                    .map(|bp| tax::rate("reduced_bp", bp))
                    .transpose()
                    .map_err(|e| invalid(&context, e))?,
                updated_at: chrono::Utc::now(),
            })
        })
        .collect()
}

/// Adds the zones not there by name, with their rates and the countries no zone has yet;
/// answers how many zones were added.
pub(super) fn seed_zones(conn: &mut PgConnection, zones: Vec<ZonePlan>) -> QueryResult<usize> {
    let mut added = 0;
    for zone in zones {
        let exists: bool = diesel::select(diesel::dsl::exists(
            shipping_zones::table.filter(shipping_zones::name.eq(&zone.name)),
        ))
        .get_result(conn)?;
        if exists {
            continue;
        }
        let row = shipping::insert_zone(conn, &zone.name)?;
        let countries: Vec<_> = zone
            .countries
            .iter()
            .map(|country| {
                (
                    shipping_zone_countries::country.eq(*country),
                    shipping_zone_countries::zone_id.eq(row.id),
                )
            })
            .collect();
        diesel::insert_into(shipping_zone_countries::table)
            .values(&countries)
            .on_conflict_do_nothing()
            .execute(conn)?;
        for rate in zone.rates {
            shipping::insert_rate(
                conn,
                &NewRate {
                    zone_id: row.id,
                    ..rate
                },
            )?;
        }
        added += 1;
    }
    Ok(added)
}

/// Adds the rates of countries that have none; answers how many.
pub(super) fn seed_tax_rates(conn: &mut PgConnection, rates: &[TaxRateRow]) -> QueryResult<usize> {
    diesel::insert_into(tax_rates::table)
        .values(rates)
        .on_conflict_do_nothing()
        .execute(conn)
}
