//! Every answered request, once: counted with its latency in the metrics under its route template
//! (never the raw path, whose ids would make a series per order), and written as one log line.
//! The line holds the method, the path without its query (where an admin's search could carry an
//! email address), the status, the time taken and the request id; never a header or a body.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::http::request_id::X_REQUEST_ID;
use crate::metrics::Metrics;

/// The label for routes nobody declared: one series, whatever was asked.
const UNMATCHED: &str = "unmatched";

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let path = req.path().to_owned();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let response = next.call(req).await?;
    let elapsed = started.elapsed();
    // Known only once the router has matched the request.
    let route = response.request().match_pattern();
    let route = route.as_deref().unwrap_or(UNMATCHED);
    let status = response.status().as_u16();
    if let Some(metrics) = metrics {
        metrics.request(method, route, status, elapsed);
    }
    let request_id = response
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    log::info!(
        target: "shop_api::request",
        method, route, status, duration_ms, request_id;
        "{method} {path} {status} {duration_ms:.3}ms rid={request_id}"
    );
    Ok(response)
}
