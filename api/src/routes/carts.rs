//! Guest carts. The server computes every amount from the catalog's current prices.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::{CartAccess, CartSecret};
use crate::http::routes::Routes;
use crate::http::versioned::respond;
use crate::services::Pool;
use crate::services::carts::{self, Cart, CartConfig, CartKey, CreatedCart};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(create_cart)
        .service(get_cart)
        .service(add_item)
        .service(update_line)
        .service(remove_line)
        .service(clear_cart);
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
    let created = carts::create(&pool, **config).await?;
    let mut response = respond(StatusCode::CREATED, &created, created.cart.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/carts/{}", created.cart.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Get a cart
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartSecret),
    responses(
        (status = 200, description = "The cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/carts/{id}")]
async fn get_cart(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    secret: CartSecret,
) -> Result<HttpResponse, ApiError> {
    let key = CartKey {
        id: id.into_inner(),
        secret: secret.into_option(),
    };
    let cart = carts::read(&pool, **config, key).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Add an item
///
/// Adding a variant that is already in the cart adds to its line.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
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
    access: CartAccess,
    input: web::Json<AddItem>,
) -> Result<HttpResponse, ApiError> {
    let AddItem {
        variant_id,
        quantity,
    } = input.into_inner();
    let key = access.key(id.into_inner());
    let cart = carts::add_item(
        &pool,
        **config,
        key,
        access.precondition,
        variant_id,
        quantity,
    )
    .await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Change a line's quantity
///
/// A quantity of 0 removes the line.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), ("line_id" = Uuid, Path, description = "Line id"), CartAccess),
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
    access: CartAccess,
    input: web::Json<SetQuantity>,
) -> Result<HttpResponse, ApiError> {
    let (id, line_id) = path.into_inner();
    let key = access.key(id);
    let cart = carts::set_quantity(
        &pool,
        **config,
        key,
        access.precondition,
        line_id,
        input.quantity,
    )
    .await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Remove a line
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), ("line_id" = Uuid, Path, description = "Line id"), CartAccess),
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
    access: CartAccess,
) -> Result<HttpResponse, ApiError> {
    let (id, line_id) = path.into_inner();
    let key = access.key(id);
    let cart = carts::remove_line(&pool, **config, key, access.precondition, line_id).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Empty a cart
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
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
    access: CartAccess,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let cart = carts::clear(&pool, **config, key, access.precondition).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}
