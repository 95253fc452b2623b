//! Shipping zones (the countries the shop ships to) and the rates offered in each.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use crate::domain::currency::Currency;
use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::shipping::{
    self, AdminShippingRate, AdminShippingZone, AdminShippingZoneList, NewShippingRateInput,
    NewShippingZoneInput, ShippingRatePatch, ShippingZonePatch,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(create_shipping_zone)
        .service(list_shipping_zones)
        .service(get_shipping_zone)
        .service(update_shipping_zone)
        .service(delete_shipping_zone)
        .service(create_shipping_rate)
        .service(update_shipping_rate)
        .service(delete_shipping_rate);
}

/// Create a shipping zone
///
/// A country belongs to one zone at most, so that an address finds one set of rates.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewShippingZoneInput,
    responses(
        (status = 201, description = "Created", body = AdminShippingZone),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A country is in another zone (`country-in-another-zone`, naming the `country` and the `zone_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/shipping-zones")]
async fn create_shipping_zone(
    _admin: Admin,
    pool: web::Data<Pool>,
    input: web::Json<Object<NewShippingZoneInput>>,
) -> Result<HttpResponse, ApiError> {
    let created = shipping::create_zone(&pool, input.into_inner().0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// List shipping zones
///
/// Every zone, by name, with its countries and all its rates, inactive ones included.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every shipping zone", body = AdminShippingZoneList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shipping-zones")]
async fn list_shipping_zones(
    _admin: Admin,
    pool: web::Data<Pool>,
) -> Result<web::Json<AdminShippingZoneList>, ApiError> {
    Ok(web::Json(shipping::zones(&pool).await?))
}

/// Get a shipping zone
///
/// With its countries and all its rates, inactive ones included.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping zone id")),
    responses(
        (status = 200, description = "The shipping zone", body = AdminShippingZone),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping zone (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shipping-zones/{id}")]
async fn get_shipping_zone(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminShippingZone>, ApiError> {
    Ok(web::Json(shipping::zone(&pool, id.into_inner()).await?))
}

/// Update a shipping zone
///
/// `countries`, when given, replaces the zone's countries.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping zone id")),
    request_body = ShippingZonePatch,
    responses(
        (status = 200, description = "The updated shipping zone", body = AdminShippingZone),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping zone (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A country is in another zone (`country-in-another-zone`, naming the `country` and the `zone_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/shipping-zones/{id}")]
async fn update_shipping_zone(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    patch: web::Json<Object<ShippingZonePatch>>,
) -> Result<web::Json<AdminShippingZone>, ApiError> {
    Ok(web::Json(
        shipping::update_zone(&pool, id.into_inner(), patch.into_inner().0).await?,
    ))
}

/// Delete a shipping zone
///
/// With its rates; its countries can then join another zone.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping zone id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping zone (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/shipping-zones/{id}")]
async fn delete_shipping_zone(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    shipping::delete_zone(&pool, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a rate to a shipping zone
///
/// Every amount is in the shop's currency (`SHOP_CURRENCY`, as `GET /config` tells).
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping zone id")),
    request_body = NewShippingRateInput,
    responses(
        (status = 201, description = "Created", body = AdminShippingRate),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping zone (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an amount in another currency than the shop's (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/shipping-zones/{id}/rates")]
async fn create_shipping_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    currency: web::Data<Currency>,
    id: web::Path<Uuid>,
    input: web::Json<Object<NewShippingRateInput>>,
) -> Result<HttpResponse, ApiError> {
    let created =
        shipping::create_rate(&pool, **currency, id.into_inner(), input.into_inner().0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Update a shipping rate
///
/// Every amount is in the shop's currency (`SHOP_CURRENCY`, as `GET /config` tells).
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping rate id")),
    request_body = ShippingRatePatch,
    responses(
        (status = 200, description = "The updated shipping rate", body = AdminShippingRate),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping rate (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an amount in another currency than the shop's (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/shipping-rates/{id}")]
async fn update_shipping_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    currency: web::Data<Currency>,
    id: web::Path<Uuid>,
    patch: web::Json<Object<ShippingRatePatch>>,
) -> Result<web::Json<AdminShippingRate>, ApiError> {
    Ok(web::Json(
        shipping::update_rate(&pool, **currency, id.into_inner(), patch.into_inner().0).await?,
    ))
}

/// Delete a shipping rate
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Shipping rate id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shipping rate (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/shipping-rates/{id}")]
async fn delete_shipping_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    shipping::delete_rate(&pool, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
