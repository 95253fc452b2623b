//! Refunds: the shop's own, named by the admin's Idempotency-Key, and those made elsewhere (the
//! Stripe dashboard), all in one table whose rows follow Stripe's state.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::refunds;
use crate::domain::status::RefundStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refunds, check_for_backend(Pg))]
pub struct RefundRow {
    pub id: Uuid,
    pub order_id: Uuid,
    /// None for a refund made outside the shop, such as in the Stripe dashboard.
    pub idempotency_key: Option<String>,
    pub amount: i64,
    pub status: RefundStatus,
    pub stripe_refund_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn find_by_key(
    conn: &mut PgConnection,
    order_id: Uuid,
    key: &str,
) -> QueryResult<Option<RefundRow>> {
    refunds::table
        .filter(refunds::order_id.eq(order_id))
        .filter(refunds::idempotency_key.eq(key))
        .select(RefundRow::as_select())
        .first(conn)
        .optional()
}

/// The order's refund that Stripe knows as `stripe_refund_id`, or that the shop made as
/// `shop_refund_id` before Stripe's answer reached it.
pub fn find_for_stripe(
    conn: &mut PgConnection,
    order_id: Uuid,
    stripe_refund_id: &str,
    shop_refund_id: Option<Uuid>,
) -> QueryResult<Option<RefundRow>> {
    let by_stripe_id = refunds::table
        .filter(refunds::stripe_refund_id.eq(stripe_refund_id))
        .select(RefundRow::as_select())
        .first(conn)
        .optional()?;
    if by_stripe_id.is_some() {
        return Ok(by_stripe_id);
    }
    let Some(shop_refund_id) = shop_refund_id else {
        return Ok(None);
    };
    refunds::table
        .find(shop_refund_id)
        .filter(refunds::order_id.eq(order_id))
        .filter(refunds::stripe_refund_id.is_null())
        .select(RefundRow::as_select())
        .first(conn)
        .optional()
}

/// A refund the admin asked for, before Stripe is asked.
pub fn insert_requested(
    conn: &mut PgConnection,
    order_id: Uuid,
    key: &str,
    amount: i64,
) -> QueryResult<RefundRow> {
    diesel::insert_into(refunds::table)
        .values((
            refunds::order_id.eq(order_id),
            refunds::idempotency_key.eq(key),
            refunds::amount.eq(amount),
            refunds::status.eq(RefundStatus::Requested),
        ))
        .returning(RefundRow::as_returning())
        .get_result(conn)
}

/// A refund made outside the shop, as Stripe reports it.
pub fn insert_from_stripe(
    conn: &mut PgConnection,
    order_id: Uuid,
    amount: i64,
    status: RefundStatus,
    stripe_refund_id: &str,
) -> QueryResult<RefundRow> {
    diesel::insert_into(refunds::table)
        .values((
            refunds::order_id.eq(order_id),
            refunds::amount.eq(amount),
            refunds::status.eq(status),
            refunds::stripe_refund_id.eq(stripe_refund_id),
        ))
        .returning(RefundRow::as_returning())
        .get_result(conn)
}

pub fn set_state(
    conn: &mut PgConnection,
    id: Uuid,
    status: RefundStatus,
    stripe_refund_id: Option<&str>,
) -> QueryResult<RefundRow> {
    diesel::update(refunds::table.find(id))
        .set((
            refunds::status.eq(status),
            refunds::stripe_refund_id.eq(stripe_refund_id),
            refunds::updated_at.eq(Utc::now()),
        ))
        .returning(RefundRow::as_returning())
        .get_result(conn)
}

/// Sum of an order's refunds in any of `statuses`.
pub fn total(
    conn: &mut PgConnection,
    order_id: Uuid,
    statuses: &[RefundStatus],
) -> QueryResult<i64> {
    // SUM(bigint) is numeric in PostgreSQL; amounts are far below where the cast could overflow.
    refunds::table
        .filter(refunds::order_id.eq(order_id))
        .filter(refunds::status.eq_any(statuses))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "COALESCE(SUM(amount), 0)::bigint",
        ))
        .first(conn)
}
