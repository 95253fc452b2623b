//! Guest carts. The server computes every amount from the catalog's current prices.

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::carts::LineDetail;
use crate::db::{self, Pool};
use crate::domain::catalog::Image;
use crate::domain::money::{Currency, Money, MoneyView};
use crate::error::{ApiError, Problem};
use crate::routes::products::{stored_currency, stored_images};
use crate::services::carts::{self, CartKey, CartRules, CartSnapshot, Precondition};
use crate::settings::Settings;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_cart)
        .service(get_cart)
        .service(add_item)
        .service(update_line)
        .service(remove_line)
        .service(clear_cart);
}

/// What the cart handlers need from the settings.
#[derive(Debug, Clone, Copy)]
pub struct CartConfig {
    pub currency: Currency,
    pub rules: CartRules,
}

impl CartConfig {
    pub fn from_settings(settings: &Settings) -> Self {
        CartConfig {
            currency: settings.shop_currency,
            rules: CartRules {
                idle_ttl: settings.carts.idle_ttl,
                max_line_quantity: settings.carts.max_line_quantity,
            },
        }
    }
}

pub const CART_SECRET: &str = "cart-secret";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CartStatus {
    /// The shopper can change it.
    Open,
    /// A checkout holds it; it can no longer change.
    Locked,
    /// It was paid for.
    Closed,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"variant_id": "6f1b7c1e-3f5e-4c1e-9a59-0c4b1a8e2d11", "quantity": 2}))]
pub struct AddItem {
    pub variant_id: Uuid,
    /// Units to add, from 1 to the per-line maximum (CART_MAX_LINE_QUANTITY, 99 by default); the
    /// line's new quantity must not exceed it either.
    #[schema(minimum = 1, maximum = 99, example = 2)]
    pub quantity: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity": 3}))]
pub struct SetQuantity {
    /// The line's new quantity, up to the per-line maximum (CART_MAX_LINE_QUANTITY, 99 by
    /// default); 0 removes the line.
    #[schema(minimum = 0, maximum = 99, example = 3)]
    pub quantity: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct CartHeaders {
    /// The secret returned when the cart was created.
    #[param(rename = "Cart-Secret")]
    cart_secret: String,
    /// Optional: the cart `version` (or `ETag`) the client last saw, or `*`; a mismatch answers 412.
    #[param(
        rename = "If-Match",
        value_type = String,
        required = false,
        pattern = r#"^(\*|(W/)?"?[0-9]{1,18}"?)$"#
    )]
    if_match: Option<String>,
}

fn cart_key(id: Uuid, headers: &HeaderMap) -> CartKey {
    CartKey {
        id,
        secret: headers
            .get(CART_SECRET)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// `If-Match: "3"`, `3`, `W/"3"`, a list of those, or `*`.
fn precondition(headers: &HeaderMap) -> Precondition {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Precondition::None;
    };
    let Ok(raw) = raw.to_str() else {
        return Precondition::Unsatisfiable;
    };
    let versions: Vec<&str> = raw.split(',').map(str::trim).collect();
    if versions.contains(&"*") {
        return Precondition::None;
    }
    versions
        .iter()
        .filter_map(|tag| {
            tag.trim_start_matches("W/")
                .trim_matches('"')
                .parse::<i64>()
                .ok()
        })
        .next()
        .map_or(Precondition::Unsatisfiable, Precondition::Version)
}

fn line_view(detail: LineDetail, currency: Currency) -> Result<CartLine, ApiError> {
    let price_currency = stored_currency(&detail.currency)?;
    let unit_price = Money::new(detail.price_amount, price_currency);
    let line_total = unit_price
        .checked_mul(i64::from(detail.line.quantity))
        .ok_or_else(|| ApiError::Internal("line total overflows".into()))?;
    let available = (detail.stock_on_hand - detail.stock_reserved).max(0);
    let availability =
        if !detail.variant_active || !detail.product_active || price_currency != currency {
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
        line_total: line_total.into(),
        available,
        availability,
    })
}

