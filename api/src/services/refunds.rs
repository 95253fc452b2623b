//! Refunds through Stripe. A refund's state is Stripe's: the shop's own refunds are recorded
//! before Stripe is asked (`requested`), so an answer that never arrives is found again by its
//! metadata instead of being made twice, even after Stripe has forgotten the idempotency key.
//! What can still be refunded counts every refund that is or may be on its way back.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::orders::{self as order_queries, OrderChanges, OrderRow};
use crate::db::refunds::{self as queries, RefundRow};
use crate::db::{self, Pool};
use crate::domain::money::{Money, MoneyView};
use crate::domain::status::{OrderStatus, RefundStatus};
use crate::error::ApiError;
use crate::payments::{PaymentError, Payments, Refund};
use crate::services::emails;
use crate::services::orders::{self, AdminOrder};

/// What a refund request answered.
#[derive(Debug)]
enum RefundOutcome {
    Created(RefundRow),
    /// This Idempotency-Key named a refund before: that refund, as it stands now.
    Replayed(RefundRow),
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundView {
    pub id: Uuid,
    pub amount: MoneyView,
    /// Stripe's state of the refund (`pending`, `requires_action`, `succeeded`, `failed`,
    /// `canceled`), or `requested` while Stripe's answer is not known (replay the same
    /// Idempotency-Key to look it up).
    pub status: RefundStatus,
    pub stripe_refund_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundResult {
    pub refund: RefundView,
    pub order: AdminOrder,
}

/// A refund the admin asked for: made now, or the one its Idempotency-Key made before.
#[derive(Debug)]
pub enum Refunded {
    Created(RefundResult),
    Replayed(RefundResult),
}

/// Refunds `amount` (or all that is left) of a paid order, and answers the refund with the
/// order as it stands after it.
pub async fn refund(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
    key: String,
    amount: Option<i64>,
) -> Result<Refunded, ApiError> {
    let outcome = create(pool, payments, order_id, key, amount).await?;
    let (RefundOutcome::Created(row) | RefundOutcome::Replayed(row)) = &outcome;
    let order = orders::admin_order(pool, order_id).await?;
    let result = RefundResult {
        refund: RefundView {
            id: row.id,
            amount: Money::new(row.amount, order.currency).into(),
            status: row.status,
            stripe_refund_id: row.stripe_refund_id.clone(),
            created_at: row.created_at,
        },
        order,
    };
    Ok(match outcome {
        RefundOutcome::Created(_) => Refunded::Created(result),
        RefundOutcome::Replayed(_) => Refunded::Replayed(result),
    })
}

/// Refunds `amount` (or all that is left) of a paid order. The admin's Idempotency-Key names
/// the refund: replaying it returns the same refund, never a second one.
async fn create(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
    key: String,
    amount: Option<i64>,
) -> Result<RefundOutcome, ApiError> {
    let (order, refund, replayed) = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let order = order_queries::lock_order(conn, order_id)?
                .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
            if let Some(existing) = queries::find_by_key(conn, order_id, &key)? {
                return Ok((order, existing, true));
            }
            let paid = matches!(
                order.status,
                OrderStatus::Paid | OrderStatus::PartiallyRefunded | OrderStatus::NeedsReview
            );
            // A paid order the merchant cancelled: what its cancellation could not refund.
            let cancelled_after_payment =
                order.status == OrderStatus::Cancelled && order.paid_at.is_some();
            if !(paid || cancelled_after_payment) {
                return Err(ApiError::Conflict(format!(
                    "an order in state {} cannot be refunded",
                    order.status
                )));
            }
            let refundable =
                order.total_amount - queries::total(conn, order_id, RefundStatus::COMMITTED)?;
            let amount = amount.unwrap_or(refundable);
            if amount <= 0 || amount > refundable {
                return Err(ApiError::invalid(
                    "amount",
                    format!("must be from 1 to the {refundable} minor units not yet refunded"),
                ));
            }
            let refund = queries::insert_requested(conn, order_id, &key, amount)?;
            Ok((order, refund, false))
        })
    })
    .await?;
    let refund = settle(pool, payments, &order, refund, replayed).await?;
    Ok(if replayed {
        RefundOutcome::Replayed(refund)
    } else {
        RefundOutcome::Created(refund)
    })
}

