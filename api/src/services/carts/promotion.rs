//! The promotion code on a cart: one at a time, checked against the cart as it is when applied
//! and whenever the cart is priced; redeemed only at checkout.

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::view::Cart;
use super::{CartConfig, CartKey, Precondition, change_cart};
use crate::db::Pool;
use crate::db::carts as queries;
use crate::db::promotions::{self, PromotionRow};
use crate::domain::money::{Money, MoneyView};
use crate::domain::promotion::{self as rules, Offer, Refusal};
use crate::domain::tax::percent_of_basis_points;
use crate::error::ApiError;
use crate::services::promotions::refused;

/// The code a cart carries, and what it takes off.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartPromotion {
    #[schema(example = "SUMMER10")]
    pub code: String,
    /// As a shopper reads it: "10 % off", "€5.00 off".
    #[schema(example = "10 % off")]
    pub description: String,
    /// Whether the cart as it stands may use it; when not, `notices` says why and no discount is
    /// counted.
    pub applies: bool,
    /// Taken off the merchandise; the same as `totals.discount`.
    pub discount: MoneyView,
}

pub(super) fn description(promotion: &PromotionRow) -> String {
    match promotion.offer() {
        Offer::PercentOff(basis_points) => {
            format!("{} off", percent_of_basis_points(basis_points))
        }
        Offer::AmountOff(amount) => format!("{amount} off"),
    }
}

/// The cart's subtotal in its currency, before any discount.
fn subtotal(conn: &mut diesel::PgConnection, cart: &queries::CartRow) -> Result<i64, ApiError> {
    Ok(queries::line_details(conn, cart.id)?
        .iter()
        .filter(|line| line.currency == cart.currency)
        .map(|line| line.price_amount * i64::from(line.line.quantity))
        .sum())
}

/// Puts `code` on the cart in place of any code it had, if the cart may use it now.
pub async fn apply_promotion(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    code: String,
) -> Result<Cart, ApiError> {
    change_cart(pool, config, key, precondition, move |conn, cart| {
        let typed = code.trim().chars().take(64).collect::<String>();
        let Ok(normalized) = rules::code("code", &code) else {
            return Err(refused(&typed, Refusal::Unknown));
        };
        let promotion = promotions::find_by_code(conn, &normalized)?
            .filter(|promotion| promotion.currency == cart.currency)
            .ok_or_else(|| refused(&normalized, Refusal::Unknown))?;
        let subtotal = Money::new(subtotal(conn, cart)?, cart.currency);
        promotion
            .terms()
            .admits(Utc::now(), subtotal)
            .map_err(|refusal| refused(&normalized, refusal))?;
        queries::set_promotion(conn, cart.id, Some(promotion.id))?;
        Ok(())
    })
    .await
}

/// Takes `code` off the cart.
pub async fn remove_promotion(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    code: String,
) -> Result<Cart, ApiError> {
    change_cart(pool, config, key, precondition, move |conn, cart| {
        let carried = match cart.promotion_id {
            Some(id) => promotions::find(conn, id)?,
            None => None,
        };
        match carried {
            Some(promotion) if promotion.code.eq_ignore_ascii_case(code.trim()) => {
                queries::set_promotion(conn, cart.id, None)?;
                Ok(())
            }
            _ => Err(ApiError::NotFound(
                "this cart carries no such promotion code".into(),
            )),
        }
    })
    .await
}
