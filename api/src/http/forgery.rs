//! Forged requests: a write made with a session cookie must come from the shop's own pages and
//! carry the session's CSRF token, which only those pages can read from the API.

use actix_web::HttpRequest;
use subtle::ConstantTimeEq;

use crate::domain::accounts::Realm;
use crate::error::{AccessRefusal, ApiError};
use crate::services::auth::secrets;

/// A browser's request from this very origin: `Sec-Fetch-Site` (which scripts cannot set) says so
/// when the browser sends it, and the `Origin` must name the host the request was sent to.
pub fn same_origin(req: &HttpRequest) -> bool {
    // A header sent twice is refused rather than one of its values trusted.
    let header = |name: &str| {
        let mut values = req.headers().get_all(name);
        let value = values.next().and_then(|v| v.to_str().ok());
        if values.next().is_some() {
            Some("")
        } else {
            value
        }
    };
    if header("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return false;
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, authority)| {
            // nginx passes the host without its port: then the origin's port is not compared
            // (the browser's Sec-Fetch-Site, above, still is).
            let authority = if port_of(host).is_some() {
                authority
            } else {
                without_port(authority)
            };
            authority.eq_ignore_ascii_case(host)
        }),
        _ => false,
    }
}

/// The `:port` of a `host[:port]` (an IPv6 host is bracketed).
fn port_of(authority: &str) -> Option<&str> {
    let (_, port) = authority.rsplit_once(':')?;
    (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())).then_some(port)
}

fn without_port(authority: &str) -> &str {
    match port_of(authority) {
        Some(port) => &authority[..authority.len() - port.len() - 1],
        None => authority,
    }
}

/// Refuses a write made with `session`'s cookie unless it comes from this origin with the
/// session's CSRF token; `hint` tells the client where to get the token.
pub fn check_csrf(
    req: &HttpRequest,
    session: &str,
    realm: Realm,
    hint: &'static str,
) -> Result<(), ApiError> {
    if !same_origin(req) {
        return Err(ApiError::Forbidden {
            reason: AccessRefusal::CrossOrigin,
            detail: "a write with the session cookie must come from the shop's own pages (Origin)"
                .into(),
        });
    }
    let expected = secrets::csrf_token(session, realm);
    let presented = req
        .headers()
        .get("x-csrf-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if bool::from(presented.ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            reason: AccessRefusal::CsrfToken,
            detail: hint.into(),
        })
    }
}

/// A login from another site would sign the victim in as the forger (login CSRF): a browser's
/// login must come from the shop's own pages. A client that sends no Origin is not a browser.
pub fn check_login_origin(req: &HttpRequest) -> Result<(), ApiError> {
    if req.headers().contains_key("origin") && !same_origin(req) {
        return Err(ApiError::Forbidden {
            reason: AccessRefusal::CrossOrigin,
            detail: "log in from the shop's own pages".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_with_the_port_when_the_host_has_one() {
        assert_eq!(without_port("shop.example:8080"), "shop.example");
        assert_eq!(without_port("[::1]:8080"), "[::1]");
        assert_eq!(without_port("[::1]"), "[::1]");
        assert_eq!(port_of("shop.example"), None);
        let request = |origin: &str, host: &str| {
            actix_web::test::TestRequest::default()
                .insert_header(("origin", origin))
                .insert_header(("host", host))
                .to_http_request()
        };
        assert!(same_origin(&request(
            "http://shop.example:8080",
            "shop.example:8080"
        )));
        assert!(!same_origin(&request(
            "http://shop.example:9090",
            "shop.example:8080"
        )));
        assert!(same_origin(&request(
            "https://Shop.Example:8443",
            "shop.example"
        )));
        assert!(!same_origin(&request(
            "https://evil.example",
            "shop.example"
        )));
        assert!(!same_origin(&request(
            "https://shop.example.evil.example",
            "shop.example"
        )));
        assert!(same_origin(&request("http://[::1]:8080", "[::1]")));
    }
}