fn cart_view(snapshot: CartSnapshot) -> Result<Cart, ApiError> {
    let CartSnapshot { cart, lines } = snapshot;
    let currency = stored_currency(&cart.currency)?;
    let lines = lines
        .into_iter()
        .map(|line| line_view(line, currency))
        .collect::<Result<Vec<_>, _>>()?;
    let mut subtotal = Money::new(0, currency);
    for line in &lines {
        subtotal = subtotal
            .checked_add(Money::new(line.line_total.amount, currency))
            .ok_or_else(|| ApiError::Internal("cart subtotal overflows".into()))?;
    }
    let status = match cart.status.as_str() {
        "open" => CartStatus::Open,
        "locked" => CartStatus::Locked,
        "closed" => CartStatus::Closed,
        other => return Err(ApiError::Internal(format!("unknown cart status {other}"))),
    };
    Ok(Cart {
        id: cart.id,
        status,
        currency: cart.currency,
        version: cart.version,
        item_count: lines.iter().map(|l| i64::from(l.quantity)).sum(),
        lines,
        subtotal: subtotal.into(),
        created_at: cart.created_at,
        updated_at: cart.updated_at,
        expires_at: cart.expires_at,
    })
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn respond(snapshot: CartSnapshot) -> Result<HttpResponse, ApiError> {
    let cart = cart_view(snapshot)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(cart.version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(cart))
}

/// Create a cart
///
/// An empty cart in the shop's currency, with the secret that grants access to it.
#[utoipa::path(
    tag = "carts",
    responses(
        (status = 201, description = "The new cart and its secret", body = CreatedCart,
            headers(("ETag" = String, description = "The cart version"), ("Location" = String, description = "The cart's URL"))),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/carts")]
async fn create_cart(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
) -> Result<HttpResponse, ApiError> {
    let config = **config;
    let (secret, snapshot) = db::run(&pool, move |conn| {
        carts::create(conn, config.currency.code(), config.rules)
    })
    .await?;
    let cart = cart_view(snapshot)?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/carts/{}", cart.id)))
        .insert_header((header::ETAG, etag(cart.version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedCart { secret, cart }))
}

/// Get a cart
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartHeaders),
    responses(
        (status = 200, description = "The cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/carts/{id}")]
async fn get_cart(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let key = cart_key(id.into_inner(), req.headers());
    respond(db::run(&pool, move |conn| carts::read(conn, &key)).await?)
}

/// Add an item
///
/// Adding a variant that is already in the cart adds to its line.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartHeaders),
    request_body = AddItem,
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not enough stock (`insufficient-stock`, with `shortages`), or the cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or inactive variant, another currency, or a quantity out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/carts/{id}/items")]
async fn add_item(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    req: HttpRequest,
    input: web::Json<AddItem>,
) -> Result<HttpResponse, ApiError> {
    let key = cart_key(id.into_inner(), req.headers());
    let precondition = precondition(req.headers());
    let rules = config.rules;
    let AddItem {
        variant_id,
        quantity,
    } = input.into_inner();
    respond(
        db::run(&pool, move |conn| {
            carts::add_item(conn, &key, precondition, variant_id, quantity, rules)
        })
        .await?,
    )
}

/// Change a line's quantity
///
/// A quantity of 0 removes the line.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), ("line_id" = Uuid, Path, description = "Line id"), CartHeaders),
    request_body = SetQuantity,
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart or line", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not enough stock, or the cart is in checkout", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Quantity out of range, or the variant is no longer sold", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/carts/{id}/items/{line_id}")]
async fn update_line(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    path: web::Path<(Uuid, Uuid)>,
    req: HttpRequest,
    input: web::Json<SetQuantity>,
) -> Result<HttpResponse, ApiError> {
    let (id, line_id) = path.into_inner();
    let key = cart_key(id, req.headers());
    let precondition = precondition(req.headers());
    let rules = config.rules;
    let quantity = input.quantity;
    respond(
        db::run(&pool, move |conn| {
            carts::set_quantity(conn, &key, precondition, line_id, quantity, rules)
        })
        .await?,
    )
}

/// Remove a line
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), ("line_id" = Uuid, Path, description = "Line id"), CartHeaders),
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart or line", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/carts/{id}/items/{line_id}")]
async fn remove_line(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    path: web::Path<(Uuid, Uuid)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (id, line_id) = path.into_inner();
    let key = cart_key(id, req.headers());
    let precondition = precondition(req.headers());
    let rules = config.rules;
    respond(
        db::run(&pool, move |conn| {
            carts::remove_line(conn, &key, precondition, line_id, rules)
        })
        .await?,
    )
}

/// Empty a cart
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartHeaders),
    responses(
        (status = 200, description = "The emptied cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/carts/{id}/items")]
async fn clear_cart(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let key = cart_key(id.into_inner(), req.headers());
    let precondition = precondition(req.headers());
    let rules = config.rules;
    respond(
        db::run(&pool, move |conn| {
            carts::clear(conn, &key, precondition, rules)
        })
        .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(if_match: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            header::IF_MATCH,
            HeaderValue::from_str(if_match).expect("header"),
        );
        map
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(precondition(&HeaderMap::new()), Precondition::None);
        assert_eq!(precondition(&headers("\"3\"")), Precondition::Version(3));
        assert_eq!(precondition(&headers("3")), Precondition::Version(3));
        assert_eq!(precondition(&headers("W/\"7\"")), Precondition::Version(7));
        assert_eq!(precondition(&headers("*")), Precondition::None);
        assert_eq!(
            precondition(&headers("\"abc\"")),
            Precondition::Unsatisfiable
        );
    }
}
