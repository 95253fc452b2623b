//! Categories shoppers can filter the catalog by.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::catalog::{self, CategoryRow};
use crate::db::{self, Pool};
use crate::error::{ApiError, Problem};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_categories);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    pub id: Uuid,
    #[schema(example = "tops")]
    pub slug: String,
    #[schema(example = "Tops")]
    pub name: String,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Self {
        Category {
            id: row.id,
            slug: row.slug,
            name: row.name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
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
    let rows = db::run(&pool, |conn| Ok(catalog::list_categories(conn)?)).await?;
    let list = CategoryList {
        items: rows.into_iter().map(Category::from).collect(),
    };
    crate::http::cache::json(&req, &list)
}
