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

use std::net::IpAddr;
use std::time::Duration;

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::db::carts as cart_queries;
use crate::db::orders::{
    self as queries, NewOrder, NewOrderLine, OrderChanges, OrderLineRow, OrderRow, SessionRow,
};
use crate::db::{self, Pool};
use crate::domain::money::stored_currency;
use crate::domain::money::{Currency, Money};
use crate::error::{ApiError, StockShortage};
use crate::payments::{Intent, Payments};
use crate::services::carts::{CartKey, locked_cart, secret_digest};

#[derive(Debug)]
pub struct CheckoutRequest {
    pub cart: CartKey,
    pub idempotency_key: String,
    pub email: String,
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
}

/// A digest of the client's address: enough to count its checkouts, nothing to recover it from.
fn client_key(client: IpAddr) -> Vec<u8> {
    Sha256::digest(format!("checkout-client:{client}").as_bytes()).to_vec()
}

/// What `begin` found or made.
#[derive(Debug)]
pub enum Begun {
    /// This Idempotency-Key was used before: the same session and order.
    Replayed {
        session: SessionRow,
        order: OrderRow,
        /// Since the order was made, by the database's clock.
        age: chrono::Duration,
    },
    /// A new order with its stock reserved, still without a PaymentIntent.
    Created {
        session: SessionRow,
        order: OrderRow,
    },
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

pub fn begin(
    conn: &mut PgConnection,
    request: &CheckoutRequest,
    rules: &CheckoutRules,
) -> Result<Begun, ApiError> {
    let cart_secret = request.cart.secret.clone().unwrap_or_default();
    conn.transaction(|conn| {
        let cart = locked_cart(conn, &request.cart)?;
        if let Some(session) =
            queries::find_session_by_key(conn, cart.id, &request.idempotency_key)?
        {
            let order = queries::find_order(conn, session.order_id)?
                .ok_or_else(|| ApiError::Internal("checkout session without order".into()))?;
            let age = queries::clock(conn)? - order.created_at;
            return Ok(Begun::Replayed {
                session,
                order,
                age,
            });
        }
        if cart.status != "open" {
            return Err(ApiError::Locked(
                "a checkout for this cart is already in progress or done".into(),
            ));
        }
        let client_key = client_key(request.client);
        queries::lock_client(conn, &client_key)?;
        let (open, first_release) = queries::open_checkouts_of(conn, &client_key)?;
        if open >= rules.max_open_per_client {
            let now = queries::clock(conn)?;
            let wait = first_release.map_or(1, |at| (at - now).num_seconds().max(1));
            return Err(ApiError::TooManyCheckouts {
                detail: format!(
                    "{open} checkouts from here are awaiting payment; pay or wait for one to lapse"
                ),
                retry_after_secs: u64::try_from(wait).unwrap_or(1),
            });
        }
        let currency = Currency::parse(&cart.currency)
            .map_err(|e| ApiError::Internal(format!("stored cart currency: {e}")))?;
        let mut lines = cart_queries::line_details(conn, cart.id)?;
        if lines.is_empty() {
            return Err(ApiError::Validation("the cart is empty".into()));
        }
        // A fixed order of row locks keeps concurrent checkouts from deadlocking.
        lines.sort_by_key(|line| line.line.variant_id);

        let mut total = Money::new(0, currency);
        let mut shortages = Vec::new();
        let mut order_lines = Vec::with_capacity(lines.len());
        for (position, line) in lines.iter().enumerate() {
            if line.line.quantity > rules.max_units_per_variant {
                return Err(ApiError::Validation(format!(
                    "quantity: at most {} of {} per order",
                    rules.max_units_per_variant, line.sku
                )));
            }
            if !line.variant_active || !line.product_active || line.currency != cart.currency {
                return Err(ApiError::Validation(format!(
                    "{} is no longer sold; remove it from the cart",
                    line.sku
                )));
            }
            let unit = Money::new(line.price_amount, currency);
            let line_total = unit
                .checked_mul(i64::from(line.line.quantity))
                .ok_or_else(|| ApiError::Validation("the order total is too large".into()))?;
            total = total
                .checked_add(line_total)
                .ok_or_else(|| ApiError::Validation("the order total is too large".into()))?;
            if !queries::reserve(conn, line.line.variant_id, line.line.quantity)? {
                let available = crate::db::catalog::find_variant(conn, line.line.variant_id)?
                    .map_or(0, |variant| variant.available());
                shortages.push(StockShortage {
                    variant_id: line.line.variant_id,
                    sku: line.sku.clone(),
                    requested: i64::from(line.line.quantity),
                    available: i64::from(available),
                });
            }
            order_lines.push(NewOrderLine {
                order_id: Uuid::nil(),
                variant_id: line.line.variant_id,
                sku: line.sku.clone(),
                product_name: line.product_name.clone(),
                variant_title: line.variant_title.clone(),
                unit_amount: line.price_amount,
                quantity: line.line.quantity,
                line_amount: line_total.amount(),
                position: i32::try_from(position).unwrap_or(i32::MAX),
            });
        }
        if !shortages.is_empty() {
            let names: Vec<String> = shortages
                .iter()
                .map(|s| format!("{} ({} available)", s.sku, s.available))
                .collect();
            return Err(ApiError::InsufficientStock {
                detail: format!("not enough stock for {}", names.join(", ")),
                shortages,
            });
        }
        if total.amount() <= 0 {
            return Err(ApiError::Validation(
                "the order total must be more than zero".into(),
            ));
        }
        if let Err(err) = total.to_stripe() {
            return Err(ApiError::Validation(format!("the order total: {err}")));
        }

        let now = queries::clock(conn)?;
        let span =
            |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::minutes(30));
        let reserved_until = now + span(rules.hold);
        let reservation_limit = now + span(rules.reservation_ttl);
        let order_id = Uuid::new_v4();
        let (order, _) = queries::insert_order(
            conn,
            &NewOrder {
                id: order_id,
                secret_hash: secret_digest(&order_secret(&cart_secret, order_id)),
                cart_id: Some(cart.id),
                email: request.email.clone(),
                currency: cart.currency.clone(),
                total_amount: total.amount(),
                reserved_until,
                reservation_limit,
                client_key: Some(client_key),
            },
            order_lines,
        )?;
        let session = queries::insert_session(conn, cart.id, &request.idempotency_key, order.id)?;
        queries::lock_cart(conn, cart.id)?;
        Ok(Begun::Created { session, order })
    })
}

