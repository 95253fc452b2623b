//! Cart operations in the database. Each runs in one transaction that first locks the cart, so
//! concurrent requests on one cart apply one after the other and every change is seen by the next.

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{CartKey, CartRules, CartSnapshot, Delivery, MAX_LINES, Precondition};
use crate::db::carts::{self as queries, CartRow};
use crate::db::catalog;
use crate::db::promotions;
use crate::db::shipping::{self, RateRow};
use crate::domain::catalog::{Unsellable, sellable};
use crate::domain::country::Country;
use crate::domain::currency::Currency;
use crate::domain::status::CartStatus;
use crate::error::{ApiError, StockShortage};
use crate::services::taxes::{ShopRates, TaxCalculator};

pub fn secret_digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// 256 random bits, hex-encoded.
pub fn new_secret() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random source: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn cart_not_found() -> ApiError {
    ApiError::NotFound("no such cart, or it has expired".into())
}

/// A wrong or missing secret looks exactly like a cart that does not exist.
fn authorize(found: Option<CartRow>, secret: Option<&str>) -> Result<CartRow, ApiError> {
    let cart = found.ok_or_else(cart_not_found)?;
    let secret = secret.ok_or_else(cart_not_found)?;
    if bool::from(secret_digest(secret).ct_eq(&cart.secret_hash)) {
        Ok(cart)
    } else {
        Err(cart_not_found())
    }
}

/// The cart, locked until the transaction ends, if the key opens it.
pub fn locked_cart(conn: &mut PgConnection, key: &CartKey) -> Result<CartRow, ApiError> {
    authorize(
        queries::lock_live_cart(conn, key.id)?,
        key.secret.as_deref(),
    )
}

/// The cart as last committed, without a lock, if the key opens it.
pub fn found_cart(conn: &mut PgConnection, key: &CartKey) -> Result<CartRow, ApiError> {
    authorize(
        queries::find_live_cart(conn, key.id)?,
        key.secret.as_deref(),
    )
}

/// The cart with its lines and what its address means for shipping and tax.
pub fn snapshot(conn: &mut PgConnection, cart: CartRow) -> Result<CartSnapshot, ApiError> {
    let lines = queries::line_details(conn, cart.id)?;
    let delivery = delivery(conn, &cart)?;
    let promotion = match cart.promotion_id {
        Some(id) => promotions::find(conn, id)?,
        None => None,
    };
    Ok(CartSnapshot {
        cart,
        lines,
        delivery,
        promotion,
        notices: Vec::new(),
    })
}

/// The rate `id` if it is offered for deliveries to `country` in a cart of `cart`'s currency.
pub(super) fn offered(
    conn: &mut PgConnection,
    id: Uuid,
    country: Country,
    cart: &CartRow,
) -> Result<Option<RateRow>, ApiError> {
    Ok(shipping::offered_rate(conn, id, country, cart.currency)?)
}

/// Shipping and tax where the cart goes: nothing to look up until it has an address.
fn delivery(conn: &mut PgConnection, cart: &CartRow) -> Result<Delivery, ApiError> {
    let Some(address) = &cart.shipping_address else {
        return Ok(Delivery::default());
    };
    let tax = ShopRates.tax_for(conn, address.country)?;
    let rate = match cart.shipping_rate_id {
        Some(id) => offered(conn, id, address.country, cart)?,
        None => None,
    };
    Ok(Delivery {
        rate_withdrawn: cart.shipping_rate_id.is_some() && rate.is_none(),
        rate,
        tax,
    })
}

pub fn create(
    conn: &mut PgConnection,
    currency: Currency,
    rules: CartRules,
) -> Result<(String, CartSnapshot), ApiError> {
    let secret = new_secret()?;
    let cart = queries::insert_cart(conn, &secret_digest(&secret), currency, rules.idle_ttl)?;
    Ok((
        secret,
        CartSnapshot {
            cart,
            lines: Vec::new(),
            delivery: Delivery::default(),
            promotion: None,
            notices: Vec::new(),
        },
    ))
}

pub fn read(conn: &mut PgConnection, key: &CartKey) -> Result<CartSnapshot, ApiError> {
    let cart = found_cart(conn, key)?;
    snapshot(conn, cart)
}

/// Runs `change` on the locked, open cart, then records the new version.
pub(super) fn write(
    conn: &mut PgConnection,
    key: &CartKey,
    precondition: Precondition,
    rules: CartRules,
    change: impl FnOnce(&mut PgConnection, &CartRow) -> Result<(), ApiError>,
) -> Result<CartSnapshot, ApiError> {
    conn.transaction(|conn| {
        let cart = locked_cart(conn, key)?;
        if cart.status != CartStatus::Open {
            return Err(ApiError::Locked(
                "this cart has gone to checkout and can no longer change".into(),
            ));
        }
        match precondition {
            Precondition::Version(v) if v == cart.version => {}
            Precondition::None => {}
            Precondition::Version(_) | Precondition::Unsatisfiable => {
                return Err(ApiError::PreconditionFailed(format!(
                    "the cart changed since; its version is now {}",
                    cart.version
                )));
            }
        }
        change(conn, &cart)?;
        let cart = queries::touch(conn, cart.id, rules.idle_ttl)?;
        snapshot(conn, cart)
    })
}

