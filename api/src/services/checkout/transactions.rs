//! The checkout's transactions: `begin` turns a cart into an order with its stock reserved, and
//! attach, abandon and give-up settle what became of its PaymentIntent. Each takes the order's
//! row lock and looks at what the others did.

use std::net::IpAddr;
use std::time::Duration;

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{CheckoutRequest, CheckoutRules, order_secret};
use crate::db::carts as cart_queries;
use crate::db::carts::LineDetail;
use crate::db::checkout_sessions::{self as sessions, SessionRow};
use crate::db::orders::{
    self as queries, NewOrder, NewOrderLine, OrderChanges, OrderPricing, OrderRow,
};
use crate::db::promotions::{self, PromotionRow};
use crate::db::stock;
use crate::domain::catalog::sellable;
use crate::domain::money::Money;
use crate::domain::pricing::TaxMode;
use crate::domain::promotion::Refusal;
use crate::domain::status::{CartStatus, OrderStatus};
use crate::domain::tax::{Breakdown, ReceiptShipping};
use crate::error::{ApiError, StockShortage};
use crate::payments::Intent;
use crate::services::carts::{
    CartSnapshot, locked_cart, price_cart, promotion_standing, receipt_tax_lines, secret_digest,
    snapshot_of,
};
use crate::services::promotions::refused;

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
                email: request.email.clone(),
                currency: cart.currency,
                total_amount: total.amount(),
                reserved_until,
                reservation_limit,
                client_key: Some(client_key),
                priced,
            },
            order_lines,
        )?;
        redeem_promotion(conn, &promotion, order.id, &request.email)?;
        let session = sessions::insert_session(conn, cart.id, &request.idempotency_key, order.id)?;
        cart_queries::lock_cart(conn, cart.id)?;
        Ok(Begun::Created { session, order })
    })
}

