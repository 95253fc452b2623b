//! Categories shoppers can filter the catalog by.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::{ApiError, Problem};
use crate::http::cache;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::catalog::{self, CategoryList};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_categories);
}

/// List categories
///
/// All categories, alphabetically.
#[utoipa::path(
    tag = "catalog",
    params(crate::http::cache::ConditionalGet),
    responses(
        (status = 200, description = "All categories", body = CategoryList,
            headers(("ETag" = String, description = "Validator for `If-None-Match`"))),
        (status = 304, description = "The categories are unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
async fn list_categories(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    cache::json(&req, &catalog::categories(&pool).await?)
}
