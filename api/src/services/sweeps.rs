//! The order sweeps: reconciliation of lost webhooks, reservation expiry, and stray
//! PaymentIntents. Stripe is never called inside a database transaction; each step is safe to repeat if
//! the process dies between.

use std::fmt;
use std::time::Duration;

use uuid::Uuid;

use crate::db::orders::{self as queries, OrderRow};
use crate::db::{self, Pool};
use crate::domain::money::Money;
use crate::domain::status::OrderStatus;
use crate::error::ApiError;
use crate::payments::IntentState;
use crate::payments::{Intent, PaymentError, Payments};
use crate::services::checkout::{self, Attached};
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
    let quiet_secs = i64::try_from(quiet_for.as_secs()).unwrap_or(i64::MAX);
    let pending = db::run(pool, move |conn| {
        Ok(queries::orders_to_reconcile(conn, quiet_secs, BATCH)?)
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

/// What one pass of reservation expiry did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    /// Cancelled, with their stock released.
    pub cancelled: usize,
    /// Paid at Stripe after all: settled instead of cancelled.
    pub settled: usize,
    /// Stripe refused or failed; each is retried later, after a back-off of its own.
    pub deferred: usize,
}

impl ExpiryReport {
    pub fn is_empty(&self) -> bool {
        *self == ExpiryReport::default()
    }
}

impl fmt::Display for ExpiryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cancelled, {} settled as paid, {} deferred",
            self.cancelled, self.settled, self.deferred
        )
    }
}

/// Cancels the PaymentIntents of orders whose reservation ran out, then the orders, giving their
/// stock back. A PaymentIntent that turns out to have succeeded settles its order instead. An
/// order Stripe will not cancel now goes to the back of the queue, so it never blocks the rest.
pub async fn expire_reservations(
    pool: &Pool,
    payments: &Payments,
) -> Result<ExpiryReport, ApiError> {
    let expired = db::run(pool, |conn| Ok(queries::expired_reservations(conn, BATCH)?)).await?;
    let mut report = ExpiryReport::default();
    for order_id in expired {
        let expired = expire(pool, payments, order_id).await;
        if let Ok(Some(status)) = &expired {
            log::info!("order {order_id}: reservation expired, now {status}");
        }
        match expired {
            Ok(Some(OrderStatus::Cancelled)) => report.cancelled += 1,
            Ok(Some(_)) => report.settled += 1,
            Ok(None) => {}
            Err(err) => {
                log::warn!("expire order {order_id}: {err}");
                db::run(pool, move |conn| Ok(queries::defer_sweep(conn, order_id)?)).await?;
                report.deferred += 1;
            }
        }
    }
    Ok(report)
}

/// Expires one order; its new status, or None when it had changed meanwhile.
async fn expire(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
) -> Result<Option<OrderStatus>, ApiError> {
    let Some(order) = db::run(pool, move |conn| Ok(queries::find_order(conn, order_id)?)).await?
    else {
        return Ok(None);
    };
    if order.status != OrderStatus::PendingPayment {
        return Ok(None);
    }
    let intent_id = match &order.payment_intent_id {
        Some(intent_id) => intent_id.clone(),
        None => match recover_intent(pool, payments, &order).await? {
            Some(intent_id) => intent_id,
            None => {
                // No PaymentIntent exists or ever will: the order only holds stock.
                return db::run(pool, move |conn| {
                    let Some(order) = queries::lock_order(conn, order_id)? else {
                        return Ok(None);
                    };
                    if order.status != OrderStatus::PendingPayment
                        || order.payment_intent_id.is_some()
                    {
                        return Ok(None);
                    }
                    stripe_events::cancel(conn, &order, Some("canceled"))?;
                    Ok(Some(OrderStatus::Cancelled))
                })
                .await;
            }
        },
    };
    let state = cancel_at_stripe(payments, &intent_id).await?;
    if !matches!(state.status.as_str(), "canceled" | "succeeded") {
        return Err(ApiError::PaymentProvider(format!(
            "PaymentIntent {intent_id} is {} and cannot be cancelled yet",
            state.status
        )));
    }
    db::run(pool, move |conn| {
        stripe_events::apply_intent_state(conn, order_id, &state)?;
        let order = queries::find_order(conn, order_id)?;
        Ok(order.map(|order| order.status))
    })
    .await
}