/// The order's lines and figures, priced as the cart shows them, with every line's stock
/// reserved; refused whole when the cart lacks an address or a shipping method, holds what can
/// no longer be sold, or more than there is.
fn price_and_reserve(
    conn: &mut PgConnection,
    snapshot: &CartSnapshot,
    rules: &CheckoutRules,
) -> Result<(Vec<NewOrderLine>, OrderPricing, Money), ApiError> {
    let cart = &snapshot.cart;
    if snapshot.lines.is_empty() {
        return Err(ApiError::unprocessable("the cart is empty"));
    }
    let address = cart
        .shipping_address
        .clone()
        .ok_or_else(|| ApiError::CartIncomplete {
            detail: "set a shipping address before checking out".into(),
            missing: "shipping_address",
        })?;
    let rate = snapshot
        .delivery
        .rate
        .as_ref()
        .ok_or_else(|| ApiError::CartIncomplete {
            detail: if snapshot.delivery.rate_withdrawn {
                "the chosen shipping method is no longer offered for this address; choose another"
            } else {
                "choose a shipping method before checking out"
            }
            .into(),
            missing: "shipping_method",
        })?;
    for line in &snapshot.lines {
        if line.line.quantity > rules.max_units_per_variant {
            return Err(ApiError::invalid(
                "quantity",
                format!(
                    "at most {} of {} per order",
                    rules.max_units_per_variant, line.sku
                ),
            ));
        }
        if sellable(
            line.variant_active,
            line.product_active,
            line.currency,
            cart.currency,
        )
        .is_err()
        {
            return Err(ApiError::unprocessable(format!(
                "{} is no longer sold; remove it from the cart",
                line.sku
            )));
        }
    }
    let pricing = price_cart(snapshot, rules.tax_mode)?;
    let promotion_code = match promotion_standing(snapshot, pricing.subtotal) {
        None => None,
        Some((promotion, Ok(()))) => Some(promotion.code.clone()),
        // The shopper saw the code's notice on the cart: no order at another price than shown.
        Some((promotion, Err(refusal))) => return Err(refused(&promotion.code, refusal)),
    };
    if pricing.lines.len() != snapshot.lines.len() {
        return Err(ApiError::Internal(
            "priced lines differ from the cart's".into(),
        ));
    }
    let total = Money::new(pricing.total, cart.currency);
    if total.amount() <= 0 {
        return Err(ApiError::unprocessable(
            "the order total must be more than zero",
        ));
    }
    if let Err(err) = total.to_stripe() {
        return Err(ApiError::unprocessable(format!("the order total: {err}")));
    }

    // A fixed order of row locks keeps concurrent checkouts from deadlocking.
    let mut by_variant: Vec<&LineDetail> = snapshot.lines.iter().collect();
    by_variant.sort_by_key(|line| line.line.variant_id);
    let mut shortages = Vec::new();
    for line in by_variant {
        if !stock::reserve(conn, line.line.variant_id, line.line.quantity)? {
            let available = crate::db::catalog::find_variant(conn, line.line.variant_id)?
                .map_or(0, |variant| variant.available());
            shortages.push(StockShortage {
                variant_id: line.line.variant_id,
                sku: line.sku.clone(),
                requested: i64::from(line.line.quantity),
                available: i64::from(available),
            });
        }
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

    let order_lines = snapshot
        .lines
        .iter()
        .zip(&pricing.lines)
        .enumerate()
        .map(|(position, (line, priced))| NewOrderLine {
            order_id: Uuid::nil(),
            variant_id: line.line.variant_id,
            sku: line.sku.clone(),
            product_name: line.product_name.clone(),
            variant_title: line.variant_title.clone(),
            unit_amount: priced.unit_price,
            compare_at_amount: priced.compare_at_price,
            quantity: line.line.quantity,
            line_amount: priced.subtotal,
            position: i32::try_from(position).unwrap_or(i32::MAX),
            discount_amount: priced.discount,
            tax_rate_bp: priced.tax_rate,
            tax_amount: priced.tax,
        })
        .collect();
    let tax = snapshot.delivery.tax.as_ref();
    let shipping = pricing.shipping.as_ref();
    let priced = OrderPricing {
        billing_address: Some(
            cart.billing_address
                .clone()
                .unwrap_or_else(|| address.clone()),
        ),
        shipping_address: Some(address),
        subtotal_amount: pricing.subtotal,
        discount_amount: pricing.discount,
        shipping_amount: shipping.map_or(0, |shipping| shipping.price),
        tax_amount: pricing.tax,
        tax_included: pricing.tax_mode == TaxMode::Inclusive,
        breakdown: Breakdown {
            shipping: shipping.map(|shipping| ReceiptShipping {
                name: rate.name.clone(),
                tax_rate_bp: shipping.tax_rate.basis_points(),
                tax_amount: shipping.tax,
            }),
            tax_lines: receipt_tax_lines(&pricing, tax),
            promotion_code,
        },
    };
    Ok((order_lines, priced, total))
}

/// Takes one of the promotion's redemptions for the order, by a conditional update that holds
/// the promotion's row until the checkout commits: of concurrent checkouts, only as many as it has
/// redemptions left get one, and the others are refused whole. Once per email is checked under
/// that lock too.
fn redeem_promotion(
    conn: &mut PgConnection,
    promotion: &Option<PromotionRow>,
    order_id: Uuid,
    email: &str,
) -> Result<(), ApiError> {
    let Some(promotion) = promotion else {
        return Ok(());
    };
    let Some(taken) = promotions::take_redemption(conn, promotion.id)? else {
        // Used up, ended or switched off since the cart was priced.
        let refusal = match promotions::find(conn, promotion.id)? {
            Some(now) if now.active => now
                .terms()
                .admits(chrono::Utc::now(), Money::new(0, now.currency))
                .err()
                .filter(|refusal| !matches!(refusal, Refusal::MinimumNotMet(_)))
                .unwrap_or(Refusal::Exhausted),
            _ => Refusal::Unknown,
        };
        return Err(refused(&promotion.code, refusal));
    };
    let email = email.to_lowercase();
    if taken.once_per_email && promotions::used_by(conn, taken.id, &email)? {
        return Err(refused(&promotion.code, Refusal::AlreadyUsed));
    }
    promotions::record_redemption(conn, order_id, taken.id, &email)?;
    Ok(())
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
