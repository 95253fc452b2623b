//! Order work that talks to Stripe: reconciliation, reservation expiry, refunds. Stripe is never
//! called inside a database transaction; each step is safe to repeat if the process dies between.

use std::time::Duration;

use chrono::Utc;
use uuid::Uuid;

use crate::db::orders::{self as queries, OrderRow, RefundRow};
use crate::db::{self, Pool};
use crate::domain::money::Money;
use crate::error::ApiError;
use crate::payments::{PaymentError, Payments};
use crate::services::stripe_events::{self, Outcome};

/// Orders looked at per pass; the rest wait for the next one.
const BATCH: i64 = 50;

/// Asks Stripe about pending orders unchanged for `quiet_for`, so a lost webhook cannot leave a
/// paid order pending. Returns how many orders changed.
pub async fn reconcile(
    pool: &Pool,
    payments: &Payments,
    quiet_for: Duration,
) -> Result<usize, ApiError> {
    let changed_before = Utc::now() - chrono::Duration::from_std(quiet_for).unwrap_or_default();
    let pending = db::run(pool, move |conn| {
        Ok(queries::orders_to_reconcile(conn, changed_before, BATCH)?)
    })
    .await?;
    let mut changed = 0;
    for (order_id, intent_id) in pending {
        let intent = match payments.retrieve_intent(&intent_id).await {
            Ok(intent) => intent,
            Err(err) => {
                log::warn!("reconcile order {order_id}: {err}");
                continue;
            }
        };
        let state = intent.state();
        let outcome = db::run(pool, move |conn| {
            let outcome = stripe_events::apply_intent_state(conn, order_id, &state)?;
            queries::touch_order(conn, order_id)?;
            Ok(outcome)
        })
        .await?;
        if outcome == Outcome::Applied {
            log::info!(
                "reconciled order {order_id} with PaymentIntent {intent_id} ({})",
                intent.status
            );
            changed += 1;
        }
    }
    Ok(changed)
}

/// Cancels the PaymentIntents of orders whose reservation ran out, then the orders, giving their
/// stock back. A PaymentIntent that turns out to have succeeded settles its order instead.
pub async fn expire_reservations(pool: &Pool, payments: &Payments) -> Result<usize, ApiError> {
    let expired = db::run(pool, |conn| Ok(queries::expired_reservations(conn, BATCH)?)).await?;
    let mut cancelled = 0;
    for order_id in expired {
        let Some(order) =
            db::run(pool, move |conn| Ok(queries::find_order(conn, order_id)?)).await?
        else {
            continue;
        };
        let intent_id = match &order.payment_intent_id {
            Some(intent_id) => intent_id.clone(),
            None => match recover_intent(pool, payments, &order).await {
                Ok(Some(intent_id)) => intent_id,
                Ok(None) => {
                    // No PaymentIntent exists or ever will: the order only holds stock.
                    db::run(pool, move |conn| {
                        let Some(order) = queries::lock_order(conn, order_id)? else {
                            return Ok(());
                        };
                        if order.status == "pending_payment" && order.payment_intent_id.is_none() {
                            stripe_events::cancel(conn, &order, "canceled")?;
                        }
                        Ok(())
                    })
                    .await?;
                    cancelled += 1;
                    continue;
                }
                Err(err) => {
                    log::warn!("expire order {order_id}: {err}");
                    continue;
                }
            },
        };
        let state = match payments.cancel_intent(&intent_id).await {
            Ok(intent) => intent.state(),
            // Already succeeded or canceled at Stripe: take its word for the state.
            Err(PaymentError::Refused { .. }) => match payments.retrieve_intent(&intent_id).await {
                Ok(intent) => intent.state(),
                Err(err) => {
                    log::warn!("expire order {order_id}: {err}");
                    continue;
                }
            },
            Err(err) => {
                log::warn!("expire order {order_id}: {err}");
                continue;
            }
        };
        let outcome = db::run(pool, move |conn| {
            stripe_events::apply_intent_state(conn, order_id, &state)
        })
        .await?;
        if outcome == Outcome::Applied {
            log::info!("order {order_id}: reservation expired, PaymentIntent {intent_id}");
            cancelled += 1;
        }
    }
    Ok(cancelled)
}

