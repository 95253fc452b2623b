//! Stripe webhooks: the raw body is verified against `Stripe-Signature` before anything is parsed.

use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::http::extract::StripeSignature;
use crate::http::routes::Routes;
use crate::services::{Payments, Pool, stripe_events};

pub fn configure(cfg: &mut impl Routes) {
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
    params(StripeSignature),
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
    signature: StripeSignature,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = body
        .to_bytes_limited(limit.0)
        .await
        .map_err(|_| ApiError::PayloadTooLarge { limit: limit.0 })?
        .map_err(|e| ApiError::BadRequest(format!("the body could not be read: {e}")))?;
    stripe_events::receive_webhook(&pool, &payments, signature.value.as_deref(), &body).await?;
    Ok(HttpResponse::Ok().json(WebhookAck { received: true }))
}
