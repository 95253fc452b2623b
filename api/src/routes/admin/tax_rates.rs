//! Tax rates by country: what deliveries there are charged.

use actix_web::{HttpResponse, delete, get, put, web};

use crate::domain::country::Country;
use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::taxes::{self, TaxRateInput, TaxRateList, TaxRateView};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_tax_rates)
        .service(get_tax_rate)
        .service(put_tax_rate)
        .service(delete_tax_rate);
}

/// List tax rates
///
/// Every country the shop charges tax in; deliveries elsewhere are charged none.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every country's rates, by country code", body = TaxRateList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tax-rates")]
async fn list_tax_rates(
    _admin: Admin,
    pool: web::Data<Pool>,
) -> Result<web::Json<TaxRateList>, ApiError> {
    Ok(web::Json(taxes::list(&pool).await?))
}

/// Get a country's tax rates
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("country" = Country, Path, description = "ISO 3166-1 alpha-2 country code")),
    responses(
        (status = 200, description = "The country's rates", body = TaxRateView),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No rates for the country, or no such country (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tax-rates/{country}")]
async fn get_tax_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    country: web::Path<Country>,
) -> Result<web::Json<TaxRateView>, ApiError> {
    Ok(web::Json(taxes::get(&pool, country.into_inner()).await?))
}

/// Set a country's tax rates
///
/// Replaces whatever the country had. Carts delivering there are priced with the new rates from
/// their next read; placed orders keep the rates they were placed with.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("country" = Country, Path, description = "ISO 3166-1 alpha-2 country code")),
    request_body = TaxRateInput,
    responses(
        (status = 200, description = "The country's new rates", body = TaxRateView),
        (status = 201, description = "The country's first rates", body = TaxRateView),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such country (`not-found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation`, naming the `field`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/tax-rates/{country}")]
async fn put_tax_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    country: web::Path<Country>,
    input: web::Json<Object<TaxRateInput>>,
) -> Result<HttpResponse, ApiError> {
    let (rates, created) = taxes::put(&pool, country.into_inner(), input.into_inner().0).await?;
    Ok(if created {
        HttpResponse::Created().json(rates)
    } else {
        HttpResponse::Ok().json(rates)
    })
}

/// Delete a country's tax rates
///
/// Deliveries there are charged no tax from then on.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("country" = Country, Path, description = "ISO 3166-1 alpha-2 country code")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No rates for the country, or no such country (`not-found`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/tax-rates/{country}")]
async fn delete_tax_rate(
    _admin: Admin,
    pool: web::Data<Pool>,
    country: web::Path<Country>,
) -> Result<HttpResponse, ApiError> {
    taxes::delete(&pool, country.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
