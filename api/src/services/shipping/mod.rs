//! Shipping as the admin sets it up: zones of countries, each country in one zone at most, and
//! the rates offered in each zone, priced in the shop's currency.

use std::collections::HashMap;

use chrono::Utc;
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::shipping::{
    self, CountryClash, NewRate, RateChanges, RateRow, ZoneChanges, ZoneCountryRow, ZoneRow,
};
use crate::db::{self, Pool};
use crate::domain::catalog as rules;
use crate::domain::country::Country;
use crate::domain::currency::Currency;
use crate::domain::money::MoneyInput;
use crate::domain::shipping::{rate_amount, zone_countries};
use crate::error::ApiError;

mod inputs;
mod views;

pub use self::inputs::{
    NewShippingRateInput, NewShippingZoneInput, ShippingRatePatch, ShippingZonePatch,
};
pub use self::views::{AdminShippingRate, AdminShippingZone, AdminShippingZoneList};

fn zone_not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no shipping zone with id {id}"))
}

fn rate_not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no shipping rate with id {id}"))
}

fn clash(clash: CountryClash) -> ApiError {
    ApiError::CountryInAnotherZone {
        detail: format!(
            "countries: {} is already in the shipping zone {:?} ({})",
            clash.country, clash.zone_name, clash.zone_id
        ),
        country: clash.country.code().to_owned(),
        zone_id: clash.zone_id,
    }
}

fn name(value: &str) -> Result<String, ApiError> {
    Ok(rules::text("name", value, rules::MAX_NAME_LEN)?)
}

fn position(value: i32) -> Result<i32, ApiError> {
    if (0..=10_000).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid("position", "must be from 0 to 10000"))
    }
}

/// An optional amount of a rate, as its minor units.
fn amount(
    field: &'static str,
    input: Option<&MoneyInput>,
    shop_currency: Currency,
) -> Result<Option<i64>, ApiError> {
    Ok(input
        .map(|money| rate_amount(field, money, shop_currency))
        .transpose()?
        .map(|money| money.amount()))
}

fn admin_rate(row: RateRow) -> AdminShippingRate {
    let charges = row.charges();
    AdminShippingRate {
        id: row.id,
        zone_id: row.zone_id,
        name: row.name,
        price: charges.price.into(),
        free_above: charges.free_above.map(Into::into),
        per_item: charges.per_item.map(Into::into),
        active: row.active,
        position: row.position,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The zones with their countries and rates, in the order `zones` has them.
fn load_admin_zones(
    conn: &mut PgConnection,
    zones: Vec<ZoneRow>,
) -> Result<Vec<AdminShippingZone>, ApiError> {
    let ids = zones.iter().map(|zone| zone.id).collect::<Vec<_>>();
    let mut countries: HashMap<Uuid, Vec<Country>> = HashMap::new();
    for ZoneCountryRow { country, zone_id } in shipping::zone_countries(conn, &ids)? {
        countries.entry(zone_id).or_default().push(country);
    }
    let mut rates: HashMap<Uuid, Vec<AdminShippingRate>> = HashMap::new();
    for row in shipping::zone_rates(conn, &ids)? {
        rates.entry(row.zone_id).or_default().push(admin_rate(row));
    }
    Ok(zones
        .into_iter()
        .map(|zone| AdminShippingZone {
            countries: countries.remove(&zone.id).unwrap_or_default(),
            rates: rates.remove(&zone.id).unwrap_or_default(),
            id: zone.id,
            name: zone.name,
            created_at: zone.created_at,
            updated_at: zone.updated_at,
        })
        .collect())
}

fn load_admin_zone(conn: &mut PgConnection, zone: ZoneRow) -> Result<AdminShippingZone, ApiError> {
    let id = zone.id;
    load_admin_zones(conn, vec![zone])?
        .pop()
        .ok_or_else(|| zone_not_found(id))
}

pub async fn create_zone(
    pool: &Pool,
    input: NewShippingZoneInput,
) -> Result<AdminShippingZone, ApiError> {
    let name = name(&input.name)?;
    let countries = zone_countries(&input.countries)?;
    db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let zone = shipping::insert_zone(conn, &name)?;
            if let Some(taken) = shipping::claim_countries(conn, zone.id, &countries)? {
                return Err(clash(taken));
            }
            load_admin_zone(conn, zone)
        })
    })
    .await
}

