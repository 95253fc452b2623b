//! Caching: conditional GET for the public catalog, and `no-store` for what is one shopper's.
//! For the catalog, The validator is a digest of the exact body, so it
//! changes precisely when what a shopper would see changes (an admin edit, a price, stock running
//! out) and needs no state shared between replicas.

use actix_web::http::StatusCode;
use actix_web::http::header::{CacheControl, CacheDirective, ETag, EntityTag, Header, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The `If-None-Match` header of the catalog reads that answer `304 Not Modified`; never built,
/// it only describes the header.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct ConditionalGet {
    /// The `ETag`s of copies the client holds; when one still matches, the answer is `304`.
    #[param(
        rename = "If-None-Match",
        value_type = String,
        required = false,
        example = "\"3f2a9c0d41b7e6a85c1d2e3f4a5b6c7d\""
    )]
    pub if_none_match: Option<String>,
}

/// An answer no cache may keep: it is one shopper's (a session, an order, an account's data).
pub fn no_store(status: StatusCode) -> HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    response.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    response
}

/// A JSON body with its `ETag`, or `304 Not Modified` when the client already holds it.
///
/// Clients may keep a copy but must revalidate it before each use; the edge's micro-cache
/// (nginx/templates/default.conf.template) is the only place a copy is served without asking.
pub fn json<T: Serialize>(req: &HttpRequest, value: &T) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| ApiError::Internal(format!("serialising a response: {e}")))?;
    let tag = EntityTag::new_strong(digest_hex(&body));
    let not_modified = client_holds(req, &tag);
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(ETag(tag))
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::NoCache,
        ]));
    Ok(if not_modified {
        response.finish()
    } else {
        response.content_type("application/json").body(body)
    })
}

/// 128 bits of SHA-256: stable across builds and replicas, and collisions are out of reach.
fn digest_hex(body: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(body);
    digest[..16]
        .iter()
        .fold(String::with_capacity(32), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): nginx weakens the tags of the
/// responses it compresses, and those must still match.
fn client_holds(req: &HttpRequest, tag: &EntityTag) -> bool {
    match IfNoneMatch::parse(req) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(held)) => held.iter().any(|h| h.weak_eq(tag)),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::test::TestRequest;

    fn etag_of(response: &HttpResponse) -> String {
        response
            .headers()
            .get("etag")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn same_body_same_tag_and_a_held_tag_is_not_modified() {
        let first = json(&TestRequest::default().to_http_request(), &["a", "b"]).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let tag = etag_of(&first);
        assert_eq!(tag.len(), 34, "a quoted 128-bit hex digest: {tag}");

        let weakened = format!("W/{tag}");
        for held in [
            tag.clone(),
            weakened,
            format!("\"other\", {tag}"),
            "*".to_owned(),
        ] {
            let req = TestRequest::default()
                .insert_header(("if-none-match", held.as_str()))
                .to_http_request();
            let again = json(&req, &["a", "b"]).unwrap();
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{held}");
            assert_eq!(etag_of(&again), tag);
        }
    }

    #[test]
    fn a_changed_body_is_sent_in_full_with_a_new_tag() {
        let before = json(&TestRequest::default().to_http_request(), &["a"]).unwrap();
        let req = TestRequest::default()
            .insert_header(("if-none-match", etag_of(&before).as_str()))
            .to_http_request();
        let after = json(&req, &["a", "changed"]).unwrap();
        assert_eq!(after.status(), StatusCode::OK);
        assert_ne!(etag_of(&after), etag_of(&before));
        assert_eq!(
            after.headers().get("cache-control").unwrap(),
            "public, no-cache"
        );
    }
}
