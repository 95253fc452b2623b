//! API keys for integrators, for the owner: named, tied to a role, shown once, revocable.

use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::staff::inputs::NewApiKeyInput;
use crate::services::staff::keys::{self, ApiKeyList, ApiKeyView, CreatedApiKey};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}

/// List API keys
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every key, newest first, revoked ones included", body = ApiKeyList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-keys")]
async fn list_api_keys(
    _admin: Admin,
    pool: web::Data<Pool>,
) -> Result<web::Json<ApiKeyList>, ApiError> {
    Ok(web::Json(keys::list(&pool).await?))
}

/// Create an API key
///
/// The key is in this answer only; the shop keeps a digest of it.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewApiKeyInput,
    responses(
        (status = 201, description = "Created", body = CreatedApiKey),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-keys")]
async fn create_api_key(
    admin: Admin,
    pool: web::Data<Pool>,
    input: web::Json<Object<NewApiKeyInput>>,
) -> Result<HttpResponse, ApiError> {
    let input = input.into_inner().0;
    let created = keys::create(&pool, &admin.0, input.name, input.role).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revoke an API key
///
/// At once: the next request with it is refused. Revoking it again changes nothing.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "API key id")),
    responses(
        (status = 200, description = "Revoked", body = ApiKeyView),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an owner may", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api-keys/{id}")]
async fn revoke_api_key(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiKeyView>, ApiError> {
    Ok(web::Json(keys::revoke(&pool, id.into_inner()).await?))
}
