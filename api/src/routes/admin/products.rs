//! Products as the admin manages them, with their variants.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::paging::{Paging, paging, search_text};
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::admin_catalog::listing::{
    self, AdminProductPage, ProductFilter, ProductOrder,
};
use crate::services::admin_catalog::{
    self as catalog, AdminProduct, AdminVariant, ImageOrigins, NewProductInput, NewVariantInput,
    ProductPatch,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(admin_list_products)
        .service(create_product)
        .service(get_product)
        .service(update_product)
        .service(deactivate_product)
        .service(create_variant);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProductListParams {
    /// Text in the name or the slug, any case.
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// Only active (`true`) or inactive (`false`) products.
    pub active: Option<bool>,
    /// Only products of this category.
    pub category_id: Option<Uuid>,
    /// `name`, `-name`, `created_at`, `-created_at` or `-updated_at` (the default).
    #[param(inline)]
    pub sort: Option<ProductOrder>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
    /// Products per page, 1 to 100 (50 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// List products
///
/// Every product, inactive ones included, searched, filtered, sorted and paged.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(ProductListParams),
    responses(
        (status = 200, description = "A page of products", body = AdminProductPage),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products")]
async fn admin_list_products(
    _admin: Admin,
    pool: web::Data<Pool>,
    params: web::Query<ProductListParams>,
) -> Result<web::Json<AdminProductPage>, ApiError> {
    let params = params.into_inner();
    let Paging { page, limit } = paging(params.page, params.limit)?;
    let text = search_text(params.q, "q", 100)?;
    let filter = ProductFilter {
        text,
        active: params.active,
        category_id: params.category_id,
    };
    let order = params.sort.unwrap_or(ProductOrder::UpdatedDesc);
    Ok(web::Json(
        listing::list(&pool, filter, order, page, limit).await?,
    ))
}

/// Create a product
///
/// With its first variants, atomically.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewProductInput,
    responses(
        (status = 201, description = "Created", body = AdminProduct),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug or SKU taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/products")]
async fn create_product(
    _admin: Admin,
    pool: web::Data<Pool>,
    image_origins: web::Data<ImageOrigins>,
    input: web::Json<NewProductInput>,
) -> Result<HttpResponse, ApiError> {
    let created = catalog::create_product(&pool, &image_origins, input.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Get a product
///
/// Including inactive products and variants, with stock figures.
#[utoipa::path(
    tag = "admin",
    operation_id = "admin_get_product",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = AdminProduct),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products/{id}")]
async fn get_product(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminProduct>, ApiError> {
    Ok(web::Json(catalog::product(&pool, id.into_inner()).await?))
}

/// Update a product
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = ProductPatch,
    responses(
        (status = 200, description = "The updated product", body = AdminProduct),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/products/{id}")]
async fn update_product(
    _admin: Admin,
    pool: web::Data<Pool>,
    image_origins: web::Data<ImageOrigins>,
    id: web::Path<Uuid>,
    patch: web::Json<ProductPatch>,
) -> Result<web::Json<AdminProduct>, ApiError> {
    Ok(web::Json(
        catalog::update_product(&pool, &image_origins, id.into_inner(), patch.into_inner()).await?,
    ))
}

/// Deactivate a product
///
/// Hides it from shoppers; nothing is deleted, so orders keep their history.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/products/{id}")]
async fn deactivate_product(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalog::deactivate_product(&pool, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a variant to a product
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = NewVariantInput,
    responses(
        (status = 201, description = "Created", body = AdminVariant),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "SKU taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a currency other than the product's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/products/{id}/variants")]
async fn create_variant(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    input: web::Json<NewVariantInput>,
) -> Result<HttpResponse, ApiError> {
    let created = catalog::create_variant(&pool, id.into_inner(), input.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}
