//! The audit log, for the owner: every admin write and every login, newest first.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::paging::{Paging, paging};
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::audit::{self, AuditFilter, AuditPage};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_audit_events);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only what this staff member or API key did.
    pub actor: Option<Uuid>,
    /// Only what was done to this thing (an order's, a product's... id).
    #[param(min_length = 1, max_length = 100)]
    pub target: Option<String>,
    /// From this instant on.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
    /// Events per page, 1 to 100 (50 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// List audit events
///
/// Who did what to which thing, when, from where, and with which fields (secrets left out).
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(AuditParams),
    responses(
        (status = 200, description = "A page of events, newest first", body = AuditPage),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events")]
async fn list_audit_events(
    _admin: Admin,
    pool: web::Data<Pool>,
    params: web::Query<AuditParams>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let params = params.into_inner();
    let Paging { page, limit } = paging(params.page, params.limit)?;
    if params
        .target
        .as_ref()
        .is_some_and(|t| t.is_empty() || t.chars().count() > 100)
    {
        return Err(ApiError::BadRequest(
            "target must be 1 to 100 characters".into(),
        ));
    }
    let filter = AuditFilter {
        actor_id: params.actor,
        target_id: params.target,
        from: params.from,
        to: params.to,
    };
    Ok(web::Json(audit::list(&pool, filter, page, limit).await?))
}
