//! Applies verified Stripe events to orders. Each event id is recorded in the same transaction as
//! its effect, so a duplicate or replayed delivery changes nothing, and a failed one is retried.
//!
//! Stripe sends events in any order and more than once, so every transition below is legal from
//! any state, and each order ends with its stock either committed (sold) or released; only an
//! order awaiting payment holds a reservation.
//!
//! | order \ event         | succeeded                      | payment_failed | canceled          |
//! |-----------------------|--------------------------------|----------------|-------------------|
//! | pending_payment       | paid, stock committed (*)      | stays, error   | cancelled, stock  |
//! |                       |                                | noted          | released, cart    |
//! |                       |                                |                | open again        |
//! | cancelled             | needs_review: paid too late;   | ignored        | ignored           |
//! |                       | stock taken again if there     |                |                   |
//! | paid, needs_review,   | ignored                        | ignored        | ignored           |
//! | (partially_)refunded  |                                |                |                   |
//!
//! (*) needs_review when the amount or currency differ from the order's, stock committed too.
//!
//! A checkout first holds its stock briefly (`RESERVATION_HOLD_SECS`). A payment attempt
//! (`payment_failed`, `processing`, `requires_action`) shows a shopper really paying, and
//! extends the hold to `RESERVATION_TTL_SECS` from the checkout's start.
//!
//! Refund events (`charge.refunded`, `charge.refund.updated`, `refund.created`,
//! `refund.updated`, `refund.failed`) carry too little to be applied in any order, so they are
//! taken as a cue: the PaymentIntent and its refunds are read from Stripe, the PaymentIntent's
//! state is applied first (a refund proves the payment succeeded, so an order still pending or
//! cancelled is settled as above), then every refund's state is recorded. A paid order becomes
//! `partially_refunded` or `refunded` from the refunds Stripe accepted (pending, requiring action
//! or succeeded), and goes back when one fails; an order in `needs_review` stays there. Refunds
//! never move stock: what comes back is counted in by hand.
//!
//! A payment closes its cart, and a cancellation opens it again, unless another order of that cart
//! awaits payment.

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::carts as cart_queries;
use crate::db::orders::{self as queries, OrderChanges, OrderRow};
use crate::db::stripe_events::record_event;
use crate::db::{self, Pool, customer_orders, stock};
use crate::domain::money::Money;
use crate::domain::status::OrderStatus;
use crate::error::ApiError;
use crate::metrics::WebhookOutcome;
use crate::payments::events::{Event, Meaning};
use crate::payments::{IntentState, Payments};
use crate::services::{emails, refunds};

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Duplicate,
    /// Not about one of our orders, or a type the shop does not act on.
    Ignored,
    /// About one of our orders, but not a legal transition from its state.
    Refused,
}

/// A webhook delivery: verified, then applied.
pub async fn receive_webhook(
    pool: &Pool,
    payments: &Payments,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Outcome, ApiError> {
    let metrics = payments.metrics();
    let event = payments.verify_event(signature, body).inspect_err(|_| {
        metrics.webhook(WebhookOutcome::Rejected, None);
    })?;
    let created = event.created;
    let outcome = receive(pool, payments, event).await?;
    log::info!("stripe webhook: {outcome:?}");
    match outcome {
        Outcome::Applied => {
            let lag = created
                .and_then(|created| {
                    (Utc::now().timestamp_millis() - created * 1000)
                        .try_into()
                        .ok()
                })
                .map(std::time::Duration::from_millis);
            metrics.webhook(WebhookOutcome::Applied, lag);
        }
        Outcome::Duplicate => metrics.webhook(WebhookOutcome::Duplicate, None),
        Outcome::Ignored | Outcome::Refused => metrics.webhook(WebhookOutcome::Ignored, None),
    }
    Ok(outcome)
}

/// Applies one verified event. Stripe is asked about refunds before the transaction starts; if
/// it cannot be reached, nothing is recorded and Stripe delivers the event again later.
pub async fn receive(pool: &Pool, payments: &Payments, event: Event) -> Result<Outcome, ApiError> {
    let intent_id = match event.meaning() {
        Meaning::RefundCue { intent_id } => intent_id,
        Meaning::Intent { state, order_id } => {
            return db::run(pool, move |conn| {
                conn.transaction(|conn| {
                    if !record_event(conn, &event.id, &event.event_type, order_id)? {
                        return Ok(Outcome::Duplicate);
                    }
                    match order_id {
                        Some(order_id) => apply_intent_state(conn, order_id, &state),
                        None => Ok(Outcome::Ignored),
                    }
                })
            })
            .await;
        }
        Meaning::Other => None,
    };
    let order = match intent_id.clone() {
        Some(intent_id) => {
            db::run(pool, move |conn| {
                Ok(queries::find_order_by_intent(conn, &intent_id)?)
            })
            .await?
        }
        None => None,
    };
    let (Some(order), Some(intent_id)) = (order, intent_id) else {
        return db::run(pool, move |conn| {
            Ok(if record_event(conn, &event.id, &event.event_type, None)? {
                Outcome::Ignored
            } else {
                Outcome::Duplicate
            })
        })
        .await;
    };
    let intent = payments.retrieve_intent(&intent_id).await?.state();
    let stripe_refunds = payments.refunds(&intent_id).await?;
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            if !record_event(conn, &event.id, &event.event_type, Some(order.id))? {
                return Ok(Outcome::Duplicate);
            }
            apply_intent_state(conn, order.id, &intent)?;
            let order = queries::lock_order(conn, order.id)?
                .ok_or_else(|| ApiError::Internal("order vanished".into()))?;
            refunds::sync(conn, &order, &stripe_refunds)?;
            Ok(Outcome::Applied)
        })
    })
    .await
}

