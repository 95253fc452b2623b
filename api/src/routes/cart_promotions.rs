//! The promotion code on a cart: one at a time.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::CartAccess;
use crate::http::routes::Routes;
use crate::http::versioned::respond;
use crate::services::Pool;
use crate::services::carts::{self, Cart, CartConfig};
use crate::services::promotions::PromotionCodeInput;

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(apply_promotion).service(remove_promotion);
}

/// Apply a promotion code
///
/// In any case; it replaces the code the cart carried, if any (one code per cart). The code must
/// apply to the cart as it stands; it is redeemed only when the cart is checked out, where it is
/// checked again, once per email too where the promotion says so.
#[utoipa::path(
    tag = "carts",
    params(("id" = Uuid, Path, description = "Cart id"), CartAccess),
    request_body = PromotionCodeInput,
    responses(
        (status = 200, description = "The cart with the code and its discount", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, wrong secret, or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code cannot be used, each reason its own type: `promotion-unknown`, `promotion-expired`, `promotion-not-yet-valid`, `promotion-exhausted`, `promotion-minimum-not-met`; `field` is `code`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/carts/{id}/promotions")]
async fn apply_promotion(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    id: web::Path<Uuid>,
    access: CartAccess,
    input: web::Json<Object<PromotionCodeInput>>,
) -> Result<HttpResponse, ApiError> {
    let key = access.key(id.into_inner());
    let code = input.into_inner().0.code;
    let cart = carts::apply_promotion(&pool, **config, key, access.precondition, code).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}

/// Remove a promotion code
#[utoipa::path(
    tag = "carts",
    params(
        ("id" = Uuid, Path, description = "Cart id"),
        ("code" = String, Path, description = "The code the cart carries, in any case"),
        CartAccess
    ),
    responses(
        (status = 200, description = "The cart without the code", body = Cart, headers(("ETag" = String, description = "The cart version"))),
        (status = 404, description = "No such cart, or it carries no such code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The cart is in checkout (`locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` does not match the cart version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/carts/{id}/promotions/{code}")]
async fn remove_promotion(
    pool: web::Data<Pool>,
    config: web::Data<CartConfig>,
    path: web::Path<(Uuid, String)>,
    access: CartAccess,
) -> Result<HttpResponse, ApiError> {
    let (id, code) = path.into_inner();
    let key = access.key(id);
    let cart = carts::remove_promotion(&pool, **config, key, access.precondition, code).await?;
    Ok(respond(StatusCode::OK, &cart, cart.version))
}
