//! Liveness (the process answers) and readiness (it can serve: the database answers).

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::http::routes::Routes;
use crate::services::{Pool, health};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(live).service(ready);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness
#[utoipa::path(
    tag = "health",
    responses((status = 200, description = "The process is up", body = Health))
)]
#[get("/health/live")]
async fn live() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness
///
/// Ready when the database answers a query.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
async fn ready(pool: web::Data<Pool>) -> Result<web::Json<Health>, ApiError> {
    health::ready(&pool).await?;
    Ok(web::Json(Health { status: "ready" }))
}
