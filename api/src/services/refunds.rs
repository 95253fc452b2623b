//! Refunds through Stripe. A refund's state is Stripe's: the shop's own refunds are recorded
//! before Stripe is asked (`requested`), so an answer that never arrives is found again by its
//! metadata instead of being made twice, even after Stripe has forgotten the idempotency key.
//! What can still be refunded counts every refund that is or may be on its way back.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::orders::{self as orders, OrderChanges, OrderRow};
use crate::db::refunds::{self as queries, RefundRow};
use crate::db::{self, Pool};
use crate::domain::money::{Money, stored_currency};
use crate::error::ApiError;
use crate::payments::{PaymentError, Payments, Refund};

/// What a refund request answered.
#[derive(Debug)]
pub enum RefundOutcome {
    Created(RefundRow),
    /// This Idempotency-Key named a refund before: that refund, as it stands now.
    Replayed(RefundRow),
}

/// Refunds `amount` (or all that is left) of a paid order. The admin's Idempotency-Key names
/// the refund: replaying it returns the same refund, never a second one.
pub async fn create(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
    key: String,
    amount: Option<i64>,
) -> Result<RefundOutcome, ApiError> {
    let (order, refund, replayed) = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let order = orders::lock_order(conn, order_id)?
                .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
            if let Some(existing) = queries::find_by_key(conn, order_id, &key)? {
                return Ok((order, existing, true));
            }
            if !matches!(
                order.status.as_str(),
                "paid" | "partially_refunded" | "needs_review"
            ) {
                return Err(ApiError::Conflict(format!(
                    "an order in state {} cannot be refunded",
                    order.status
                )));
            }
            let refundable =
                order.total_amount - queries::total(conn, order_id, queries::COMMITTED)?;
            let amount = amount.unwrap_or(refundable);
            if amount <= 0 || amount > refundable {
                return Err(ApiError::Validation(format!(
                    "amount: must be from 1 to the {refundable} minor units not yet refunded"
                )));
            }
            let refund = queries::insert_requested(conn, order_id, &key, amount)?;
            Ok((order, refund, false))
        })
    })
    .await?;
    if refund.status != "requested" {
        return Ok(RefundOutcome::Replayed(refund));
    }
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
        None => ask_stripe(payments, &order, &intent_id, &refund).await,
    };
    let refund_id = refund.id;
    let refund = match answer {
        Ok(stripe_refund) => {
            db::run(pool, move |conn| {
                record_answer(conn, order_id, refund_id, &stripe_refund)
            })
            .await?
        }
        Err(err) if err.outcome_unknown() => {
            // The refund stays requested, counted against what can be refunded; replaying the
            // key looks it up at Stripe first.
            return Err(err.into());
        }
        Err(err) => {
            db::run(pool, move |conn| {
                Ok(queries::set_state(conn, refund_id, "failed", None)?)
            })
            .await?;
            return Err(err.into());
        }
    };
    Ok(if replayed {
        RefundOutcome::Replayed(refund)
    } else {
        RefundOutcome::Created(refund)
    })
}

async fn ask_stripe(
    payments: &Payments,
    order: &OrderRow,
    intent_id: &str,
    refund: &RefundRow,
) -> Result<Refund, PaymentError> {
    let currency = stored_currency(&order.currency).map_err(|e| PaymentError::Refused {
        status: 500,
        message: e.to_string(),
    })?;
    payments
        .refund(intent_id, Money::new(refund.amount, currency), refund.id)
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
        let order = orders::lock_order(conn, order_id)?
            .ok_or_else(|| ApiError::Internal("refunded order vanished".into()))?;
        let status = stripe_status(stripe_refund);
        let refund = queries::set_state(conn, refund_id, status, Some(&stripe_refund.id))?;
        apply_refunds(conn, &order)?;
        Ok(refund)
    })
}

fn stripe_status(refund: &Refund) -> &str {
    refund
        .status
        .as_deref()
        .filter(|status| queries::STRIPE_STATUSES.contains(status))
        // Stripe answered a create without a state: it took the refund, so it is on its way.
        .unwrap_or("pending")
}

/// Brings the order's refunds in line with the list Stripe holds for its PaymentIntent: new
/// ones (made in the dashboard) are added, and every state is Stripe's current one.
pub fn sync(
    conn: &mut PgConnection,
    order: &OrderRow,
    stripe_refunds: &[Refund],
) -> Result<OrderRow, ApiError> {
    let currency = stored_currency(&order.currency)?;
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
    let refunded = queries::total(conn, order.id, queries::ACCEPTED)?.min(order.total_amount);
    let status = match order.status.as_str() {
        "paid" | "partially_refunded" | "refunded" if refunded >= order.total_amount => "refunded",
        "paid" | "partially_refunded" | "refunded" if refunded > 0 => "partially_refunded",
        "paid" | "partially_refunded" | "refunded" => "paid",
        other => other,
    };
    Ok(orders::update_order(
        conn,
        order.id,
        &OrderChanges {
            status: Some(status),
            refunded_amount: Some(refunded),
            ..OrderChanges::default()
        },
    )?)
}
