//! What the API shows of a cart: every line priced from the catalog as it is now, flagged when
//! its price changed or it can no longer be bought as it stands.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::pricing::{self, CartTotals, ShippingOption, promotion_standing};
use super::promotion::{CartPromotion, description};
use super::{CartConfig, CartSnapshot};
use crate::db::carts::LineDetail;
use crate::db::catalog::stored_images;
use crate::domain::address::Address;
use crate::domain::catalog::{Image, sellable};
use crate::domain::currency::Currency;
use crate::domain::money::{Money, MoneyView};
use crate::domain::status::CartStatus;
use crate::error::ApiError;
use crate::services::promotions::refused;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineAvailability {
    /// The quantity can be bought now.
    InStock,
    /// Fewer units are available than the line holds; see `available`.
    InsufficientStock,
    /// The variant or its product is no longer sold.
    Unavailable,
}

/// Something the server changed in the cart that the shopper did not ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CartNoticeCode {
    /// The new shipping address is in another zone: the shipping method chosen for the old one
    /// was cleared; choose one of the new address's options.
    ShippingMethodCleared,
    /// The chosen shipping method is no longer offered for the address (the shop changed its
    /// rates); choose another.
    ShippingMethodWithdrawn,
    /// The cart's promotion code does not apply to the cart as it stands (its subtotal fell
    /// below the minimum, the promotion ended or was used up); the message says which. No
    /// discount is counted, and a checkout is refused until the code is removed or applies.
    PromotionNotApplicable,
    /// Items of the cart from before signing in were added with fewer units than asked: the
    /// line's limit, or what is in stock.
    QuantityCapped,
    /// Items of the cart from before signing in are no longer sold, and were left out.
    ItemUnavailable,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartNotice {
    pub code: CartNoticeCode,
    /// Safe to show the shopper.
    #[schema(
        example = "Your shipping method does not deliver to the new address; choose another."
    )]
    pub message: String,
}

