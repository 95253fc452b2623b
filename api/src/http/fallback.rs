//! What answers a request no route matched: 404, or 405 with `Allow` when the path names a
//! resource that only lacks this method.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::{ApiError, Problem, problem_response};

/// Unmatched routes: 405 with `Allow` when the resource exists but not with this method.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let allowed = req
        .app_data::<actix_web::web::Data<RouteTable>>()
        .map(|routes| routes.allowed(req.path()))
        .unwrap_or_default();
    if allowed.is_empty() {
        return ApiError::NotFound("no such endpoint".to_owned()).error_response();
    }
    let mut response = problem_response(&Problem {
        detail: Some(format!("{} does not accept {}", req.path(), req.method())),
        ..Problem::bare(
            "method-not-allowed",
            "Method not allowed",
            StatusCode::METHOD_NOT_ALLOWED.as_u16(),
        )
    });
    if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// The API's routes as the document lists them, to tell "no such resource" (404) from "no such
/// method on this resource" (405, with `Allow`).
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        use utoipa::openapi::path::HttpMethod;
        let mut routes = Vec::new();
        for (path, item) in &api.paths.paths {
            let methods: Vec<&'static str> = [
                (HttpMethod::Get, "GET"),
                (HttpMethod::Post, "POST"),
                (HttpMethod::Put, "PUT"),
                (HttpMethod::Patch, "PATCH"),
                (HttpMethod::Delete, "DELETE"),
            ]
            .into_iter()
            .filter(|(method, _)| match method {
                HttpMethod::Get => item.get.is_some(),
                HttpMethod::Post => item.post.is_some(),
                HttpMethod::Put => item.put.is_some(),
                HttpMethod::Patch => item.patch.is_some(),
                HttpMethod::Delete => item.delete.is_some(),
                _ => false,
            })
            .map(|(_, name)| name)
            .collect();
            routes.push((segments(path), methods));
        }
        routes.push((segments("/api/v1/openapi.json"), vec!["GET"]));
        RouteTable { routes }
    }

    /// The methods the resource at `path` answers, merged over every template it matches.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        let requested: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut allowed: Vec<&'static str> = Vec::new();
        for (template, methods) in &self.routes {
            let matches = template.len() == requested.len()
                && template
                    .iter()
                    .zip(&requested)
                    .all(|(t, r)| (t.starts_with('{') && !r.is_empty()) || t == r);
            if matches {
                for method in methods {
                    if !allowed.contains(method) {
                        allowed.push(method);
                    }
                }
            }
        }
        allowed
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}
