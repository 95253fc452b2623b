//! Guest carts: the service the cart routes call. Every amount is computed here from the
//! catalog's current prices; the cart's view is what the API answers.

mod delivery;
mod merge;
mod pricing;
mod promotion;
mod store;
mod view;

use std::time::Duration;

use uuid::Uuid;

pub use self::delivery::{
    ShippingMethodInput, ShippingOptions, clear_billing_address, set_billing_address,
    set_shipping_address, set_shipping_method, shipping_options,
};
pub use self::pricing::{
    CartTotals, ShippingOption, TaxLineView, price_cart, promotion_standing, receipt_tax_lines,
    tax_line_view,
};
pub use self::promotion::{CartPromotion, apply_promotion, remove_promotion};
pub use self::store::{found_cart, locked_cart, secret_digest, snapshot as snapshot_of};
pub use self::view::{Cart, CartLine, CartNotice, CartNoticeCode, CreatedCart, LineAvailability};
use crate::db::carts::{CartRow, LineDetail};
use crate::db::promotions::PromotionRow;
use crate::db::shipping::RateRow;
use crate::db::{self, Pool};
use crate::domain::currency::Currency;
use crate::domain::pricing::TaxMode;
use crate::domain::tax::CountryTax;
use crate::error::ApiError;
use crate::settings::Settings;

/// At most this many distinct variants in one cart.
pub const MAX_LINES: i64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct CartRules {
    pub idle_ttl: Duration,
    pub max_line_quantity: i32,
}

/// A cart as read inside one transaction: its row, its lines with current catalog data, and
/// what its address means for shipping and tax.
#[derive(Debug)]
pub struct CartSnapshot {
    pub cart: CartRow,
    pub lines: Vec<LineDetail>,
    pub delivery: Delivery,
    /// The promotion whose code the cart carries, whether or not the cart meets its terms now.
    pub promotion: Option<PromotionRow>,
    /// What this request changed that the shopper did not ask for.
    pub notices: Vec<CartNotice>,
}

/// Shipping and tax where the cart goes.
#[derive(Debug, Default)]
pub struct Delivery {
    /// The chosen rate, while it is still offered for the address.
    pub rate: Option<RateRow>,
    /// A rate was chosen that is no longer offered there (the admin changed the zone or rate).
    pub rate_withdrawn: bool,
    /// The tax of the address's country; `None` without an address or where the shop charges
    /// none.
    pub tax: Option<CountryTax>,
}

/// The caller's claim to a cart: its id and the secret handed out at creation.
#[derive(Debug, Clone)]
pub struct CartKey {
    pub id: Uuid,
    pub secret: Option<String>,
}

/// The `If-Match` precondition of a write: the cart version the client last saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    None,
    Version(i64),
    /// An `If-Match` that names no version we could ever have.
    Unsatisfiable,
}

/// The shop's currency and rules every cart follows.
#[derive(Debug, Clone, Copy)]
pub struct CartConfig {
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub rules: CartRules,
}

impl CartConfig {
    pub fn from_settings(settings: &Settings) -> Self {
        CartConfig {
            currency: settings.shop_currency,
            tax_mode: settings.tax_mode,
            rules: CartRules {
                idle_ttl: settings.carts.idle_ttl,
                max_line_quantity: settings.carts.max_line_quantity,
            },
        }
    }
}

/// Runs `change` on the locked, open cart at the client's version, and answers the cart as the
/// change left it.
pub(crate) async fn change_cart(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    change: impl FnOnce(&mut diesel::PgConnection, &CartRow) -> Result<(), ApiError> + Send + 'static,
) -> Result<Cart, ApiError> {
    let snapshot = db::run(pool, move |conn| {
        store::write(conn, &key, precondition, config.rules, change)
    })
    .await?;
    view::cart(snapshot, config)
}

/// The account's cart with the guest cart `guest` joined into it (see [`merge`]), and the secret
/// that opens it, which `secret_of` derives from the account and the cart's id.
pub async fn account_cart(
    pool: &Pool,
    config: CartConfig,
    customer_id: uuid::Uuid,
    guest: Option<CartKey>,
    secret_of: impl Fn(&crate::db::customers::CustomerRow, uuid::Uuid) -> Result<String, ApiError>
    + Send
    + 'static,
) -> Result<(String, Cart), ApiError> {
    let (secret, snapshot) = db::run(pool, move |conn| {
        merge::account_cart(conn, customer_id, guest.as_ref(), secret_of, config)
    })
    .await?;
    Ok((secret, view::cart(snapshot, config)?))
}

/// A new, empty cart in the shop's currency, with the secret that opens it.
pub async fn create(pool: &Pool, config: CartConfig) -> Result<CreatedCart, ApiError> {
    let (secret, snapshot) = db::run(pool, move |conn| {
        store::create(conn, config.currency, config.rules)
    })
    .await?;
    Ok(CreatedCart {
        secret,
        cart: view::cart(snapshot, config)?,
    })
}

pub async fn read(pool: &Pool, config: CartConfig, key: CartKey) -> Result<Cart, ApiError> {
    view::cart(
        db::run(pool, move |conn| store::read(conn, &key)).await?,
        config,
    )
}

/// Adds units of a variant; a variant already in the cart gets the units added to its line.
pub async fn add_item(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    variant_id: Uuid,
    quantity: i32,
) -> Result<Cart, ApiError> {
    view::cart(
        db::run(pool, move |conn| {
            store::add_item(conn, &key, precondition, variant_id, quantity, config.rules)
        })
        .await?,
        config,
    )
}

/// Sets a line's quantity; 0 removes the line.
pub async fn set_quantity(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    line_id: Uuid,
    quantity: i32,
) -> Result<Cart, ApiError> {
    view::cart(
        db::run(pool, move |conn| {
            store::set_quantity(conn, &key, precondition, line_id, quantity, config.rules)
        })
        .await?,
        config,
    )
}

pub async fn remove_line(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
    line_id: Uuid,
) -> Result<Cart, ApiError> {
    view::cart(
        db::run(pool, move |conn| {
            store::remove_line(conn, &key, precondition, line_id, config.rules)
        })
        .await?,
        config,
    )
}

pub async fn clear(
    pool: &Pool,
    config: CartConfig,
    key: CartKey,
    precondition: Precondition,
) -> Result<Cart, ApiError> {
    view::cart(
        db::run(pool, move |conn| {
            store::clear(conn, &key, precondition, config.rules)
        })
        .await?,
        config,
    )
}
