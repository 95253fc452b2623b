//! Shipping zone and rate queries: zones with their countries, a country claimed by one zone at
//! most, and the rates offered in each zone.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{shipping_rates, shipping_zone_countries, shipping_zones};
use crate::domain::country::Country;
use crate::domain::currency::Currency;
use crate::domain::money::Money;
use crate::domain::shipping::ShippingRate;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipping_zones, check_for_backend(Pg))]
pub struct ZoneRow {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = shipping_zones)]
pub struct ZoneChanges {
    pub name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = shipping_zone_countries, check_for_backend(Pg))]
pub struct ZoneCountryRow {
    pub country: Country,
    pub zone_id: Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipping_rates, check_for_backend(Pg))]
pub struct RateRow {
    pub id: Uuid,
    pub zone_id: Uuid,
    pub name: String,
    pub currency: Currency,
    pub price_amount: i64,
    pub free_above_amount: Option<i64>,
    pub per_item_amount: Option<i64>,
    pub active: bool,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RateRow {
    /// What the rate charges, in the currency it was written in.
    pub fn charges(&self) -> ShippingRate {
        let money = |amount| Money::new(amount, self.currency);
        ShippingRate {
            price: money(self.price_amount),
            free_above: self.free_above_amount.map(money),
            per_item: self.per_item_amount.map(money),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = shipping_rates)]
pub struct NewRate {
    pub zone_id: Uuid,
    pub name: String,
    pub currency: Currency,
    pub price_amount: i64,
    pub free_above_amount: Option<i64>,
    pub per_item_amount: Option<i64>,
    pub active: bool,
    pub position: i32,
}

/// `Some(None)` clears an optional amount; `None` leaves any field alone. A rate's currency
/// never changes.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = shipping_rates)]
pub struct RateChanges {
    pub name: Option<String>,
    pub price_amount: Option<i64>,
    pub free_above_amount: Option<Option<i64>>,
    pub per_item_amount: Option<Option<i64>>,
    pub active: Option<bool>,
    pub position: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

/// A country that another zone holds.
#[derive(Debug, Clone)]
pub struct CountryClash {
    pub country: Country,
    pub zone_id: Uuid,
    pub zone_name: String,
}

pub fn insert_zone(conn: &mut PgConnection, name: &str) -> QueryResult<ZoneRow> {
    diesel::insert_into(shipping_zones::table)
        .values(shipping_zones::name.eq(name))
        .returning(ZoneRow::as_returning())
        .get_result(conn)
}

pub fn list_zones(conn: &mut PgConnection) -> QueryResult<Vec<ZoneRow>> {
    shipping_zones::table
        .order((shipping_zones::name.asc(), shipping_zones::id.asc()))
        .select(ZoneRow::as_select())
        .load(conn)
}

pub fn find_zone(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ZoneRow>> {
    shipping_zones::table
        .find(id)
        .select(ZoneRow::as_select())
        .first(conn)
        .optional()
}

/// Holds the zone's row lock until the transaction ends, so that it cannot be deleted under a
/// rate being added to it.
pub fn lock_zone(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ZoneRow>> {
    shipping_zones::table
        .find(id)
        .select(ZoneRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn update_zone(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &ZoneChanges,
) -> QueryResult<Option<ZoneRow>> {
    diesel::update(shipping_zones::table.find(id))
        .set(changes)
        .returning(ZoneRow::as_returning())
        .get_result(conn)
        .optional()
}

/// Deletes the zone with its countries and rates; false when there was none.
pub fn delete_zone(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::delete(shipping_zones::table.find(id))
        .execute(conn)
        .map(|deleted| deleted > 0)
}

/// Makes `countries` (sorted) exactly the zone's, or answers the first of them another zone
/// holds; the caller's transaction must then roll back. A country being claimed or given up by a
/// transaction still in progress makes this wait for it, so of two concurrent claims exactly one
/// succeeds, and the other sees who won. Two claims never wait for each other in a cycle: they
/// insert in the same (sorted) order, and each gives up its old countries only after inserting,
/// so that two zones swapping countries at once are refused rather than deadlocked.
pub fn claim_countries(
    conn: &mut PgConnection,
    zone_id: Uuid,
    countries: &[Country],
) -> QueryResult<Option<CountryClash>> {
    let rows = countries
        .iter()
        .map(|country| {
            (
                shipping_zone_countries::country.eq(*country),
                shipping_zone_countries::zone_id.eq(zone_id),
            )
        })
        .collect::<Vec<_>>();
    diesel::insert_into(shipping_zone_countries::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)?;
    diesel::delete(
        shipping_zone_countries::table
            .filter(shipping_zone_countries::zone_id.eq(zone_id))
            .filter(shipping_zone_countries::country.ne_all(countries)),
    )
    .execute(conn)?;
    shipping_zone_countries::table
        .inner_join(shipping_zones::table)
        .filter(shipping_zone_countries::country.eq_any(countries))
        .filter(shipping_zone_countries::zone_id.ne(zone_id))
        .order(shipping_zone_countries::country.asc())
        .select((
            shipping_zone_countries::country,
            shipping_zones::id,
            shipping_zones::name,
        ))
        .first::<(Country, Uuid, String)>(conn)
        .optional()
        .map(|clash| {
            clash.map(|(country, zone_id, zone_name)| CountryClash {
                country,
                zone_id,
                zone_name,
            })
        })
}

/// The countries of the given zones, in code order.
pub fn zone_countries(
    conn: &mut PgConnection,
    zone_ids: &[Uuid],
) -> QueryResult<Vec<ZoneCountryRow>> {
    shipping_zone_countries::table
        .filter(shipping_zone_countries::zone_id.eq_any(zone_ids))
        .order(shipping_zone_countries::country.asc())
        .select(ZoneCountryRow::as_select())
        .load(conn)
}

/// The rates of the given zones, in display order.
pub fn zone_rates(conn: &mut PgConnection, zone_ids: &[Uuid]) -> QueryResult<Vec<RateRow>> {
    shipping_rates::table
        .filter(shipping_rates::zone_id.eq_any(zone_ids))
        .order((
            shipping_rates::position.asc(),
            shipping_rates::created_at.asc(),
            shipping_rates::id.asc(),
        ))
        .select(RateRow::as_select())
        .load(conn)
}

pub fn insert_rate(conn: &mut PgConnection, new: &NewRate) -> QueryResult<RateRow> {
    diesel::insert_into(shipping_rates::table)
        .values(new)
        .returning(RateRow::as_returning())
        .get_result(conn)
}

/// Holds the rate's row lock until the transaction ends.
pub fn lock_rate(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<RateRow>> {
    shipping_rates::table
        .find(id)
        .select(RateRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn update_rate(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &RateChanges,
) -> QueryResult<Option<RateRow>> {
    diesel::update(shipping_rates::table.find(id))
        .set(changes)
        .returning(RateRow::as_returning())
        .get_result(conn)
        .optional()
}

/// False when there was no such rate.
pub fn delete_rate(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::delete(shipping_rates::table.find(id))
        .execute(conn)
        .map(|deleted| deleted > 0)
}

/// The zone a country is in, if the shop ships there.
pub fn zone_of(conn: &mut PgConnection, country: Country) -> QueryResult<Option<Uuid>> {
    shipping_zone_countries::table
        .find(country)
        .select(shipping_zone_countries::zone_id)
        .first(conn)
        .optional()
}

pub fn find_rate(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<RateRow>> {
    shipping_rates::table
        .find(id)
        .select(RateRow::as_select())
        .first(conn)
        .optional()
}

/// The rate `id` if it is offered for deliveries to `country` in `currency`: active, in that
/// currency, and of the zone the country is in. One query, as every cart read asks it.
pub fn offered_rate(
    conn: &mut PgConnection,
    id: Uuid,
    country: Country,
    currency: Currency,
) -> QueryResult<Option<RateRow>> {
    shipping_rates::table
        .inner_join(
            shipping_zone_countries::table
                .on(shipping_zone_countries::zone_id.eq(shipping_rates::zone_id)),
        )
        .filter(shipping_rates::id.eq(id))
        .filter(shipping_zone_countries::country.eq(country))
        .filter(shipping_rates::active.eq(true))
        .filter(shipping_rates::currency.eq(currency))
        .select(RateRow::as_select())
        .first(conn)
        .optional()
}
