//! What the audit log keeps of an admin write: the thing it changed, and the request's fields
//! with every secret left out.

use actix_web::body::{self, BoxBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::web::Bytes;
use serde_json::{Map, Value};

/// Fields whose values never reach the log.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "current_password",
    "new_password",
    "key",
    "token",
];
/// Beyond this, a body is summarised by its size alone.
const MAX_SUMMARY_BYTES: usize = 8 * 1024;

/// The path's identifier of the thing an operation is about: the first `{...}` segment of the
/// route pattern. The middleware runs before the route's own path is parsed, so it reads the
/// segments itself.
pub fn path_target(req: &actix_web::HttpRequest) -> Option<String> {
    let pattern = req.match_pattern()?;
    pattern
        .split('/')
        .zip(req.path().split('/'))
        .find(|(template, _)| template.starts_with('{'))
        .map(|(_, value)| value.chars().take(100).collect())
}

/// Reads the request body for the summary, and gives it back to the request for the handler.
pub async fn take_body(req: &mut ServiceRequest) -> Result<Value, actix_web::Error> {
    let bytes = req.extract::<Bytes>().await?;
    let summary = summarise(&bytes);
    req.set_payload(bytes.into());
    Ok(summary)
}

fn summarise(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Object(Map::new());
    }
    if bytes.len() > MAX_SUMMARY_BYTES {
        return serde_json::json!({ "body_bytes": bytes.len() });
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut value) => {
            redact(&mut value);
            value
        }
        Err(_) => serde_json::json!({ "body_bytes": bytes.len() }),
    }
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if SECRET_FIELDS.contains(&name.as_str()) {
                    *field = Value::String("[redacted]".to_owned());
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// The identifier of what a 201 response created (its `id`, or its one nested object's), with
/// the response handed back unchanged.
pub async fn created_id(
    response: ServiceResponse<BoxBody>,
) -> (ServiceResponse<BoxBody>, Option<String>) {
    if response.status().as_u16() != 201 {
        return (response, None);
    }
    let (req, res) = response.into_parts();
    let (res, body) = res.into_parts();
    let bytes = body::to_bytes_limited(body, 1 << 20).await;
    let Ok(Ok(bytes)) = bytes else {
        let res = res.set_body(BoxBody::new(Bytes::new()));
        return (ServiceResponse::new(req, res), None);
    };
    let id = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|value| {
            let id_of = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_owned);
            id_of(&value).or_else(|| value.as_object()?.values().find_map(id_of))
        });
    let res = res.set_body(BoxBody::new(bytes));
    (ServiceResponse::new(req, res), id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_left_out_at_any_depth() {
        let summary = summarise(
            br#"{"email":"a@b.c","password":"hunter2 hunter2","nested":{"new_password":"x","keep":1},"list":[{"token":"t"}]}"#,
        );
        assert_eq!(
            summary,
            serde_json::json!({
                "email": "a@b.c",
                "password": "[redacted]",
                "nested": {"new_password": "[redacted]", "keep": 1},
                "list": [{"token": "[redacted]"}]
            })
        );
    }

    #[test]
    fn bodies_that_are_not_small_json_are_summarised_by_size() {
        assert_eq!(summarise(b""), serde_json::json!({}));
        assert_eq!(summarise(b"not json"), serde_json::json!({"body_bytes": 8}));
        let large = format!("{{\"name\":\"{}\"}}", "x".repeat(MAX_SUMMARY_BYTES));
        assert_eq!(
            summarise(large.as_bytes()),
            serde_json::json!({"body_bytes": large.len()})
        );
    }
}