impl CartNotice {
    pub fn new(code: CartNoticeCode) -> CartNotice {
        let message = match code {
            CartNoticeCode::ShippingMethodCleared => {
                "Your shipping method does not deliver to the new address; choose another."
            }
            CartNoticeCode::ShippingMethodWithdrawn => {
                "Your shipping method is no longer offered for this address; choose another."
            }
            CartNoticeCode::PromotionNotApplicable => {
                "Your promotion code does not apply to this cart now."
            }
            CartNoticeCode::QuantityCapped => {
                "Some items from before you signed in were added with fewer units: the most one \
                 order may hold, or what is in stock."
            }
            CartNoticeCode::ItemUnavailable => {
                "Some items from before you signed in are no longer sold and were left out."
            }
        };
        CartNotice {
            code,
            message: message.to_owned(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CartLine {
    pub id: Uuid,
    pub variant_id: Uuid,
    pub product_id: Uuid,
    #[schema(example = "classic-tee")]
    pub product_slug: String,
    #[schema(example = "Classic T-Shirt")]
    pub product_name: String,
    #[schema(example = "M / White")]
    pub variant_title: String,
    #[schema(example = "TEE-WHI-M")]
    pub sku: String,
    pub image: Option<Image>,
    #[schema(example = 2)]
    pub quantity: i32,
    /// The current catalog price of one unit.
    pub unit_price: MoneyView,
    /// On sale: the price `unit_price` is compared with, shown struck through.
    pub compare_at_price: Option<MoneyView>,
    /// `unit_price` × `quantity`.
    pub line_total: MoneyView,
    /// The unit price changed since the shopper last changed this line.
    pub price_changed: bool,
    /// The unit price when the shopper last changed this line.
    pub previous_unit_price: MoneyView,
    /// Units of the variant that can be bought now.
    #[schema(example = 18)]
    pub available: i32,
    pub availability: LineAvailability,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cart {
    pub id: Uuid,
    pub status: CartStatus,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Increases with every change; also the `ETag`, and what `If-Match` compares with.
    #[schema(example = 3)]
    pub version: i64,
    pub lines: Vec<CartLine>,
    /// Units over all lines.
    #[schema(example = 3)]
    pub item_count: i64,
    /// Sum of the line totals at current prices.
    pub subtotal: MoneyView,
    /// Where the order goes; `null` until set.
    pub shipping_address: Option<Address>,
    /// Where the invoice goes: the shipping address unless one of its own was set.
    pub billing_address: Option<Address>,
    /// Whether `billing_address` is the shipping address.
    pub billing_same_as_shipping: bool,
    /// The chosen shipping method, while it is offered for the address.
    pub shipping_method: Option<ShippingOption>,
    /// The promotion code the cart carries; one at a time.
    pub promotion: Option<CartPromotion>,
    /// Discount, shipping, tax and total, as a checkout of the cart would charge them.
    pub totals: CartTotals,
    /// Changes the server made that the shopper did not ask for; empty on most answers.
    pub notices: Vec<CartNotice>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the cart is deleted unless it changes before.
    pub expires_at: DateTime<Utc>,
}

/// A new cart, with the secret that every later call must send as `Cart-Secret`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCart {
    /// Shown once; keep it (the storefront keeps it in local storage).
    #[schema(example = "4f1c2a9be0d84b7f9c3e5a6d7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708")]
    pub secret: String,
    #[serde(flatten)]
    pub cart: Cart,
}

fn line(detail: LineDetail, currency: Currency) -> Result<CartLine, ApiError> {
    let price_currency = detail.currency;
    let unit_price = Money::new(detail.price_amount, price_currency);
    let line_total = unit_price
        .checked_mul(i64::from(detail.line.quantity))
        .ok_or_else(|| ApiError::Internal("line total overflows".into()))?;
    let available = (detail.stock_on_hand - detail.stock_reserved).max(0);
    let availability = if sellable(
        detail.variant_active,
        detail.product_active,
        price_currency,
        currency,
    )
    .is_err()
    {
        LineAvailability::Unavailable
    } else if detail.line.quantity > available {
        LineAvailability::InsufficientStock
    } else {
        LineAvailability::InStock
    };
    Ok(CartLine {
        id: detail.line.id,
        variant_id: detail.line.variant_id,
        product_id: detail.product_id,
        product_slug: detail.product_slug,
        product_name: detail.product_name,
        variant_title: detail.variant_title,
        sku: detail.sku,
        image: stored_images(detail.product_images)?.into_iter().next(),
        quantity: detail.line.quantity,
        price_changed: detail.line.seen_unit_amount != detail.price_amount,
        previous_unit_price: Money::new(detail.line.seen_unit_amount, price_currency).into(),
        unit_price: unit_price.into(),
        compare_at_price: detail
            .compare_at_amount
            .map(|amount| Money::new(amount, price_currency).into()),
        line_total: line_total.into(),
        available,
        availability,
    })
}

pub(super) fn cart(snapshot: CartSnapshot, config: CartConfig) -> Result<Cart, ApiError> {
    let priced = pricing::price_cart(&snapshot, config.tax_mode)?;
    let delivery = &snapshot.delivery;
    let totals = pricing::totals(
        &priced,
        delivery.tax.as_ref(),
        snapshot.cart.shipping_address.is_none(),
    );
    let shipping_method = delivery
        .rate
        .as_ref()
        .map(|rate| pricing::option(rate, &priced))
        .transpose()?;
    let mut notices = snapshot.notices.clone();
    if delivery.rate_withdrawn {
        notices.push(CartNotice::new(CartNoticeCode::ShippingMethodWithdrawn));
    }
    let promotion = promotion_standing(&snapshot, priced.subtotal).map(|(promotion, standing)| {
        if let Err(refusal) = standing {
            notices.push(CartNotice {
                code: CartNoticeCode::PromotionNotApplicable,
                message: refused(&promotion.code, refusal)
                    .to_string()
                    .trim_start_matches("code: ")
                    .to_owned(),
            });
        }
        CartPromotion {
            code: promotion.code.clone(),
            description: description(promotion),
            applies: standing.is_ok(),
            discount: Money::new(priced.discount, snapshot.cart.currency).into(),
        }
    });
    let CartSnapshot { cart, lines, .. } = snapshot;
    let currency = cart.currency;
    let lines = lines
        .into_iter()
        .map(|detail| line(detail, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let mut subtotal = Money::new(0, currency);
    for line in &lines {
        subtotal = subtotal
            .checked_add(Money::new(line.line_total.amount, currency))
            .ok_or_else(|| ApiError::Internal("cart subtotal overflows".into()))?;
    }
    Ok(Cart {
        id: cart.id,
        status: cart.status,
        currency: currency.code().to_owned(),
        version: cart.version,
        item_count: lines.iter().map(|l| i64::from(l.quantity)).sum(),
        lines,
        subtotal: subtotal.into(),
        billing_same_as_shipping: cart.billing_address.is_none(),
        billing_address: cart
            .billing_address
            .or_else(|| cart.shipping_address.clone()),
        shipping_address: cart.shipping_address,
        shipping_method,
        promotion,
        totals,
        notices,
        created_at: cart.created_at,
        updated_at: cart.updated_at,
        expires_at: cart.expires_at,
    })
}
