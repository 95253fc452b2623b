//! Answers about a resource that clients change conditionally (a cart): its version as the
//! `ETag` for the next `If-Match`, and never cached.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use serde::Serialize;

pub fn respond(status: StatusCode, body: &impl Serialize, version: i64) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, format!("\"{version}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}