/// What became of a PaymentIntent brought to its order.
#[derive(Debug)]
pub enum Attached {
    /// The order awaits payment through it.
    Payable(OrderRow),
    /// The order was given up meanwhile; the PaymentIntent is recorded so that the sweep cancels
    /// it, and must not be handed to the shopper.
    TooLate(OrderRow),
}

/// Records the PaymentIntent that will pay for the order, if the order still awaits one.
pub fn attach_intent(
    conn: &mut PgConnection,
    order_id: Uuid,
    intent: &Intent,
) -> Result<Attached, ApiError> {
    conn.transaction(|conn| {
        let order = queries::lock_order(conn, order_id)?
            .ok_or_else(|| ApiError::Internal(format!("order {order_id} vanished")))?;
        if let Some(attached) = &order.payment_intent_id {
            if attached != &intent.id {
                return Err(ApiError::Internal(format!(
                    "order {order_id} has PaymentIntent {attached}, not {}",
                    intent.id
                )));
            }
            return Ok(if order.status == "pending_payment" {
                Attached::Payable(order)
            } else {
                Attached::TooLate(order)
            });
        }
        let payable = order.status == "pending_payment";
        let client_secret = intent.client_secret.clone().unwrap_or_default();
        let order = queries::update_order(
            conn,
            order_id,
            &OrderChanges {
                payment_intent_id: Some(&intent.id),
                client_secret: payable.then_some(client_secret.as_str()),
                payment_status: Some(&intent.status),
                intent_cleanup: (!payable).then_some(true),
                ..OrderChanges::default()
            },
        )?;
        Ok(if payable {
            Attached::Payable(order)
        } else {
            Attached::TooLate(order)
        })
    })
}

