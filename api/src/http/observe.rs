//! Every answered request, once: counted with its latency in the metrics under its route template
//! (never the raw path, whose ids would make a series per order), and written as one log line.
//! The line holds the method, the path without its query (where an admin's search could carry an
//! email address), the status, the time taken and the request id; never a header or a body.
//! With tracing on, the request is also a server span, current while the handler runs, so that
//! its Stripe calls are the span's children.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use opentelemetry::trace::{FutureExt as _, SpanKind, Status, TraceContextExt as _, Tracer as _};
use opentelemetry::{Context, KeyValue};

use crate::http::request_id::X_REQUEST_ID;
use crate::metrics::Metrics;
use crate::telemetry::Tracer;

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
    let tracer = req
        .app_data::<web::Data<Tracer>>()
        .and_then(|tracer| tracer.0.clone());
    let context = match &tracer {
        // The span is named once the router has matched; every request starts a trace, as nginx
        // sends no trace context.
        Some(tracer) => Context::new().with_span(
            tracer
                .span_builder(method)
                .with_kind(SpanKind::Server)
                .with_attributes([
                    KeyValue::new("http.request.method", method),
                    KeyValue::new("url.path", path.clone()),
                ])
                .start_with_context(tracer, &Context::new()),
        ),
        None => Context::new(),
    };
    let response = match next.call(req).with_context(context.clone()).await {
        Ok(response) => response,
        Err(error) => {
            if tracer.is_some() {
                let span = context.span();
                span.set_status(Status::error(error.to_string()));
                span.end();
            }
            return Err(error);
        }
    };
    let elapsed = started.elapsed();
    // Known only once the router has matched the request.
    let matched = response.request().match_pattern();
    let route = matched.as_deref().unwrap_or(UNMATCHED);
    let status = response.status().as_u16();
    if let Some(metrics) = metrics {
        metrics.request(method, route, status, elapsed);
    }
    let request_id = response
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    if tracer.is_some() {
        let span = context.span();
        if let Some(route) = matched.as_deref() {
            span.update_name(format!("{method} {route}"));
            span.set_attribute(KeyValue::new("http.route", route.to_owned()));
        }
        span.set_attributes([
            KeyValue::new("http.response.status_code", i64::from(status)),
            KeyValue::new("shop.request_id", request_id.to_owned()),
        ]);
        if status >= 500 {
            span.set_status(Status::error(format!("HTTP {status}")));
        }
        span.end();
    }
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    log::info!(
        target: "shop_api::request",
        method, route, status, duration_ms, request_id;
        "{method} {path} {status} {duration_ms:.3}ms rid={request_id}"
    );
    Ok(response)
}
