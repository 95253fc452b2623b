//! Promotion codes: their offer, their window and their limits.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use crate::domain::currency::Currency;
use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::promotions::{
    self, AdminPromotion, AdminPromotionList, NewPromotionInput, PromotionPatch,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(create_promotion)
        .service(list_promotions)
        .service(get_promotion)
        .service(update_promotion)
        .service(delete_promotion);
}

/// Create a promotion
///
/// Exactly one of `percent_off_bp` and `amount_off`; amounts in the shop's currency.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewPromotionInput,
    responses(
        (status = 201, description = "Created", body = AdminPromotion),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A promotion with this code exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/promotions")]
async fn create_promotion(
    _admin: Admin,
    pool: web::Data<Pool>,
    currency: web::Data<Currency>,
    input: web::Json<Object<NewPromotionInput>>,
) -> Result<HttpResponse, ApiError> {
    let created = promotions::create(&pool, **currency, input.into_inner().0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// List promotions
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every promotion, newest first", body = AdminPromotionList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/promotions")]
async fn list_promotions(
    _admin: Admin,
    pool: web::Data<Pool>,
) -> Result<web::Json<AdminPromotionList>, ApiError> {
    Ok(web::Json(promotions::list(&pool).await?))
}

/// Get a promotion
///
/// With the redemptions it has had.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Promotion id")),
    responses(
        (status = 200, description = "The promotion", body = AdminPromotion),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such promotion (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/promotions/{id}")]
async fn get_promotion(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminPromotion>, ApiError> {
    Ok(web::Json(promotions::get(&pool, id.into_inner()).await?))
}

/// Update a promotion
///
/// Its window, minimum, limits and whether it is active; the code and the offer stay.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Promotion id")),
    request_body = PromotionPatch,
    responses(
        (status = 200, description = "The updated promotion", body = AdminPromotion),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such promotion (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, naming the `field`): an end before the start, a limit below the redemptions had", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/promotions/{id}")]
async fn update_promotion(
    _admin: Admin,
    pool: web::Data<Pool>,
    currency: web::Data<Currency>,
    id: web::Path<Uuid>,
    patch: web::Json<Object<PromotionPatch>>,
) -> Result<web::Json<AdminPromotion>, ApiError> {
    Ok(web::Json(
        promotions::update(&pool, **currency, id.into_inner(), patch.into_inner().0).await?,
    ))
}

/// Delete a promotion
///
/// Only one no order used; deactivate the others.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Promotion id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such promotion (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Orders used it (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/promotions/{id}")]
async fn delete_promotion(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    promotions::delete(&pool, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
