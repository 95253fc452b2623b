//! Variants and their stock.

use actix_web::{HttpResponse, delete, patch, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::admin_catalog::{
    self as catalog, AdminVariant, StockAdjustment, VariantPatch,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(update_variant)
        .service(deactivate_variant)
        .service(adjust_stock);
}

/// Update a variant
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    request_body = VariantPatch,
    responses(
        (status = 200, description = "The updated variant", body = AdminVariant),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "SKU taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/variants/{id}")]
async fn update_variant(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    patch: web::Json<VariantPatch>,
) -> Result<web::Json<AdminVariant>, ApiError> {
    Ok(web::Json(
        catalog::update_variant(&pool, id.into_inner(), patch.into_inner()).await?,
    ))
}

/// Deactivate a variant
///
/// Shoppers can no longer buy it; its history stays.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/variants/{id}")]
async fn deactivate_variant(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalog::deactivate_variant(&pool, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adjust a variant's stock
///
/// The count on hand can never drop below the units reserved by pending checkouts.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    request_body = StockAdjustment,
    responses(
        (status = 200, description = "The variant with its new stock", body = AdminVariant),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change would go below the reserved units or above the maximum", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of delta and on_hand", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/variants/{id}/stock")]
async fn adjust_stock(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    input: web::Json<StockAdjustment>,
) -> Result<web::Json<AdminVariant>, ApiError> {
    Ok(web::Json(
        catalog::adjust_stock(&pool, id.into_inner(), input.into_inner()).await?,
    ))
}