fn check_quantity(quantity: i32, min: i32, rules: CartRules) -> Result<(), ApiError> {
    if (min..=rules.max_line_quantity).contains(&quantity) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "quantity",
            format!("must be from {min} to {}", rules.max_line_quantity),
        ))
    }
}

/// The variant may be sold in this cart at this quantity; returns its current unit price.
pub(super) fn check_variant(
    conn: &mut PgConnection,
    cart: &CartRow,
    variant_id: Uuid,
    quantity: i32,
    rules: CartRules,
) -> Result<i64, ApiError> {
    check_quantity(quantity, 1, rules)?;
    let unavailable =
        || ApiError::invalid("variant_id", format!("no purchasable variant {variant_id}"));
    let (variant, product_active) =
        catalog::find_variant_for_sale(conn, variant_id)?.ok_or_else(unavailable)?;
    match sellable(
        variant.active,
        product_active,
        variant.currency,
        cart.currency,
    ) {
        Ok(()) => {}
        Err(Unsellable::Withdrawn) => return Err(unavailable()),
        Err(Unsellable::PricedIn(currency)) => {
            return Err(ApiError::invalid(
                "variant_id",
                format!(
                    "{} is priced in {currency}, this cart in {}",
                    variant.sku, cart.currency
                ),
            ));
        }
    }
    let available = variant.available();
    if quantity > available {
        return Err(ApiError::InsufficientStock {
            detail: format!(
                "only {available} of {} ({}) can be bought now",
                variant.sku, variant.title
            ),
            shortages: vec![StockShortage {
                variant_id,
                sku: variant.sku,
                requested: i64::from(quantity),
                available: i64::from(available),
            }],
        });
    }
    Ok(variant.price_amount)
}

/// Adds units of a variant; a variant already in the cart gets the units added to its line.
pub fn add_item(
    conn: &mut PgConnection,
    key: &CartKey,
    precondition: Precondition,
    variant_id: Uuid,
    quantity: i32,
    rules: CartRules,
) -> Result<CartSnapshot, ApiError> {
    check_quantity(quantity, 1, rules)?;
    write(conn, key, precondition, rules, |conn, cart| {
        let existing = queries::find_line_for_variant(conn, cart.id, variant_id)?;
        if existing.is_none() && queries::count_lines(conn, cart.id)? >= MAX_LINES {
            return Err(ApiError::unprocessable(format!(
                "a cart holds at most {MAX_LINES} different variants"
            )));
        }
        let total = existing.map_or(0, |line| line.quantity) + quantity;
        let unit_amount = check_variant(conn, cart, variant_id, total, rules)?;
        queries::put_line(conn, cart.id, variant_id, total, unit_amount)?;
        Ok(())
    })
}

fn line_not_found(line_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("this cart has no line {line_id}"))
}

/// Sets a line's quantity; 0 removes the line.
pub fn set_quantity(
    conn: &mut PgConnection,
    key: &CartKey,
    precondition: Precondition,
    line_id: Uuid,
    quantity: i32,
    rules: CartRules,
) -> Result<CartSnapshot, ApiError> {
    check_quantity(quantity, 0, rules)?;
    write(conn, key, precondition, rules, |conn, cart| {
        let line =
            queries::find_line(conn, cart.id, line_id)?.ok_or_else(|| line_not_found(line_id))?;
        if quantity == 0 {
            queries::delete_line(conn, cart.id, line_id)?;
            return Ok(());
        }
        let unit_amount = check_variant(conn, cart, line.variant_id, quantity, rules)?;
        queries::put_line(conn, cart.id, line.variant_id, quantity, unit_amount)?;
        Ok(())
    })
}

pub fn remove_line(
    conn: &mut PgConnection,
    key: &CartKey,
    precondition: Precondition,
    line_id: Uuid,
    rules: CartRules,
) -> Result<CartSnapshot, ApiError> {
    write(
        conn,
        key,
        precondition,
        rules,
        |conn, cart| match queries::delete_line(conn, cart.id, line_id)? {
            0 => Err(line_not_found(line_id)),
            _ => Ok(()),
        },
    )
}

pub fn clear(
    conn: &mut PgConnection,
    key: &CartKey,
    precondition: Precondition,
    rules: CartRules,
) -> Result<CartSnapshot, ApiError> {
    write(conn, key, precondition, rules, |conn, cart| {
        queries::delete_all_lines(conn, cart.id)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_checked_exactly() {
        let a = new_secret().expect("secret");
        let b = new_secret().expect("secret");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        let cart = CartRow {
            id: Uuid::nil(),
            secret_hash: secret_digest(&a),
            currency: Currency::parse("EUR").unwrap(),
            status: CartStatus::Open,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            expires_at: chrono::Utc::now(),
            shipping_address: None,
            billing_address: None,
            shipping_rate_id: None,
            promotion_id: None,
            customer_id: None,
        };
        assert!(authorize(Some(cart.clone()), Some(&a)).is_ok());
        assert!(authorize(Some(cart.clone()), Some(&b)).is_err());
        assert!(authorize(Some(cart.clone()), None).is_err());
        let mut off_by_one = a.clone();
        off_by_one.pop();
        off_by_one.push(if a.ends_with('0') { '1' } else { '0' });
        assert!(authorize(Some(cart), Some(&off_by_one)).is_err());
    }
}
