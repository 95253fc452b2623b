//! `GET /metrics`, in Prometheus's text format, served on the metrics port only (never under
//! `/api/v1`, and not in the OpenAPI document, which describes what the public may call).

use actix_web::{HttpResponse, get, web};

use crate::services::{Pool, monitoring};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(metrics);
}

#[get("/metrics")]
async fn metrics(pool: web::Data<Pool>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(monitoring::scrape(&pool).await)
}