pub async fn zones(pool: &Pool) -> Result<AdminShippingZoneList, ApiError> {
    db::run(pool, |conn| {
        let zones = shipping::list_zones(conn)?;
        Ok(AdminShippingZoneList {
            items: load_admin_zones(conn, zones)?,
        })
    })
    .await
}

pub async fn zone(pool: &Pool, id: Uuid) -> Result<AdminShippingZone, ApiError> {
    db::run(pool, move |conn| {
        let zone = shipping::find_zone(conn, id)?.ok_or_else(|| zone_not_found(id))?;
        load_admin_zone(conn, zone)
    })
    .await
}

pub async fn update_zone(
    pool: &Pool,
    id: Uuid,
    patch: ShippingZonePatch,
) -> Result<AdminShippingZone, ApiError> {
    let changes = ZoneChanges {
        name: patch.name.as_deref().map(name).transpose()?,
        updated_at: Utc::now(),
    };
    let countries = patch.countries.as_deref().map(zone_countries).transpose()?;
    db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let zone =
                shipping::update_zone(conn, id, &changes)?.ok_or_else(|| zone_not_found(id))?;
            if let Some(countries) = &countries
                && let Some(taken) = shipping::claim_countries(conn, id, countries)?
            {
                return Err(clash(taken));
            }
            load_admin_zone(conn, zone)
        })
    })
    .await
}

/// Deletes the zone with its rates; its countries are free for another zone.
pub async fn delete_zone(pool: &Pool, id: Uuid) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        if shipping::delete_zone(conn, id)? {
            Ok(())
        } else {
            Err(zone_not_found(id))
        }
    })
    .await
}

pub async fn create_rate(
    pool: &Pool,
    shop_currency: Currency,
    zone_id: Uuid,
    input: NewShippingRateInput,
) -> Result<AdminShippingRate, ApiError> {
    let new = NewRate {
        zone_id,
        name: name(&input.name)?,
        currency: shop_currency,
        price_amount: rate_amount("price", &input.price, shop_currency)?.amount(),
        free_above_amount: amount("free_above", input.free_above.as_ref(), shop_currency)?,
        per_item_amount: amount("per_item", input.per_item.as_ref(), shop_currency)?,
        active: input.active,
        position: position(input.position)?,
    };
    let row = db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            shipping::lock_zone(conn, zone_id)?.ok_or_else(|| zone_not_found(zone_id))?;
            Ok(shipping::insert_rate(conn, &new)?)
        })
    })
    .await?;
    Ok(admin_rate(row))
}

pub async fn update_rate(
    pool: &Pool,
    shop_currency: Currency,
    id: Uuid,
    patch: ShippingRatePatch,
) -> Result<AdminShippingRate, ApiError> {
    let price = amount("price", patch.price.as_ref(), shop_currency)?;
    let free_above = patch
        .free_above
        .map(|threshold| amount("free_above", threshold.as_ref(), shop_currency))
        .transpose()?;
    let per_item = patch
        .per_item
        .map(|charge| amount("per_item", charge.as_ref(), shop_currency))
        .transpose()?;
    // The first amount given, to name when the rate is in a currency no longer the shop's.
    let first_amount = [
        ("price", price.is_some()),
        ("free_above", matches!(free_above, Some(Some(_)))),
        ("per_item", matches!(per_item, Some(Some(_)))),
    ]
    .into_iter()
    .find_map(|(field, given)| given.then_some(field));
    let changes = RateChanges {
        name: patch.name.as_deref().map(name).transpose()?,
        price_amount: price,
        free_above_amount: free_above,
        per_item_amount: per_item,
        active: patch.active,
        position: patch.position.map(position).transpose()?,
        updated_at: Utc::now(),
    };
    let row = db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let current = shipping::lock_rate(conn, id)?.ok_or_else(|| rate_not_found(id))?;
            if let Some(field) = first_amount
                && current.currency != shop_currency
            {
                return Err(ApiError::invalid(
                    field,
                    format!(
                        "this rate is priced in {}, no longer the shop's currency; create a rate in {shop_currency} instead",
                        current.currency
                    ),
                ));
            }
            shipping::update_rate(conn, id, &changes)?.ok_or_else(|| rate_not_found(id))
        })
    })
    .await?;
    Ok(admin_rate(row))
}

pub async fn delete_rate(pool: &Pool, id: Uuid) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        if shipping::delete_rate(conn, id)? {
            Ok(())
        } else {
            Err(rate_not_found(id))
        }
    })
    .await
}
