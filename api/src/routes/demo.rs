//! Demo payments (`DEMO_PAYMENTS`): the shop's own Stripe.js and the two calls it makes. They
//! stand in for Stripe, not for the shop, so they sit outside `/api/v1` and its contract, and
//! exist only while demo mode is on.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::error::ApiError;
use crate::services::Payments;
use crate::services::demo_payments::{self, DemoPayment};

/// The demo Stripe.js: the Stripe.js calls the storefront makes, paying through the routes below.
const STRIPE_JS: &str = include_str!("../../assets/demo-stripe.js");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/demo")
            .route("/stripe.js", web::get().to(stripe_js))
            .route("/payment_intents/{id}/confirm", web::post().to(confirm))
            .route(
                "/payment_intents/{id}/authenticate",
                web::post().to(authenticate),
            ),
    );
}

async fn stripe_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(STRIPE_JS)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    client_secret: String,
    payment_method: String,
}

async fn confirm(
    payments: web::Data<Payments>,
    intent_id: web::Path<String>,
    input: web::Json<Confirmation>,
) -> Result<HttpResponse, ApiError> {
    let paid = demo_payments::confirm(
        &payments,
        &intent_id,
        &input.client_secret,
        &input.payment_method,
    )
    .await?;
    Ok(answer(paid))
}

fn answer(paid: DemoPayment) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(paid)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Authentication {
    client_secret: String,
    success: bool,
}

async fn authenticate(
    payments: web::Data<Payments>,
    intent_id: web::Path<String>,
    input: web::Json<Authentication>,
) -> Result<HttpResponse, ApiError> {
    let paid =
        demo_payments::authenticate(&payments, &intent_id, &input.client_secret, input.success)
            .await?;
    Ok(answer(paid))
}