/// Brings an order in line with its PaymentIntent's state; used by webhooks and reconciliation
/// alike, so both follow the same transitions.
pub fn apply_intent_state(
    conn: &mut PgConnection,
    order_id: Uuid,
    state: &IntentState,
) -> Result<Outcome, ApiError> {
    conn.transaction(|conn| {
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(Outcome::Ignored);
        };
        if order.payment_intent_id.as_deref() != Some(state.id.as_str()) {
            log::warn!(
                "order {} is paid by {:?}, not by PaymentIntent {}",
                order.id,
                order.payment_intent_id,
                state.id
            );
            return Ok(Outcome::Refused);
        }
        match state.status.as_str() {
            "succeeded" => succeeded(conn, &order, state),
            "canceled" => canceled(conn, &order),
            "requires_payment_method" if state.error.is_some() => failed(conn, &order, state),
            "processing" | "requires_action" => attempted(conn, &order, state),
            _ => Ok(Outcome::Ignored),
        }
    })
}

fn refuse(order: &OrderRow, what: &str) -> Result<Outcome, ApiError> {
    log::warn!(
        "order {}: ignoring {what} in state {}",
        order.id,
        order.status
    );
    Ok(Outcome::Refused)
}

fn succeeded(
    conn: &mut PgConnection,
    order: &OrderRow,
    intent: &IntentState,
) -> Result<Outcome, ApiError> {
    let late = match order.status {
        OrderStatus::PendingPayment => false,
        // The reservation ran out and the order was cancelled, yet the shopper paid. An order
        // cancelled after its payment (by the merchant, who refunds it) is not one of those.
        OrderStatus::Cancelled if order.paid_at.is_none() => true,
        _ => return refuse(order, "payment_intent.succeeded"),
    };
    // Stripe's amount is in Stripe's unit for the currency, so the order's total is compared in it.
    let expected = Money::new(order.total_amount, order.currency)
        .to_stripe()
        .ok();
    let matches = expected == Some(intent.amount)
        && intent.currency.eq_ignore_ascii_case(order.currency.code());
    let stock_taken = if late {
        stock::take_released_stock(conn, order)?
    } else {
        stock::commit_stock(conn, order)?
    };
    let status = if matches && stock_taken && !late {
        OrderStatus::Paid
    } else {
        OrderStatus::NeedsReview
    };
    if status == OrderStatus::NeedsReview {
        log::warn!(
            "order {} needs review: amount/currency match {matches}, stock taken {stock_taken}, late {late}",
            order.id
        );
    }
    let paid = queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            status: Some(status),
            payment_status: Some("succeeded"),
            payment_error: Some(None),
            paid_at: Some(Utc::now()),
            ..OrderChanges::default()
        },
    )?;
    // A guest who has an account with the same confirmed address finds the order in it.
    customer_orders::attach_to_verified_customer(conn, order.id)?;
    // The receipt goes out with the payment; an order held for review waits for the merchant.
    if status == OrderStatus::Paid {
        emails::compose::order_paid(conn, &paid)?;
    }
    if let Some(cart_id) = order.cart_id {
        cart_queries::close_cart(conn, cart_id, order.id)?;
    }
    Ok(Outcome::Applied)
}

fn failed(
    conn: &mut PgConnection,
    order: &OrderRow,
    intent: &IntentState,
) -> Result<Outcome, ApiError> {
    if order.status != OrderStatus::PendingPayment {
        return refuse(order, "payment_intent.payment_failed");
    }
    let message = intent
        .error
        .as_deref()
        .unwrap_or("the payment was declined");
    queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            payment_status: Some("requires_payment_method"),
            payment_error: Some(Some(message)),
            ..OrderChanges::default()
        },
    )?;
    // The shopper really is paying: the stock is held for as long as a checkout may hold it.
    queries::extend_reservation(conn, order.id)?;
    Ok(Outcome::Applied)
}

/// A payment is under way (processing, or waiting for the shopper's bank): the stock is held
/// for as long as a checkout may hold it.
fn attempted(
    conn: &mut PgConnection,
    order: &OrderRow,
    intent: &IntentState,
) -> Result<Outcome, ApiError> {
    if order.status != OrderStatus::PendingPayment {
        return Ok(Outcome::Ignored);
    }
    queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            payment_status: Some(&intent.status),
            ..OrderChanges::default()
        },
    )?;
    queries::extend_reservation(conn, order.id)?;
    Ok(Outcome::Applied)
}

fn canceled(conn: &mut PgConnection, order: &OrderRow) -> Result<Outcome, ApiError> {
    if order.status != OrderStatus::PendingPayment {
        return refuse(order, "payment_intent.canceled");
    }
    cancel(conn, order, Some("canceled"))?;
    Ok(Outcome::Applied)
}

/// Cancels a pending order: its stock goes back and its cart can be checked out again.
pub fn cancel(
    conn: &mut PgConnection,
    order: &OrderRow,
    payment_status: Option<&str>,
) -> Result<(), ApiError> {
    stock::release_stock(conn, order)?;
    crate::db::promotions::release_redemption(conn, order.id)?;
    queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            status: Some(OrderStatus::Cancelled),
            payment_status,
            ..OrderChanges::default()
        },
    )?;
    if let Some(cart_id) = order.cart_id {
        cart_queries::reopen_cart(conn, cart_id, order.id)?;
    }
    Ok(())
}
