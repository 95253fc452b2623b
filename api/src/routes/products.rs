//! The public catalog: product listing with search, filters, sorting and pages; product detail.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::catalog::{self, ListingFilter, ListingRow, ProductKey, ProductSort, VariantRow};
use crate::db::{self, Pool};
use crate::domain::catalog::Image;
use crate::domain::money::{Money, MoneyView};
use crate::error::{ApiError, Problem};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_products).service(get_product);
}

pub const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 24;
const MAX_PAGE: u32 = 10_000;
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Most recently added first.
    #[default]
    Newest,
    /// Cheapest "from" price first.
    PriceAsc,
    /// Most expensive "from" price first.
    PriceDesc,
    /// Alphabetical by name.
    Name,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Case-insensitive text searched in names and descriptions (at most 200 characters, without
    /// control characters).
    #[param(
        example = "shirt",
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x1f\x7f-\x9f]{0,200}[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub q: Option<String>,
    /// Only products of the category with this slug (empty: every category).
    #[param(
        example = "tops",
        max_length = 100,
        pattern = "^([a-z0-9]+(-[a-z0-9]+)*)?$"
    )]
    pub category: Option<String>,
    /// Sort order; `newest` by default.
    #[param(inline)]
    pub sort: Option<SortOrder>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10000, example = 1)]
    pub page: Option<u32>,
    /// Products per page, 1 to 100 (24 by default).
    #[param(minimum = 1, maximum = 100, example = 24)]
    pub limit: Option<u32>,
}

/// A category as products refer to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    #[schema(example = "tops")]
    pub slug: String,
    #[schema(example = "Tops")]
    pub name: String,
}

/// A product as listings show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: Uuid,
    #[schema(example = "classic-tee")]
    pub slug: String,
    #[schema(example = "Classic T-Shirt")]
    pub name: String,
    pub description: String,
    /// The first picture, if any.
    pub image: Option<Image>,
    pub category: Option<CategoryRef>,
    /// Price of the cheapest available variant.
    pub price_from: MoneyView,
    /// Whether any variant can be bought now.
    pub in_stock: bool,
    pub created_at: DateTime<Utc>,
}

/// One page of products.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    /// The page returned, 1-based.
    #[schema(example = 1)]
    pub page: u32,
    #[schema(example = 24)]
    pub limit: u32,
    /// Number of products matching the filters, over all pages.
    #[schema(example = 12)]
    pub total: i64,
    #[schema(example = 1)]
    pub total_pages: i64,
}

/// A purchasable variant of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantView {
    pub id: Uuid,
    #[schema(example = "TEE-WHT-M")]
    pub sku: String,
    #[schema(example = "M / White")]
    pub title: String,
    pub price: MoneyView,
    /// Units that can be bought now.
    #[schema(example = 12)]
    pub available: i32,
    pub in_stock: bool,
}

/// A product with its variants.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    pub id: Uuid,
    #[schema(example = "classic-tee")]
    pub slug: String,
    #[schema(example = "Classic T-Shirt")]
    pub name: String,
    pub description: String,
    pub images: Vec<Image>,
    pub category: Option<CategoryRef>,
    pub price_from: MoneyView,
    pub in_stock: bool,
    pub variants: Vec<VariantView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// List products
///
/// Active products with at least one active variant, filtered, sorted and paged.
#[utoipa::path(
    tag = "catalog",
    params(ListParams, crate::openapi::IfNoneMatch),
    responses(
        (status = 200, description = "One page of products", body = ProductPage,
            headers(("ETag" = String, description = "Validator for `If-None-Match`"))),
        (status = 304, description = "The page is unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products")]
async fn list_products(
    req: HttpRequest,
    pool: web::Data<Pool>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = params.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be from 1 to {MAX_PAGE_SIZE}"
        )));
    }
    let page = params.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(ApiError::BadRequest(format!(
            "page must be from 1 to {MAX_PAGE}"
        )));
    }
    let text = params
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if text
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS || q.chars().any(char::is_control))
    {
        return Err(ApiError::BadRequest(format!(
            "q must be at most {MAX_QUERY_CHARS} characters, without control characters"
        )));
    }
    let category_slug = params.category.filter(|c| !c.is_empty());
    if let Some(category) = &category_slug {
        crate::domain::catalog::slug("category", category)
            .map_err(|_| ApiError::BadRequest("category must be a category's slug".into()))?;
    }
    let filter = ListingFilter {
        text,
        category_slug,
    };
    let sort = match params.sort.unwrap_or_default() {
        SortOrder::Newest => ProductSort::Newest,
        SortOrder::PriceAsc => ProductSort::PriceAsc,
        SortOrder::PriceDesc => ProductSort::PriceDesc,
        SortOrder::Name => ProductSort::Name,
    };
    let offset = i64::from(page - 1) * i64::from(limit);
    let (rows, total) = db::run(&pool, move |conn| {
        Ok(catalog::list_products(
            conn,
            &filter,
            sort,
            i64::from(limit),
            offset,
        )?)
    })
    .await?;
    let items = rows.into_iter().map(summary).collect::<Result<_, _>>()?;
    let page = ProductPage {
        items,
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    };
    crate::http_cache::json(&req, &page)
}

