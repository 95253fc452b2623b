//! Failures the framework meets before a handler runs (an unreadable body, query or path, a
//! wrong method), answered as the same problem documents as the handlers' own.

use actix_web::HttpRequest;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;

use super::{ApiError, PROBLEM_JSON, Problem, problem_response};

pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = match err {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge { limit },
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("request bodies must be application/json".to_owned())
        }
        JsonPayloadError::Deserialize(err) if err.is_data() => ApiError::Validation {
            field: None,
            detail: format!("invalid request body: {err}"),
        }
        .naming_serdes_field(),
        JsonPayloadError::Deserialize(err) => {
            ApiError::BadRequest(format!("malformed JSON: {err}"))
        }
        JsonPayloadError::Payload(err) => match err {
            actix_web::error::PayloadError::Overflow => ApiError::PayloadTooLarge { limit: 0 },
            other => ApiError::BadRequest(format!("could not read the request body: {other}")),
        },
        other => ApiError::BadRequest(format!("could not read the request body: {other}")),
    };
    api_error.into()
}

pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("invalid query string: {err}")).into()
}

pub fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound(format!("invalid path parameter: {err}")).into()
}

/// The safety net: an error response produced outside our handlers (a wrong method, a CORS
/// refusal, a framework limit) is rewritten as problem+json, keeping its status.
pub fn ensure_problem<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (slug, title) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method-not-allowed", "Method not allowed"),
        StatusCode::NOT_FOUND => ("not-found", "Resource not found"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload-too-large", "Request body too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported-media-type", "Unsupported content type")
        }
        s if s.is_server_error() => ("internal", "Internal server error"),
        _ => ("invalid-request", "The request is malformed"),
    };
    let problem = Problem::bare(slug, title, status.as_u16());
    let (req, original) = res.into_parts();
    let mut rewritten = problem_response(&problem);
    // Keep headers such as Allow and the request id; drop the ones describing the old body.
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, rewritten).map_into_right_body(),
    ))
}
