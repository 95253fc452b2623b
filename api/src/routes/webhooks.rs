//! Stripe webhooks: the raw body is verified against `Stripe-Signature` before anything is parsed.

use actix_web::{HttpRequest, HttpResponse, post, web};
use secrecy::ExposeSecret;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Pool;
use crate::error::{ApiError, Problem};
use crate::payments::Payments;
use crate::payments::signature;
use crate::services::stripe_events::{self, Event};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(stripe_webhook);
}

/// The largest event accepted, from the settings; nginx's limit for this path is the same.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAck {
    pub received: bool,
}

/// Stripe webhook
///
/// Called by Stripe. Events are applied once; duplicates and events about other things are
/// acknowledged and ignored.
#[utoipa::path(
    tag = "webhooks",
    params(("Stripe-Signature" = String, Header,
        description = "Stripe's signature of the body: `t=<unix time>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`, possibly followed by more `v1` and `v0` entries",
        pattern = "^t=[0-9]{1,18}(,v[0-9]+=[0-9a-f]{2,128})*,v1=[0-9a-f]{64}(,v[0-9]+=[0-9a-f]{2,128})*$")),
    request_body(content = String, content_type = "application/json", description = "A Stripe event, exactly as Stripe sent it"),
    responses(
        (status = 200, description = "Received", body = WebhookAck),
        (status = 400, description = "Missing, stale or wrong signature, or not an event", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than WEBHOOK_MAX_BODY_BYTES (1 MiB by default)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Webhooks are not configured, or the database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/stripe")]
async fn stripe_webhook(
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    limit: web::Data<BodyLimit>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = body
        .to_bytes_limited(limit.0)
        .await
        .map_err(|_| ApiError::PayloadTooLarge { limit: limit.0 })?
        .map_err(|e| ApiError::BadRequest(format!("the body could not be read: {e}")))?;
    let secret = payments
        .webhook_secret
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable("STRIPE_WEBHOOK_SECRET is unset".into()))?;
    let header = req
        .headers()
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    signature::verify(
        header,
        &body,
        secret.expose_secret().as_bytes(),
        chrono::Utc::now().timestamp(),
    )
    .map_err(|e| ApiError::InvalidSignature(e.to_string()))?;
    let event: Event = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("the body is not a Stripe event".into()))?;
    let outcome = stripe_events::receive(&pool, &payments, event).await?;
    log::info!("stripe webhook: {outcome:?}");
    Ok(HttpResponse::Ok().json(WebhookAck { received: true }))
}
