//! Staff accounts, for the owner: who may log in, with which role.

use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::staff::inputs::{NewStaffInput, StaffPatchInput};
use crate::services::staff::{self, CreatedStaff, StaffList, StaffPatch, StaffView};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_staff)
        .service(create_staff)
        .service(update_staff);
}

/// List staff
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every staff member, oldest first", body = StaffList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff")]
async fn list_staff(
    _admin: Admin,
    pool: web::Data<Pool>,
) -> Result<web::Json<StaffList>, ApiError> {
    Ok(web::Json(staff::list(&pool).await?))
}

/// Add a staff member
///
/// Answers a one-time password, shown once: they log in with it and must change it first.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewStaffInput,
    responses(
        (status = 201, description = "Created", body = CreatedStaff),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A staff member has this email", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff")]
async fn create_staff(
    _admin: Admin,
    pool: web::Data<Pool>,
    input: web::Json<Object<NewStaffInput>>,
) -> Result<HttpResponse, ApiError> {
    let input = input.into_inner().0;
    let created = staff::invite(&pool, input.email, input.role).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Change a staff member's role, or deactivate them
///
/// Deactivating ends their sessions. The shop always keeps one active owner.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Staff member id")),
    request_body = StaffPatchInput,
    responses(
        (status = 200, description = "Changed", body = StaffView),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It would leave the shop without an active owner", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/{id}")]
async fn update_staff(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    input: web::Json<Object<StaffPatchInput>>,
) -> Result<web::Json<StaffView>, ApiError> {
    let input = input.into_inner().0;
    let patch = StaffPatch {
        role: input.role,
        active: input.active,
    };
    Ok(web::Json(
        staff::update(&pool, id.into_inner(), patch).await?,
    ))
}