/// Asks Stripe for a refund the shop recorded as `requested`, and records its answer. A replay
/// (`replayed`) first looks for it at Stripe, where an earlier answer that never arrived left it.
pub(crate) async fn settle(
    pool: &Pool,
    payments: &Payments,
    order: &OrderRow,
    refund: RefundRow,
    replayed: bool,
) -> Result<RefundRow, ApiError> {
    if refund.status != RefundStatus::Requested {
        return Ok(refund);
    }
    let order_id = order.id;
    let intent_id = order.payment_intent_id.clone().ok_or_else(|| {
        ApiError::Internal(format!("paid order {order_id} without PaymentIntent"))
    })?;
    // A replay of a refund whose answer was lost: Stripe may hold it already.
    let found = if replayed {
        find_at_stripe(payments, &intent_id, refund.id).await?
    } else {
        None
    };
    let answer = match found {
        Some(found) => Ok(found),
        None => ask_stripe(payments, order, &intent_id, &refund).await,
    };
    let refund_id = refund.id;
    match answer {
        Ok(stripe_refund) => {
            db::run(pool, move |conn| {
                record_answer(conn, order_id, refund_id, &stripe_refund)
            })
            .await
        }
        Err(err) if err.outcome_unknown() => {
            // The refund stays requested, counted against what can be refunded; replaying the
            // key looks it up at Stripe first.
            Err(err.into())
        }
        Err(err) => {
            db::run(pool, move |conn| {
                Ok(queries::set_state(
                    conn,
                    refund_id,
                    RefundStatus::Failed,
                    None,
                )?)
            })
            .await?;
            Err(err.into())
        }
    }
}

async fn ask_stripe(
    payments: &Payments,
    order: &OrderRow,
    intent_id: &str,
    refund: &RefundRow,
) -> Result<Refund, PaymentError> {
    payments
        .refund(
            intent_id,
            Money::new(refund.amount, order.currency),
            refund.id,
        )
        .await
}

async fn find_at_stripe(
    payments: &Payments,
    intent_id: &str,
    refund_id: Uuid,
) -> Result<Option<Refund>, ApiError> {
    Ok(payments
        .refunds(intent_id)
        .await?
        .into_iter()
        .find(|r| r.shop_refund_id() == Some(refund_id)))
}

fn record_answer(
    conn: &mut PgConnection,
    order_id: Uuid,
    refund_id: Uuid,
    stripe_refund: &Refund,
) -> Result<RefundRow, ApiError> {
    conn.transaction(|conn| {
        let order = order_queries::lock_order(conn, order_id)?
            .ok_or_else(|| ApiError::Internal("refunded order vanished".into()))?;
        let status = stripe_status(stripe_refund);
        let refund = queries::set_state(conn, refund_id, status, Some(&stripe_refund.id))?;
        apply_refunds(conn, &order)?;
        Ok(refund)
    })
}

fn stripe_status(refund: &Refund) -> RefundStatus {
    refund
        .status
        .as_deref()
        .and_then(RefundStatus::parse)
        .filter(|status| *status != RefundStatus::Requested)
        // Stripe answered a create without a state: it took the refund, so it is on its way.
        .unwrap_or(RefundStatus::Pending)
}

/// Brings the order's refunds in line with the list Stripe holds for its PaymentIntent: new
/// ones (made in the dashboard) are added, and every state is Stripe's current one.
pub fn sync(
    conn: &mut PgConnection,
    order: &OrderRow,
    stripe_refunds: &[Refund],
) -> Result<OrderRow, ApiError> {
    let currency = order.currency;
    for stripe_refund in stripe_refunds {
        let status = stripe_status(stripe_refund);
        match queries::find_for_stripe(
            conn,
            order.id,
            &stripe_refund.id,
            stripe_refund.shop_refund_id(),
        )? {
            Some(row) => {
                queries::set_state(conn, row.id, status, Some(&stripe_refund.id))?;
            }
            None => {
                let amount = Money::from_stripe(stripe_refund.amount, currency)
                    .map_err(|e| ApiError::Internal(format!("refund {}: {e}", stripe_refund.id)))?;
                queries::insert_from_stripe(
                    conn,
                    order.id,
                    amount.amount(),
                    status,
                    &stripe_refund.id,
                )?;
            }
        }
    }
    apply_refunds(conn, order)
}

/// Sets the order's refunded amount from its refunds that Stripe accepted, and its status from
/// that, for a paid order. An order kept for review stays so: a refund does not settle it.
pub fn apply_refunds(conn: &mut PgConnection, order: &OrderRow) -> Result<OrderRow, ApiError> {
    let refunded = queries::total(conn, order.id, RefundStatus::ACCEPTED)?.min(order.total_amount);
    use OrderStatus::{Paid, PartiallyRefunded, Refunded};
    let status = match order.status {
        Paid | PartiallyRefunded | Refunded if refunded >= order.total_amount => Refunded,
        Paid | PartiallyRefunded | Refunded if refunded > 0 => PartiallyRefunded,
        Paid | PartiallyRefunded | Refunded => Paid,
        other => other,
    };
    let updated = order_queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            status: Some(status),
            refunded_amount: Some(refunded),
            ..OrderChanges::default()
        },
    )?;
    // The shopper hears of money once Stripe has accepted to return it.
    if refunded > order.refunded_amount {
        emails::compose::order_refunded(
            conn,
            &updated,
            refunded - order.refunded_amount,
            refunded,
        )?;
    }
    Ok(updated)
}
