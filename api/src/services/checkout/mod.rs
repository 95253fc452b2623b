//! Checkout: a cart becomes an order awaiting payment, with its stock reserved, in one transaction.
//! The PaymentIntent is created after that transaction commits, with an idempotency key derived
//! from the order. Every PaymentIntent Stripe makes belongs to an order:
//! - Stripe refused: no PaymentIntent exists, so `abandon` undoes everything.
//! - No answer (timeout, unreadable reply): one may exist. `give_up` cancels the order and
//!   releases its stock but keeps it, marked for the order sweep, which finds the PaymentIntent
//!   with the same key and cancels it.
//! - A replay of the same Idempotency-Key after the first request's deadline makes or finds the
//!   PaymentIntent with that key and attaches it.
//!
//! Attach, abandon and give-up each take the order's row lock and look at what the others did,
//! and every deadline is read from the database's clock.

mod order_lines;
mod transactions;

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use utoipa::ToSchema;
use uuid::Uuid;

use self::transactions::Begun;
use crate::db::checkout_sessions::{self as sessions, SessionRow};
use crate::db::orders::{self as order_queries, OrderRow};
use crate::db::{self, Pool};
use crate::domain::money::{Money, MoneyView};
use crate::domain::status::OrderStatus;
use crate::error::ApiError;
use crate::metrics::CheckoutOutcome;
use crate::payments::{PaymentError, Payments};
use crate::services::carts::CartKey;
use crate::services::{orders, stripe_events};

pub use self::transactions::{Attached, attach_intent};

#[derive(Debug)]
pub struct CheckoutRequest {
    pub cart: CartKey,
    pub idempotency_key: String,
    /// Where the receipt goes: required for a guest's cart; an account's cart uses the
    /// account's address, and refuses another.
    pub email: Option<String>,
    /// The shopper's address, as far as it can be told.
    pub client: IpAddr,
}

/// How much stock a checkout may hold, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct CheckoutRules {
    /// Until the first payment attempt.
    pub hold: Duration,
    /// Once the shopper is paying.
    pub reservation_ttl: Duration,
    pub max_units_per_variant: i32,
    pub max_open_per_client: i64,
    pub tax_mode: crate::domain::pricing::TaxMode,
}

/// A checkout in progress: what to pay, and the PaymentIntent's client secret to pay it with.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutSession {
    pub id: Uuid,
    pub order_id: Uuid,
    /// Send as `Order-Secret` to read the order; only returned by `POST /checkout/sessions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_secret: Option<String>,
    pub amount: MoneyView,
    #[schema(example = "EUR")]
    pub currency: String,
    pub status: OrderStatus,
    /// Stripe's state of the payment, such as `requires_payment_method` or `succeeded`.
    pub payment_status: Option<String>,
    /// Why the last payment attempt failed, as Stripe put it.
    pub payment_error: Option<String>,
    /// For Stripe.js (`elements({clientSecret})`).
    pub client_secret: Option<String>,
    /// Until when the stock stays reserved for this payment: briefly at first
    /// (RESERVATION_HOLD_SECS), and up to RESERVATION_TTL_SECS from the start once the shopper has
    /// attempted a payment.
    pub expires_at: DateTime<Utc>,
}

