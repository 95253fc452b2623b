//! The checkout's transactions: `begin` turns a cart into an order with its stock reserved, and
//! attach, abandon and give-up settle what became of its PaymentIntent. Each takes the order's
//! row lock and looks at what the others did.

use std::net::IpAddr;
use std::time::Duration;

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::order_lines::{insufficient_stock, price_and_reserve, redeem_promotion};
use super::{CheckoutRequest, CheckoutRules, order_secret};
use crate::db::carts::{self as cart_queries, CartRow};
use crate::db::checkout_sessions::{self as sessions, SessionRow};
use crate::db::customers;
use crate::db::orders::{self as queries, NewOrder, OrderChanges, OrderRow};
use crate::db::promotions;
use crate::db::stock;
use crate::domain::status::{CartStatus, OrderStatus};
use crate::error::{ApiError, StockShortage};
use crate::payments::Intent;
use crate::services::carts::{found_cart, locked_cart, secret_digest, snapshot_of};

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

/// Who buys: a guest's cart needs the email given; an account's cart is bought with the account's
/// address, and one given must be it.
fn buyer(
    conn: &mut PgConnection,
    cart: &CartRow,
    given: Option<&str>,
) -> Result<(String, Option<Uuid>), ApiError> {
    let Some(customer_id) = cart.customer_id else {
        let email = given.ok_or_else(|| ApiError::invalid("email", "is required"))?;
        return Ok((email.to_owned(), None));
    };
    let account = customers::find(conn, customer_id)?
        .filter(|account| account.email_verified_at.is_some())
        .ok_or_else(|| ApiError::NotFound("no such cart, or it has expired".into()))?;
    if given.is_some_and(|email| email.to_lowercase() != account.email) {
        return Err(ApiError::invalid(
            "email",
            "must be your account's address, or left out",
        ));
    }
    Ok((account.email, Some(customer_id)))
}

/// Refuses, before `begin` takes a lock, a checkout whose cart asks for more than is left by the
/// last committed figures. Once a flash sale has sold out, each shopper still pressing "pay" costs
/// three plain reads on a pooled connection (a cart that can be served, two), instead of a
/// transaction that queues on their cart's row and their client's count. `begin`'s conditional reservation stays the guarantee; this
/// refuses only what it would refuse. A replayed Idempotency-Key, and any cart `begin` would
/// refuse for another reason, are left to `begin`.
pub(super) fn refuse_sold_out(
    conn: &mut PgConnection,
    request: &CheckoutRequest,
) -> Result<(), ApiError> {
    let cart = found_cart(conn, &request.cart)?;
    if cart.status != CartStatus::Open {
        return Ok(());
    }
    let shortages: Vec<StockShortage> = stock::cart_shortfalls(conn, cart.id)?
        .into_iter()
        .map(|shortfall| StockShortage {
            variant_id: shortfall.variant_id,
            sku: shortfall.sku,
            requested: i64::from(shortfall.requested),
            available: i64::from(shortfall.available),
        })
        .collect();
    // The key is looked up only for a cart to refuse: a checkout it already made is answered
    // again by the transaction, not refused.
    if shortages.is_empty()
        || sessions::find_session_by_key(conn, cart.id, &request.idempotency_key)?.is_some()
    {
        Ok(())
    } else {
        Err(insufficient_stock(shortages))
    }
}

pub(super) fn begin(
    conn: &mut PgConnection,
    request: &CheckoutRequest,
    rules: &CheckoutRules,
) -> Result<Begun, ApiError> {
    let cart_secret = request.cart.secret.clone().unwrap_or_default();
    conn.transaction(|conn| {
        let cart = locked_cart(conn, &request.cart)?;
        if let Some(session) =
            sessions::find_session_by_key(conn, cart.id, &request.idempotency_key)?
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
        if cart.status != CartStatus::Open {
            return Err(ApiError::Locked(
                "a checkout for this cart is already in progress or done".into(),
            ));
        }
        let (email, customer_id) = buyer(conn, &cart, request.email.as_deref())?;
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
        let snapshot = snapshot_of(conn, cart)?;
        let (order_lines, priced, total) = price_and_reserve(conn, &snapshot, rules)?;
        let promotion = snapshot.promotion.clone();
        let cart = snapshot.cart;

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
                email: email.clone(),
                currency: cart.currency,
                total_amount: total.amount(),
                reserved_until,
                reservation_limit,
                client_key: Some(client_key),
                customer_id,
                priced,
            },
            order_lines,
        )?;
        redeem_promotion(conn, &promotion, order.id, &email)?;
        let session = sessions::insert_session(conn, cart.id, &request.idempotency_key, order.id)?;
        cart_queries::lock_cart(conn, cart.id)?;
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
            return Ok(if order.status == OrderStatus::PendingPayment {
                Attached::Payable(order)
            } else {
                Attached::TooLate(order)
            });
        }
        let payable = order.status == OrderStatus::PendingPayment;
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
pub(super) fn abandon(conn: &mut PgConnection, order_id: Uuid) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(());
        };
        if order.payment_intent_id.is_some() || order.status != OrderStatus::PendingPayment {
            return Ok(());
        }
        stock::release_stock(conn, &order)?;
        promotions::release_redemption(conn, order.id)?;
        queries::delete_order(conn, order.id)?;
        if let Some(cart_id) = order.cart_id {
            cart_queries::reopen_cart(conn, cart_id, order.id)?;
        }
        Ok(())
    })
}

/// Ends a checkout whose PaymentIntent call had no answer: Stripe may have made one, so the
/// order stays, cancelled, with its stock back and its cart open, until the sweep has found and
/// cancelled that PaymentIntent. Unless a replay attached a PaymentIntent meanwhile.
pub(super) fn give_up(conn: &mut PgConnection, order_id: Uuid) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        let Some(order) = queries::lock_order(conn, order_id)? else {
            return Ok(());
        };
        if order.payment_intent_id.is_some() || order.status != OrderStatus::PendingPayment {
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