/// Get a product
///
/// By slug or by id; inactive products are not found.
#[utoipa::path(
    tag = "catalog",
    params(
        ("slug_or_id" = String, Path, description = "The product's slug or UUID", example = "classic-tee"),
        crate::openapi::IfNoneMatch,
    ),
    responses(
        (status = 200, description = "The product with its variants", body = ProductDetail,
            headers(("ETag" = String, description = "Validator for `If-None-Match`"))),
        (status = 304, description = "The product is unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/products/{slug_or_id}")]
async fn get_product(
    req: HttpRequest,
    pool: web::Data<Pool>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug_or_id = path.into_inner();
    let key = match Uuid::parse_str(&slug_or_id) {
        Ok(id) => ProductKey::Id(id),
        // Anything that is not slug-shaped cannot name a product; it never reaches the database.
        Err(_) if crate::domain::catalog::slug("slug", &slug_or_id).is_ok() => {
            ProductKey::Slug(slug_or_id.clone())
        }
        Err(_) => return Err(product_not_found(&slug_or_id)),
    };
    let found = db::run(&pool, move |conn| {
        Ok(catalog::find_visible_product(conn, &key)?)
    })
    .await?;
    let (listing, variants) = found.ok_or_else(|| product_not_found(&slug_or_id))?;
    crate::http_cache::json(&req, &detail(listing, variants)?)
}

fn product_not_found(slug_or_id: &str) -> ApiError {
    let shown: String = slug_or_id
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    ApiError::NotFound(format!("no product with slug or id {shown:?}"))
}

pub(crate) use crate::domain::money::stored_currency;

pub(crate) fn stored_images(images: serde_json::Value) -> Result<Vec<Image>, ApiError> {
    serde_json::from_value(images).map_err(|e| ApiError::Internal(format!("stored images: {e}")))
}

fn category_ref(row: &ListingRow) -> Option<CategoryRef> {
    match (&row.category_id, &row.category_slug, &row.category_name) {
        (Some(id), Some(slug), Some(name)) => Some(CategoryRef {
            id: *id,
            slug: slug.clone(),
            name: name.clone(),
        }),
        _ => None,
    }
}

fn price_from(row: &ListingRow) -> Result<MoneyView, ApiError> {
    let (Some(amount), Some(code)) = (row.price_from, row.currency.as_deref()) else {
        return Err(ApiError::Internal(format!(
            "listing {} has no price",
            row.id
        )));
    };
    Ok(Money::new(amount, stored_currency(code)?).into())
}

fn summary(row: ListingRow) -> Result<ProductSummary, ApiError> {
    let category = category_ref(&row);
    let price_from = price_from(&row)?;
    let image = stored_images(row.images)?.into_iter().next();
    Ok(ProductSummary {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        image,
        category,
        price_from,
        in_stock: row.stock_available > 0,
        created_at: row.created_at,
    })
}

pub(crate) fn variant_view(row: &VariantRow) -> Result<VariantView, ApiError> {
    let available = row.available();
    Ok(VariantView {
        id: row.id,
        sku: row.sku.clone(),
        title: row.title.clone(),
        price: Money::new(row.price_amount, stored_currency(&row.currency)?).into(),
        available,
        in_stock: available > 0,
    })
}

fn detail(row: ListingRow, variants: Vec<VariantRow>) -> Result<ProductDetail, ApiError> {
    let category = category_ref(&row);
    let price_from = price_from(&row)?;
    Ok(ProductDetail {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        images: stored_images(row.images)?,
        category,
        price_from,
        in_stock: row.stock_available > 0,
        variants: variants
            .iter()
            .map(variant_view)
            .collect::<Result<_, _>>()?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
