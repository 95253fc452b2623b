//! Where a cart goes and how: its addresses, the shipping options for its address, and the
//! option chosen. Each write locks the cart like any other cart change.

use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::pricing::{self, ShippingOption};
use super::store::{self, offered};
use super::view::{self, Cart, CartNotice, CartNoticeCode};
use super::{CartConfig, CartKey, CartSnapshot, Precondition, change_cart};
use crate::db::carts::{self as queries, CartRow};
use crate::db::shipping;
use crate::db::{self, Pool};
use crate::domain::address::{self, Address, AddressInput};
use crate::domain::catalog::Invalid;
use crate::domain::country::Country;
use crate::error::{ApiError, FieldError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rate_id": "0b6f3c55-5d0e-4b7e-9d1e-8a2c4f6b7d10"}))]
pub struct ShippingMethodInput {
    /// One of the cart's shipping options.
    pub rate_id: Uuid,
}

/// The ways to ship the cart to its address, each priced for the cart.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShippingOptions {
    /// The shipping address's country.
    pub country: Country,
    /// In the shop's display order; empty when the shop no longer ships there.
    pub options: Vec<ShippingOption>,
}

fn refused(wrong: Vec<Invalid>) -> ApiError {
    ApiError::InvalidFields(
        wrong
            .into_iter()
            .map(|invalid| FieldError {
                field: invalid.field.into(),
                message: invalid.message,
            })
            .collect(),
    )
}

fn address_needed(step: &str) -> ApiError {
    ApiError::CartIncomplete {
        detail: format!("set the cart's shipping address before {step}"),
        missing: "shipping_address",
    }
}

/// The input checked as an address the shop ships to: its country in a shipping zone.
fn shipping_address(conn: &mut PgConnection, input: &AddressInput) -> Result<Address, ApiError> {
    let zone = match Country::parse(&input.country.trim().to_ascii_uppercase()) {
        Ok(country) => shipping::zone_of(conn, country)?,
        Err(_) => None,
    };
    address::address(input, |_| zone.is_some()).map_err(refused)
}

/// Sets where the cart goes. A shipping method the new address is not offered is cleared, and
/// the answer says so.
pub async fn set_shipping_address(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    input: AddressInput,
) -> Result<Cart, ApiError> {
    let snapshot = db::run(pool, move |conn| {
        let mut cleared = false;
        let mut snapshot = store::write(conn, &key, precondition, config.rules, |conn, cart| {
            let address = shipping_address(conn, &input)?;
            let keep_rate = match cart.shipping_rate_id {
                None => true,
                Some(id) => offered(conn, id, address.country, cart)?.is_some(),
            };
            cleared = !keep_rate;
            queries::set_shipping_address(conn, cart.id, &address, keep_rate)?;
            Ok(())
        })?;
        if cleared {
            snapshot
                .notices
                .push(CartNotice::new(CartNoticeCode::ShippingMethodCleared));
        }
        Ok(snapshot)
    })
    .await?;
    view::cart(snapshot, config)
}

/// Sets where the invoice goes, in any country.
pub async fn set_billing_address(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    input: AddressInput,
) -> Result<Cart, ApiError> {
    let address = address::address(&input, |_| true).map_err(refused)?;
    change_cart(pool, config, key, precondition, move |conn, cart| {
        queries::set_billing_address(conn, cart.id, Some(&address))?;
        Ok(())
    })
    .await
}

/// Bills to the shipping address again.
pub async fn clear_billing_address(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
) -> Result<Cart, ApiError> {
    change_cart(pool, config, key, precondition, |conn, cart| {
        queries::set_billing_address(conn, cart.id, None)?;
        Ok(())
    })
    .await
}

/// The active rates of the address's zone, in the cart's currency, each priced for the cart.
fn options_for(
    conn: &mut PgConnection,
    snapshot: &CartSnapshot,
    config: CartConfig,
) -> Result<(Country, Vec<ShippingOption>), ApiError> {
    let cart: &CartRow = &snapshot.cart;
    let country = cart
        .shipping_address
        .as_ref()
        .map(|address| address.country)
        .ok_or_else(|| address_needed("asking for its shipping options"))?;
    let Some(zone) = shipping::zone_of(conn, country)? else {
        return Ok((country, Vec::new()));
    };
    let goods = pricing::price_cart(snapshot, config.tax_mode)?;
    let options = shipping::zone_rates(conn, &[zone])?
        .iter()
        .filter(|rate| rate.active && rate.currency == cart.currency)
        .map(|rate| pricing::option(rate, &goods))
        .collect::<Result<_, _>>()?;
    Ok((country, options))
}

pub async fn shipping_options(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
) -> Result<ShippingOptions, ApiError> {
    let (country, options) = db::run(pool, move |conn| {
        let snapshot = store::read(conn, &key)?;
        options_for(conn, &snapshot, config)
    })
    .await?;
    Ok(ShippingOptions { country, options })
}

/// Chooses one of the cart's shipping options.
pub async fn set_shipping_method(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    rate_id: Uuid,
) -> Result<Cart, ApiError> {
    change_cart(pool, config, key, precondition, move |conn, cart| {
        let country = cart
            .shipping_address
            .as_ref()
            .map(|address| address.country)
            .ok_or_else(|| address_needed("choosing a shipping method"))?;
        match offered(conn, rate_id, country, cart)? {
            Some(rate) => {
                queries::set_shipping_rate(conn, cart.id, Some(rate.id))?;
                Ok(())
            }
            None => Err(ApiError::invalid(
                "rate_id",
                format!("is not a shipping option for deliveries to {country}"),
            )),
        }
    })
    .await
}
