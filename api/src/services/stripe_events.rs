//! Applies verified Stripe events to orders. Each event id is recorded in the same transaction as
//! its effect, so a duplicate or replayed delivery changes nothing, and a failed one is retried.

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use crate::db::orders::{self as queries, OrderChanges, OrderRow};
use crate::error::ApiError;

/// The few fields of an event the shop reads; everything else is ignored, so a newer or thinner
/// payload still parses.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct IntentObject {
    id: String,
    amount: i64,
    currency: String,
    #[serde(default)]
    metadata: HashMap<String, String>,
    #[serde(default)]
    last_payment_error: Option<PaymentError>,
}

#[derive(Debug, Deserialize)]
struct PaymentError {
    message: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Duplicate,
    /// Not about one of our orders, or a type the shop does not act on.
    Ignored,
    /// About one of our orders, but not a legal transition from its state.
    Refused,
}

/// The order id that checkout wrote into the PaymentIntent's metadata.
pub const ORDER_ID_KEY: &str = "order_id";

pub fn apply(conn: &mut PgConnection, event: &Event) -> Result<Outcome, ApiError> {
    let intent = match event.event_type.as_str() {
        "payment_intent.succeeded"
        | "payment_intent.payment_failed"
        | "payment_intent.canceled" => {
            serde_json::from_value::<IntentObject>(event.data.object.clone()).ok()
        }
        _ => None,
    };
    let order_id = intent
        .as_ref()
        .and_then(|i| i.metadata.get(ORDER_ID_KEY))
        .and_then(|id| Uuid::parse_str(id).ok());
    conn.transaction(|conn| {
        if !queries::record_event(conn, &event.id, &event.event_type, order_id)? {
            return Ok(Outcome::Duplicate);
        }
        let (Some(intent), Some(order_id)) = (intent, order_id) else {
            return Ok(Outcome::Ignored);
        };
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(Outcome::Ignored);
        };
        if order.payment_intent_id.as_deref() != Some(intent.id.as_str()) {
            log::warn!(
                "event {} names order {} but PaymentIntent {}, not the order's",
                event.id,
                order.id,
                intent.id
            );
            return Ok(Outcome::Refused);
        }
        match event.event_type.as_str() {
            "payment_intent.succeeded" => succeeded(conn, &order, &intent),
            "payment_intent.payment_failed" => failed(conn, &order, &intent),
            _ => canceled(conn, &order),
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
    intent: &IntentObject,
) -> Result<Outcome, ApiError> {
    let late = match order.status.as_str() {
        "pending_payment" => false,
        // The reservation ran out and the order was cancelled, yet the shopper paid.
        "cancelled" => true,
        _ => return refuse(order, "payment_intent.succeeded"),
    };
    let matches = intent.amount == order.total_amount
        && intent.currency.eq_ignore_ascii_case(&order.currency);
    let stock_taken = if late {
        queries::take_released_stock(conn, order)?
    } else {
        queries::commit_stock(conn, order)?
    };
    let status = if matches && stock_taken && !late {
        "paid"
    } else {
        "needs_review"
    };
    if status == "needs_review" {
        log::warn!(
            "order {} needs review: amount/currency match {matches}, stock taken {stock_taken}, late {late}",
            order.id
        );
    }
    queries::update_order(
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
    if let Some(cart_id) = order.cart_id {
        queries::set_cart_status(conn, cart_id, "closed")?;
    }
    Ok(Outcome::Applied)
}

fn failed(
    conn: &mut PgConnection,
    order: &OrderRow,
    intent: &IntentObject,
) -> Result<Outcome, ApiError> {
    if order.status != "pending_payment" {
        return refuse(order, "payment_intent.payment_failed");
    }
    let message = intent
        .last_payment_error
        .as_ref()
        .and_then(|e| e.message.as_deref())
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
    Ok(Outcome::Applied)
}

fn canceled(conn: &mut PgConnection, order: &OrderRow) -> Result<Outcome, ApiError> {
    if order.status != "pending_payment" {
        return refuse(order, "payment_intent.canceled");
    }
    cancel(conn, order, "canceled")?;
    Ok(Outcome::Applied)
}

/// Cancels a pending order: its stock goes back and its cart can be checked out again.
pub fn cancel(
    conn: &mut PgConnection,
    order: &OrderRow,
    payment_status: &str,
) -> Result<(), ApiError> {
    queries::release_stock(conn, order)?;
    queries::update_order(
        conn,
        order.id,
        &OrderChanges {
            status: Some("cancelled"),
            payment_status: Some(payment_status),
            ..OrderChanges::default()
        },
    )?;
    if let Some(cart_id) = order.cart_id {
        queries::set_cart_status(conn, cart_id, "open")?;
    }
    Ok(())
}
