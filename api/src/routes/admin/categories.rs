//! Categories the catalog is filed under.

use actix_web::{HttpResponse, post, web};

use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::admin_catalog::{self as catalog, NewCategoryInput};
use crate::services::catalog::Category;

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(create_category);
}

/// Create a category
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewCategoryInput,
    responses(
        (status = 201, description = "Created", body = Category),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Slug taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
async fn create_category(
    _admin: Admin,
    pool: web::Data<Pool>,
    input: web::Json<NewCategoryInput>,
) -> Result<HttpResponse, ApiError> {
    let created = catalog::create_category(&pool, input.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}