/// The order's secret is derived from the cart's secret, so a replay can hand it out again
/// without the server ever storing it.
pub fn order_secret(cart_secret: &str, order_id: Uuid) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(cart_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(b"order-secret:");
    mac.update(order_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What `start` answers.
#[derive(Debug)]
pub struct Started {
    pub session: CheckoutSession,
    /// The Idempotency-Key was used before: the same session as then.
    pub replayed: bool,
}

/// A checkout from the request to the PaymentIntent: replays, recovery after a crash, and
/// Stripe's failures, each leaving every PaymentIntent with its order. Its outcome is counted.
pub async fn start(
    pool: &Pool,
    payments: &Payments,
    request: CheckoutRequest,
    rules: CheckoutRules,
) -> Result<Started, ApiError> {
    use actix_web::ResponseError;
    let started = start_uncounted(pool, payments, request, rules).await;
    pool.metrics().checkout(match &started {
        Ok(_) => CheckoutOutcome::Created,
        Err(ApiError::InsufficientStock { .. }) => CheckoutOutcome::OutOfStock,
        Err(ApiError::PaymentUnavailable(_)) => CheckoutOutcome::PaymentUnavailable,
        Err(err) if err.status_code().is_server_error() => CheckoutOutcome::Failed,
        Err(_) => CheckoutOutcome::Refused,
    });
    started
}

async fn start_uncounted(
    pool: &Pool,
    payments: &Payments,
    request: CheckoutRequest,
    rules: CheckoutRules,
) -> Result<Started, ApiError> {
    let cart_secret = request.cart.secret.clone().unwrap_or_default();
    let answer = |session: &SessionRow, order: &OrderRow, replayed: bool| {
        let secret = order_secret(&cart_secret, order.id);
        Ok(Started {
            session: session_view(session, order, Some(secret)),
            replayed,
        })
    };
    let begun = db::run(pool, move |conn| {
        transactions::refuse_sold_out(conn, &request)?;
        transactions::begin(conn, &request, &rules)
    })
    .await?;
    let (session, order, replayed) = match begun {
        Begun::Replayed {
            session,
            order,
            age,
        } => {
            if order.payment_intent_id.is_some() || order.status != OrderStatus::PendingPayment {
                return answer(&session, &order, true);
            }
            if age < payments.deadline_since_creation() {
                // The request that made this order may still be waiting on Stripe.
                return Err(ApiError::Conflict(
                    "this checkout is still being prepared; retry in a moment".into(),
                ));
            }
            // The request that made this order died before recording its PaymentIntent. The
            // same Stripe idempotency key gets the same PaymentIntent back, or makes it now.
            (session, order, true)
        }
        Begun::Created { session, order } => (session, order, false),
    };
    let total = Money::new(order.total_amount, order.currency);
    let order_id = order.id;
    let shipping = order.priced.shipping_address.clone();
    let intent = match payments
        .create_intent(order_id, total, shipping.as_ref())
        .await
    {
        Ok(intent) => intent,
        Err(err) => {
            if err.outcome_unknown() {
                db::run(pool, move |conn| transactions::give_up(conn, order_id)).await?;
            } else if !replayed {
                db::run(pool, move |conn| transactions::abandon(conn, order_id)).await?;
            }
            return Err(err.into());
        }
    };
    match db::run(pool, move |conn| {
        transactions::attach_intent(conn, order_id, &intent)
    })
    .await?
    {
        Attached::Payable(order) => answer(&session, &order, replayed),
        Attached::TooLate(_) => Err(ApiError::Conflict(
            "this checkout was given up after the payment provider did not answer; start a new one"
                .into(),
        )),
    }
}

/// A checkout session, if `secret` is its order's secret; otherwise the same 404 as a missing one.
pub async fn read_session(
    pool: &Pool,
    session_id: Uuid,
    secret: String,
) -> Result<CheckoutSession, ApiError> {
    let (session, order) = authorized_session(pool, session_id, secret).await?;
    Ok(session_view(&session, &order, None))
}

async fn authorized_session(
    pool: &Pool,
    session_id: Uuid,
    secret: String,
) -> Result<(SessionRow, OrderRow), ApiError> {
    let not_found = || ApiError::NotFound("no such checkout session".into());
    db::run(pool, move |conn| {
        let session = sessions::find_session(conn, session_id)?.ok_or_else(not_found)?;
        let order =
            orders::authorized_order(conn, session.order_id, &secret).map_err(|_| not_found())?;
        Ok((session, order))
    })
    .await
}

/// Gives up a checkout awaiting payment so that its cart can change: the order is cancelled, its
/// stock released and its cart opened again. Stripe decides the race with a payment: the
/// PaymentIntent is cancelled there first, and once cancelled it can never succeed. If Stripe
/// will not cancel it because the payment is processing or has succeeded, the order is brought
/// in line with Stripe and kept (`payment-under-way`). Cancelling a cancelled checkout answers
/// it again.
pub async fn cancel(
    pool: &Pool,
    payments: &Payments,
    session_id: Uuid,
    secret: String,
) -> Result<CheckoutSession, ApiError> {
    let (session, order) = authorized_session(pool, session_id, secret).await?;
    if order.status == OrderStatus::Cancelled {
        return Ok(session_view(&session, &order, None));
    }
    let order = cancel_pending(pool, payments, order).await?;
    Ok(session_view(&session, &order, None))
}

/// Cancels an order awaiting payment, Stripe first: answers the order once cancelled, or
/// `payment-under-way` when Stripe holds a payment that is processing or succeeded (the order is
/// then brought in line with it and kept).
pub(crate) async fn cancel_pending(
    pool: &Pool,
    payments: &Payments,
    order: OrderRow,
) -> Result<OrderRow, ApiError> {
    let under_way = |order_id| {
        ApiError::PaymentUnderWay {
        detail: "the payment of this order is being processed or has succeeded; it can no longer be cancelled".into(),
        order_id,
    }
    };
    if order.status != OrderStatus::PendingPayment {
        return Err(under_way(order.id));
    }
    let Some(intent_id) = order.payment_intent_id.clone() else {
        return Err(ApiError::Conflict(
            "this checkout is still being prepared; retry in a moment".into(),
        ));
    };
    let (intent, refusal) = match payments.cancel_intent(&intent_id).await {
        Ok(intent) => (intent, None),
        Err(err @ PaymentError::Refused { .. }) => {
            (payments.retrieve_intent(&intent_id).await?, Some(err))
        }
        Err(err) => return Err(err.into()),
    };
    let state = intent.state();
    let order_id = order.id;
    let order = db::run(pool, move |conn| {
        stripe_events::apply_intent_state(conn, order_id, &state)?;
        order_queries::find_order(conn, order_id)?
            .ok_or_else(|| ApiError::Internal("order vanished".into()))
    })
    .await?;
    match (order.status, intent.status.as_str(), refusal) {
        (OrderStatus::Cancelled, _, _) => Ok(order),
        (OrderStatus::PendingPayment, "processing" | "requires_capture", _) => {
            Err(under_way(order.id))
        }
        (OrderStatus::PendingPayment, _, Some(refusal)) => Err(refusal.into()),
        (OrderStatus::PendingPayment, status, None) => Err(ApiError::Internal(format!(
            "order {} still pending after Stripe cancelled its PaymentIntent ({status})",
            order.id
        ))),
        _ => Err(under_way(order.id)),
    }
}

fn session_view(session: &SessionRow, order: &OrderRow, secret: Option<String>) -> CheckoutSession {
    CheckoutSession {
        id: session.id,
        order_id: order.id,
        order_secret: secret,
        amount: Money::new(order.total_amount, order.currency).into(),
        currency: order.currency.code().to_owned(),
        status: order.status,
        payment_status: order.payment_status.clone(),
        payment_error: order.payment_error.clone(),
        client_secret: order.client_secret.clone(),
        expires_at: order.reserved_until,
    }
}
