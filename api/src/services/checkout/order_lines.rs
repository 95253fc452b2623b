//! What a checkout takes from the cart: the order's lines and figures, priced as the cart shows
//! them, the stock they need, and a redemption of the cart's promotion. Each runs inside `begin`'s
//! transaction, so a refusal leaves nothing taken.

use diesel::prelude::*;
use uuid::Uuid;

use super::CheckoutRules;
use crate::db::carts::LineDetail;
use crate::db::orders::{NewOrderLine, OrderPricing};
use crate::db::promotions::{self, PromotionRow};
use crate::db::stock;
use crate::domain::catalog::sellable;
use crate::domain::money::Money;
use crate::domain::pricing::TaxMode;
use crate::domain::promotion::Refusal;
use crate::domain::tax::{Breakdown, ReceiptShipping};
use crate::error::{ApiError, StockShortage};
use crate::services::carts::{CartSnapshot, price_cart, promotion_standing, receipt_tax_lines};
use crate::services::promotions::refused;

/// The refusal of a checkout that asks for more than there is.
pub(super) fn insufficient_stock(shortages: Vec<StockShortage>) -> ApiError {
    let names: Vec<String> = shortages
        .iter()
        .map(|s| format!("{} ({} available)", s.sku, s.available))
        .collect();
    ApiError::InsufficientStock {
        detail: format!("not enough stock for {}", names.join(", ")),
        shortages,
    }
}

/// The order's lines and figures, priced as the cart shows them, with every line's stock
/// reserved; refused whole when the cart lacks an address or a shipping method, holds what can
/// no longer be sold, or more than there is.
pub(super) fn price_and_reserve(
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
        return Err(insufficient_stock(shortages));
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
pub(super) fn redeem_promotion(
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