/// The PaymentIntent of an order whose checkout died between reserving stock and recording it.
/// Stripe may have made one: the order's idempotency key gives it back (or makes it), so it can
/// be cancelled rather than left open with no order to pay for. `None` when there can be none.
async fn recover_intent(
    pool: &Pool,
    payments: &Payments,
    order: &OrderRow,
) -> Result<Option<String>, ApiError> {
    let total = Money::new(
        order.total_amount,
        crate::routes::products::stored_currency(&order.currency)?,
    );
    let intent = match payments.create_intent(order.id, total).await {
        Ok(intent) => intent,
        Err(PaymentError::NotConfigured | PaymentError::Refused { .. }) => return Ok(None),
        Err(err) => return Err(err.into()),
    };
    let order_id = order.id;
    let client_secret = intent.client_secret.clone().unwrap_or_default();
    let (intent_id, status) = (intent.id.clone(), intent.status.clone());
    db::run(pool, move |conn| {
        crate::services::checkout::attach_intent(
            conn,
            order_id,
            &intent_id,
            &client_secret,
            &status,
        )
    })
    .await?;
    Ok(Some(intent.id))
}

/// Refunds `amount` (or all that is left) of a paid order through Stripe. The admin's
/// Idempotency-Key names the refund: replaying it returns the same refund, never a second one.
pub async fn refund(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
    key: String,
    amount: Option<i64>,
) -> Result<(OrderRow, RefundRow), ApiError> {
    let lookup_key = key.clone();
    let (order, refund) = db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let order = queries::lock_order(conn, order_id)?
                .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
            if let Some(existing) = queries::find_refund(conn, order_id, &lookup_key)? {
                return Ok((order, existing));
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
            let committed =
                order
                    .refunded_amount
                    .max(queries::refund_total(conn, order_id, "succeeded")?);
            let refundable =
                order.total_amount - committed - queries::refund_total(conn, order_id, "pending")?;
            let amount = amount.unwrap_or(refundable);
            if amount <= 0 || amount > refundable {
                return Err(ApiError::Validation(format!(
                    "amount: must be from 1 to the {refundable} minor units not yet refunded"
                )));
            }
            let refund = queries::insert_refund(conn, order_id, &lookup_key, amount)?;
            Ok((order, refund))
        })
    })
    .await?;
    if refund.status != "pending" {
        return Ok((order, refund));
    }
    let intent_id = order.payment_intent_id.clone().ok_or_else(|| {
        ApiError::Internal(format!("paid order {order_id} without PaymentIntent"))
    })?;
    let stripe_key = format!("refund-{}", refund.id);
    match payments
        .refund(
            &intent_id,
            Money::new(
                refund.amount,
                crate::routes::products::stored_currency(&order.currency)?,
            ),
            &stripe_key,
        )
        .await
    {
        Ok(stripe_refund) => {
            db::run(pool, move |conn| {
                conn.build_transaction().run(|conn| {
                    let refund = queries::finish_refund(
                        conn,
                        refund.id,
                        "succeeded",
                        Some(&stripe_refund.id),
                    )?;
                    let order = queries::lock_order(conn, order_id)?
                        .ok_or_else(|| ApiError::Internal("refunded order vanished".into()))?;
                    let total = queries::refund_total(conn, order_id, "succeeded")?;
                    let order = stripe_events::record_refunded(conn, &order, total)?;
                    Ok((order, refund))
                })
            })
            .await
        }
        Err(err @ PaymentError::Refused { .. }) => {
            db::run(pool, move |conn| {
                Ok(queries::finish_refund(conn, refund.id, "failed", None)?)
            })
            .await?;
            Err(err.into())
        }
        // Unknown whether Stripe refunded: the row stays pending and a replay of the same key
        // asks Stripe again with the same idempotency key.
        Err(err) => Err(err.into()),
    }
}
