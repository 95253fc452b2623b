//! Where a cart goes and how: its shipping and billing addresses, its shipping options and the
//! chosen one.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, put, web};
use uuid::Uuid;

use crate::domain::address::AddressInput;
use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::{CartAccess, CartSecret};
use crate::http::routes::Routes;
use crate::http::versioned::respond;
use crate::services::Pool;
use crate::services::carts::{
    self, Cart, CartConfig, CartKey, ShippingMethodInput, ShippingOptions,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(put_shipping_address)
        .service(put_billing_address)
        .service(delete_billing_address)
        .service(get_shipping_options)
        .service(put_shipping_method);
}

/// Set the shipping address
///
/// The country must be one the shop ships to. A shipping method chosen before that is not
/// offered for the new address is cleared, and the answer's `notices` say so.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
    request_body = AddressInput,
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, each named in `errors`, the first in `field`), or a country the shop does not ship to", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/carts/{id}/shipping-address")]
async fn put_shipping_address(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    access: CartAccess,
    input: web::Json<Object<AddressInput>>,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let cart = carts::set_shipping_address(
        &pool,
        **config,
        key,
        access.precondition,
        input.into_inner().0,
    )
    .await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Set a billing address of its own
///
/// Without one, the billing address is the shipping address. Any country may be billed.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
    request_body = AddressInput,
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, each named in `errors`, the first in `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/carts/{id}/billing-address")]
async fn put_billing_address(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    access: CartAccess,
    input: web::Json<Object<AddressInput>>,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let cart = carts::set_billing_address(
        &pool,
        **config,
        key,
        access.precondition,
        input.into_inner().0,
    )
    .await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Bill to the shipping address
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/carts/{id}/billing-address")]
async fn delete_billing_address(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    access: CartAccess,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let cart = carts::clear_billing_address(&pool, **config, key, access.precondition).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// List the cart's shipping options
///
/// The rates offered for the shipping address's country, each priced for the cart as it stands.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartSecret),
    responses(
        (status = 200, description = "The options, in the shop's order", body = ShippingOptions),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart has no shipping address yet (`cart-incomplete`, `field` is `shipping_address`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/carts/{id}/shipping-options")]
async fn get_shipping_options(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    secret: CartSecret,
) -> Result<HttpResponse, ApiError> {
    let key = CartKey {
        id: id.into_inner(),
        secret: secret.into_option(),
    };
    let options: ShippingOptions = carts::shipping_options(&pool, **config, key).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(options))
}

/// Choose the shipping method
///
/// One of the cart's shipping options, by its `rate_id`.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
    request_body = ShippingMethodInput,
    responses(
        (status = 200, description = "The updated cart", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`), or has no shipping address yet (`cart-incomplete`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one of the cart's shipping options (`validation`, `field` is `rate_id`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/carts/{id}/shipping-method")]
async fn put_shipping_method(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    access: CartAccess,
    input: web::Json<Object<ShippingMethodInput>>,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let rate_id = input.into_inner().0.rate_id;
    let cart =
        carts::set_shipping_method(&pool, **config, key, access.precondition, rate_id).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}