/// Undoes `begin` after Stripe refused the PaymentIntent: stock back, order gone, cart open
/// again. An order that has a PaymentIntent by now (a replay attached one) is kept.
pub fn abandon(conn: &mut PgConnection, order_id: Uuid) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(());
        };
        if order.payment_intent_id.is_some() || order.status != "pending_payment" {
            return Ok(());
        }
        queries::release_stock(conn, &order)?;
        queries::delete_order(conn, order.id)?;
        if let Some(cart_id) = order.cart_id {
            queries::reopen_cart(conn, cart_id, order.id)?;
        }
        Ok(())
    })
}

/// Ends a checkout whose PaymentIntent call had no answer: Stripe may have made one, so the
/// order stays, cancelled, with its stock back and its cart open, until the sweep has found and
/// cancelled that PaymentIntent. Unless a replay attached a PaymentIntent meanwhile.
pub fn give_up(conn: &mut PgConnection, order_id: Uuid) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(());
        };
        if order.payment_intent_id.is_some() || order.status != "pending_payment" {
            return Ok(());
        }
        crate::services::stripe_events::cancel(conn, &order, None)?;
        queries::update_order(
            conn,
            order.id,
            &OrderChanges {
                intent_cleanup: Some(true),
                ..OrderChanges::default()
            },
        )?;
        Ok(())
    })
}

/// What `start` answers.
#[derive(Debug)]
pub struct Started {
    pub session: SessionRow,
    pub order: OrderRow,
    /// The Idempotency-Key was used before: the same session as then.
    pub replayed: bool,
}

/// A checkout from the request to the PaymentIntent: replays, recovery after a crash, and
/// Stripe's failures, each leaving every PaymentIntent with its order.
pub async fn start(
    pool: &Pool,
    payments: &Payments,
    request: CheckoutRequest,
    rules: CheckoutRules,
) -> Result<Started, ApiError> {
    let begun = db::run(pool, move |conn| begin(conn, &request, &rules)).await?;
    let (session, order, replayed) = match begun {
        Begun::Replayed {
            session,
            order,
            age,
        } => {
            if order.payment_intent_id.is_some() || order.status != "pending_payment" {
                return Ok(Started {
                    session,
                    order,
                    replayed: true,
                });
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
    let total = Money::new(order.total_amount, stored_currency(&order.currency)?);
    let order_id = order.id;
    let intent = match payments.create_intent(order_id, total).await {
        Ok(intent) => intent,
        Err(err) => {
            if err.outcome_unknown() {
                db::run(pool, move |conn| give_up(conn, order_id)).await?;
            } else if !replayed {
                db::run(pool, move |conn| abandon(conn, order_id)).await?;
            }
            return Err(err.into());
        }
    };
    match db::run(pool, move |conn| attach_intent(conn, order_id, &intent)).await? {
        Attached::Payable(order) => Ok(Started {
            session,
            order,
            replayed,
        }),
        Attached::TooLate(_) => Err(ApiError::Conflict(
            "this checkout was given up after the payment provider did not answer; start a new one"
                .into(),
        )),
    }
}

/// The order, if `secret` is its secret; otherwise the same 404 as a missing order.
pub fn read_order(
    conn: &mut PgConnection,
    order_id: Uuid,
    secret: Option<&str>,
) -> Result<(OrderRow, Vec<OrderLineRow>), ApiError> {
    let not_found = || ApiError::NotFound("no such order".into());
    let order = queries::find_order(conn, order_id)?.ok_or_else(not_found)?;
    let secret = secret.ok_or_else(not_found)?;
    if !bool::from(secret_digest(secret).ct_eq(&order.secret_hash)) {
        return Err(not_found());
    }
    let lines = queries::order_lines(conn, order.id)?;
    Ok((order, lines))
}

pub fn read_session(
    conn: &mut PgConnection,
    session_id: Uuid,
    secret: Option<&str>,
) -> Result<(SessionRow, OrderRow), ApiError> {
    let session = queries::find_session(conn, session_id)?
        .ok_or_else(|| ApiError::NotFound("no such checkout session".into()))?;
    let (order, _) = read_order(conn, session.order_id, secret)
        .map_err(|_| ApiError::NotFound("no such checkout session".into()))?;
    Ok((session, order))
}
