//! The public catalog: product listing with search, filters, sorting and pages; product detail.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, Problem};
use crate::http::cache;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::catalog::{self, ProductDetail, ProductPage, ProductQuery, SortOrder};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_products).service(get_product);
}

const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 24;
const MAX_PAGE: u32 = 10_000;
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Words searched in names and descriptions, any case, all of them required. Each matches a
    /// whole word of the text, except the last, which may be the start of one (`cotton sh` finds
    /// a cotton shirt; `irt` finds no shirt). The characters `&|!():*'\<>` only separate words.
    /// At most 200 characters, without control characters.
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

impl ListParams {
    fn parse(self) -> Result<ProductQuery, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(ApiError::BadRequest(format!(
                "limit must be from 1 to {MAX_PAGE_SIZE}"
            )));
        }
        let page = self.page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(ApiError::BadRequest(format!(
                "page must be from 1 to {MAX_PAGE}"
            )));
        }
        let text = self
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
        let category_slug = self.category.filter(|c| !c.is_empty());
        if let Some(category) = &category_slug {
            crate::domain::catalog::slug("category", category)
                .map_err(|_| ApiError::BadRequest("category must be a category's slug".into()))?;
        }
        Ok(ProductQuery {
            text,
            category_slug,
            sort: self.sort.unwrap_or_default(),
            page,
            limit,
        })
    }
}

/// List products
///
/// Active products with at least one active variant, filtered, sorted and paged.
#[utoipa::path(
    tag = "catalog",
    params(ListParams, crate::http::cache::ConditionalGet),
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
    let page = catalog::list_products(&pool, params.into_inner().parse()?).await?;
    cache::json(&req, &page)
}

/// Get a product
///
/// By slug or by id; inactive products are not found.
#[utoipa::path(
    tag = "catalog",
    params(
        ("slug_or_id" = String, Path, description = "The product's slug or UUID", example = "classic-tee"),
        crate::http::cache::ConditionalGet,
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
    cache::json(&req, &catalog::product(&pool, path.into_inner()).await?)
}
