//! An order's transactional email, for the admin: what was sent, what failed, and resending.

use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::emails::{self, EmailList, EmailView};
use crate::services::{Mailer, Pool};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_order_emails).service(resend_order_email);
}

/// List an order's emails
///
/// Each with its status, attempts and last error: a `failed` one exhausted its attempts.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order's emails, oldest first", body = EmailList),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/emails")]
async fn list_order_emails(
    _admin: Admin,
    pool: web::Data<Pool>,
    mailer: web::Data<Mailer>,
    id: web::Path<Uuid>,
) -> Result<web::Json<EmailList>, ApiError> {
    Ok(web::Json(
        emails::of_order(&pool, &mailer, id.into_inner()).await?,
    ))
}

/// Resend an email
///
/// Queues the email again as a new message with the same content. While a resend of it waits
/// to be sent, asking again answers that one.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("email_id" = Uuid, Path, description = "Email id"),
    ),
    responses(
        (status = 202, description = "Queued for sending", body = EmailView),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or no such email of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order was anonymised (its buyer erased their account, or it passed the retention period): its emails' contents are gone", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/emails/{email_id}/resend")]
async fn resend_order_email(
    _admin: Admin,
    pool: web::Data<Pool>,
    mailer: web::Data<Mailer>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (order_id, email_id) = path.into_inner();
    let queued = emails::resend(&pool, &mailer, order_id, email_id).await?;
    Ok(HttpResponse::Accepted().json(queued))
}
