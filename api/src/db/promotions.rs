//! Promotion queries: the admin's promotions, and their redemptions, counted by a conditional
//! update at checkout and given back once when an order is cancelled.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{promotion_redemptions, promotions};
use crate::domain::currency::Currency;
use crate::domain::money::Money;
use crate::domain::promotion::{Offer, Terms};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = promotions, check_for_backend(Pg))]
pub struct PromotionRow {
    pub id: Uuid,
    pub code: String,
    pub percent_off_bp: Option<i32>,
    pub amount_off: Option<i64>,
    pub currency: Currency,
    pub min_subtotal: Option<i64>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_redemptions: Option<i32>,
    pub redemptions: i32,
    pub once_per_email: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PromotionRow {
    /// The columns' CHECKs hold exactly one offer, in range.
    pub fn offer(&self) -> Offer {
        match (self.percent_off_bp, self.amount_off) {
            (Some(basis_points), _) => {
                Offer::PercentOff(u16::try_from(basis_points).unwrap_or(10_000))
            }
            (None, amount) => Offer::AmountOff(Money::new(amount.unwrap_or(0), self.currency)),
        }
    }

    pub fn terms(&self) -> Terms {
        Terms {
            offer: self.offer(),
            min_subtotal: self
                .min_subtotal
                .map(|amount| Money::new(amount, self.currency)),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            max_redemptions: self.max_redemptions,
            redemptions: self.redemptions,
            active: self.active,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = promotions)]
pub struct NewPromotion {
    pub code: String,
    pub percent_off_bp: Option<i32>,
    pub amount_off: Option<i64>,
    pub currency: Currency,
    pub min_subtotal: Option<i64>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_redemptions: Option<i32>,
    pub once_per_email: bool,
    pub active: bool,
}

/// `Some(None)` clears an optional field; `None` leaves it alone.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = promotions)]
pub struct PromotionChanges {
    pub min_subtotal: Option<Option<i64>>,
    pub starts_at: Option<Option<DateTime<Utc>>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub max_redemptions: Option<Option<i32>>,
    pub once_per_email: Option<bool>,
    pub active: Option<bool>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, new: &NewPromotion) -> QueryResult<PromotionRow> {
    diesel::insert_into(promotions::table)
        .values(new)
        .returning(PromotionRow::as_returning())
        .get_result(conn)
}

/// Newest first.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<PromotionRow>> {
    promotions::table
        .order((promotions::created_at.desc(), promotions::id.asc()))
        .select(PromotionRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<PromotionRow>> {
    promotions::table
        .find(id)
        .select(PromotionRow::as_select())
        .first(conn)
        .optional()
}

/// `code` upper case, as stored.
pub fn find_by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<PromotionRow>> {
    promotions::table
        .filter(promotions::code.eq(code))
        .select(PromotionRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &PromotionChanges,
) -> QueryResult<Option<PromotionRow>> {
    diesel::update(promotions::table.find(id))
        .set(changes)
        .returning(PromotionRow::as_returning())
        .get_result(conn)
        .optional()
}

/// Deletes a promotion no order has used; answers whether one was deleted. One that orders used
/// fails on their foreign key: the admin deactivates it instead.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    Ok(diesel::delete(promotions::table.find(id)).execute(conn)? > 0)
}

/// Takes one redemption if the promotion is active, in its window by the database's clock, and
/// has one left: the row stays locked until the transaction ends, so concurrent checkouts take
/// them one at a time and never more than there are.
pub fn take_redemption(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<PromotionRow>> {
    let now = diesel::dsl::now;
    diesel::update(
        promotions::table
            .find(id)
            .filter(promotions::active)
            .filter(
                promotions::starts_at
                    .is_null()
                    .or(promotions::starts_at.le(now)),
            )
            .filter(
                promotions::ends_at
                    .is_null()
                    .or(promotions::ends_at.gt(now)),
            )
            .filter(
                promotions::max_redemptions
                    .is_null()
                    .or(promotions::redemptions.lt(promotions::max_redemptions.assume_not_null())),
            ),
    )
    .set(promotions::redemptions.eq(promotions::redemptions + 1))
    .returning(PromotionRow::as_returning())
    .get_result(conn)
    .optional()
}

/// Whether an order not cancelled used the promotion with this (lower-case) email.
pub fn used_by(conn: &mut PgConnection, promotion_id: Uuid, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        promotion_redemptions::table
            .filter(promotion_redemptions::promotion_id.eq(promotion_id))
            .filter(promotion_redemptions::email.eq(email))
            .filter(promotion_redemptions::released_at.is_null()),
    ))
    .get_result(conn)
}

pub fn record_redemption(
    conn: &mut PgConnection,
    order_id: Uuid,
    promotion_id: Uuid,
    email: &str,
) -> QueryResult<usize> {
    diesel::insert_into(promotion_redemptions::table)
        .values((
            promotion_redemptions::order_id.eq(order_id),
            promotion_redemptions::promotion_id.eq(promotion_id),
            promotion_redemptions::email.eq(email),
        ))
        .execute(conn)
}

/// Gives the order's redemption back, once: a second call finds it released already.
pub fn release_redemption(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<bool> {
    let released: Option<Uuid> = diesel::update(
        promotion_redemptions::table
            .find(order_id)
            .filter(promotion_redemptions::released_at.is_null()),
    )
    .set(promotion_redemptions::released_at.eq(diesel::dsl::now))
    .returning(promotion_redemptions::promotion_id)
    .get_result(conn)
    .optional()?;
    let Some(promotion_id) = released else {
        return Ok(false);
    };
    diesel::update(promotions::table.find(promotion_id))
        .set(promotions::redemptions.eq(promotions::redemptions - 1))
        .execute(conn)?;
    Ok(true)
}
