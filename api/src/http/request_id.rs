//! Every request carries an id from the edge to the logs: an incoming `X-Request-Id` is kept when
//! it is short and plain, anything else is replaced, and the id is echoed in the response.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use uuid::Uuid;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Only characters that cannot smuggle anything into a log line or a header.
fn acceptable(value: &HeaderValue) -> Option<String> {
    let bytes = value.as_bytes();
    let ok = (1..=64).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| String::from_utf8_lossy(bytes).into_owned())
}

pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(acceptable)
        .unwrap_or_else(|| Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // The request must not be cloned before routing: the router needs sole ownership of it.
    let mut response = next.call(req).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_ids_and_refuses_the_rest() {
        let check = |raw: &str| acceptable(&HeaderValue::from_str(raw).expect("header"));
        assert_eq!(check("abc-123_x.y:z").as_deref(), Some("abc-123_x.y:z"));
        assert_eq!(check(""), None);
        assert_eq!(check("a b"), None);
        assert_eq!(check("a\"b"), None);
        assert_eq!(check(&"a".repeat(65)), None);
    }
}