/// Cancels a PaymentIntent and answers its state. When Stripe refuses (it succeeded, or is
/// processing), Stripe's own view of it is the answer.
async fn cancel_at_stripe(payments: &Payments, intent_id: &str) -> Result<IntentState, ApiError> {
    match payments.cancel_intent(intent_id).await {
        Ok(intent) => Ok(intent.state()),
        Err(PaymentError::Refused { .. }) => Ok(payments.retrieve_intent(intent_id).await?.state()),
        Err(err) => Err(err.into()),
    }
}

/// Cancels the PaymentIntents that checkouts without an answer from Stripe may have left behind,
/// recording each with its order first. Returns how many orders were cleaned up.
pub async fn clean_up_stray_intents(pool: &Pool, payments: &Payments) -> Result<usize, ApiError> {
    let orders = db::run(pool, |conn| {
        Ok(queries::orders_with_stray_intents(conn, BATCH)?)
    })
    .await?;
    let mut cleaned = 0;
    for order_id in orders {
        match clean_up(pool, payments, order_id).await {
            Ok(()) => cleaned += 1,
            Err(err) => {
                log::warn!("stray PaymentIntent of order {order_id}: {err}");
                // To the back of the queue, behind the orders not yet tried.
                db::run(pool, move |conn| Ok(queries::touch_order(conn, order_id)?)).await?;
            }
        }
    }
    Ok(cleaned)
}

async fn clean_up(pool: &Pool, payments: &Payments, order_id: Uuid) -> Result<(), ApiError> {
    let Some(order) = db::run(pool, move |conn| Ok(queries::find_order(conn, order_id)?)).await?
    else {
        return Ok(());
    };
    let intent_id = match &order.payment_intent_id {
        Some(intent_id) => Some(intent_id.clone()),
        None => recover_intent(pool, payments, &order).await?,
    };
    if let Some(intent_id) = intent_id {
        let state = cancel_at_stripe(payments, &intent_id).await?;
        if !matches!(state.status.as_str(), "canceled" | "succeeded") {
            return Err(ApiError::PaymentProvider(format!(
                "PaymentIntent {intent_id} is {}",
                state.status
            )));
        }
        // A payment nobody should have been able to make still counts: it is kept for review.
        db::run(pool, move |conn| {
            stripe_events::apply_intent_state(conn, order_id, &state).map(drop)
        })
        .await?;
    }
    db::run(pool, move |conn| {
        Ok(queries::finish_intent_cleanup(conn, order_id)?)
    })
    .await
}

/// The PaymentIntent of an order whose checkout died or had no answer between reserving stock
/// and recording it. Stripe may have made one: the order's idempotency key gives it back (or
/// makes it), so it can be cancelled rather than left open with no order to pay for. `None`
/// when there can be none.
async fn recover_intent(
    pool: &Pool,
    payments: &Payments,
    order: &OrderRow,
) -> Result<Option<String>, ApiError> {
    let total = Money::new(order.total_amount, order.currency);
    let intent: Intent = match payments
        .create_intent(order.id, total, order.priced.shipping_address.as_ref())
        .await
    {
        Ok(intent) => intent,
        // 409: the first request with this key is still being handled; ask again later.
        Err(err @ PaymentError::Refused { status: 409, .. }) => return Err(err.into()),
        Err(PaymentError::NotConfigured | PaymentError::Refused { .. }) => return Ok(None),
        Err(err) => return Err(err.into()),
    };
    let order_id = order.id;
    let intent_id = intent.id.clone();
    match db::run(pool, move |conn| {
        checkout::attach_intent(conn, order_id, &intent)
    })
    .await?
    {
        Attached::Payable(_) | Attached::TooLate(_) => Ok(Some(intent_id)),
    }
}
