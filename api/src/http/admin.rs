//! The admin API's gate: finds the operation in [`crate::http::access`], authenticates the
//! caller (a session cookie, an API key, or the bootstrap `ADMIN_API_TOKEN`), checks its role,
//! checks the CSRF token and origin of a write made with the cookie, and records every write in
//! the audit log once it is answered.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, ResponseError, web};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::accounts::Realm;
use crate::error::{AccessRefusal, ApiError};
use crate::http::access::{self, Access, Operation};
use crate::http::client::{TrustedProxies, client_ip};
use crate::http::forgery;
use crate::services::Pool;
use crate::services::audit::{self, AuditEntry};
use crate::services::staff::sessions;
use crate::services::staff::{Principal, keys};

mod audit_summary;

pub use crate::http::cookie::SessionCookie;

/// The configured bootstrap token, kept only as a digest: comparing digests in constant time
/// reveals neither the token's bytes nor its length through timing.
#[derive(Clone)]
pub struct AdminToken(Option<[u8; 32]>);

impl AdminToken {
    pub fn new(token: Option<&SecretString>) -> Self {
        AdminToken(token.map(|t| Sha256::digest(t.expose_secret().as_bytes()).into()))
    }

    fn matches(&self, presented: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        self.0
            .as_ref()
            .is_some_and(|expected| bool::from(digest.ct_eq(expected)))
    }
}

/// The bearer token of an `Authorization` header; `Err` for any other scheme.
fn bearer(value: &[u8]) -> Result<&[u8], ApiError> {
    value
        .split_at_checked(7)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(b"bearer "))
        .map(|(_, token)| token)
        .ok_or(ApiError::Unauthorized)
}

async fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let pool = req
        .app_data::<web::Data<Pool>>()
        .ok_or_else(|| ApiError::Internal("no database pool".into()))?;
    if let Some(authorization) = req.headers().get(header::AUTHORIZATION) {
        let token = bearer(authorization.as_bytes())?;
        let bootstrap = req.app_data::<web::Data<AdminToken>>();
        if bootstrap.is_some_and(|expected| expected.matches(token)) {
            return Ok(Principal::bootstrap());
        }
        let token = std::str::from_utf8(token).map_err(|_| ApiError::Unauthorized)?;
        return keys::authenticate(pool, token.to_owned())
            .await?
            .ok_or(ApiError::Unauthorized);
    }
    let cookies = req
        .app_data::<web::Data<SessionCookie>>()
        .ok_or_else(|| ApiError::Internal("no session settings".into()))?;
    let token = cookies.read(req).ok_or(ApiError::Unauthorized)?;
    sessions::authenticate(pool, cookies.rules, token).await
}

fn refuse(reason: AccessRefusal, detail: impl Into<String>) -> ApiError {
    ApiError::Forbidden {
        reason,
        detail: detail.into(),
    }
}

fn authorize(operation: &Operation, principal: &Principal) -> Result<(), ApiError> {
    if principal.must_change_password && operation.access != Access::SignedIn {
        return Err(refuse(
            AccessRefusal::PasswordChangeRequired,
            "you logged in with a one-time password: change it (POST /api/v1/admin/session/password) first",
        ));
    }
    match operation.access {
        Access::Public | Access::SignedIn => Ok(()),
        Access::Needs(capability) if principal.role.may(capability) => Ok(()),
        Access::Needs(_) => Err(refuse(
            AccessRefusal::RoleForbids,
            format!(
                "the {} role may not {}",
                principal.role,
                operation.name.replace('_', " ")
            ),
        )),
    }
}

/// A write made with the session cookie must carry the session's CSRF token and come from the
/// shop's own pages; a bearer token is never sent by a browser on its own, so it needs neither.
fn check_forgery(
    req: &HttpRequest,
    operation: &Operation,
    principal: &Principal,
) -> Result<(), ApiError> {
    let Some(session) = principal.session.as_deref() else {
        return Ok(());
    };
    if !operation.is_write() {
        return Ok(());
    }
    forgery::check_csrf(
        req,
        session,
        Realm::Staff,
        "send the session's csrf_token (GET /api/v1/admin/session) as X-CSRF-Token",
    )
}

fn client_addr(req: &HttpRequest) -> String {
    let trusted = req
        .app_data::<web::Data<TrustedProxies>>()
        .map(|t| t.get_ref().clone())
        .unwrap_or_default();
    client_ip(req, &trusted).to_string()
}

async fn record(req: &HttpRequest, entry: AuditEntry) {
    let Some(pool) = req.app_data::<web::Data<Pool>>() else {
        return;
    };
    if let Err(err) = audit::record(pool, entry).await {
        log::error!("could not record an admin write in the audit log: {err}");
    }
}

pub async fn admin_gate(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let operation = req
        .match_pattern()
        .and_then(|pattern| access::find(req.method(), &pattern));
    // No row: the router answers 404 or 405, or the handler's `Admin` refuses.
    let Some(operation) = operation.filter(|op| op.access != Access::Public) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let principal = match authenticate(req.request()).await {
        Ok(principal) => principal,
        Err(err) => return Ok(req.error_response(err)),
    };
    let mut entry = AuditEntry::by(&principal, operation.name, client_addr(req.request()));
    entry.target_type = Some(operation.target);
    entry.target_id = audit_summary::path_target(req.request());
    let verdict = authorize(operation, &principal)
        .and_then(|()| check_forgery(req.request(), operation, &principal));
    if let Err(err) = verdict {
        if operation.is_write() {
            entry.status = err.status_code().as_u16();
            record(req.request(), entry).await;
        }
        return Ok(req.error_response(err));
    }
    if !operation.is_write() {
        req.extensions_mut().insert(principal);
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    entry.summary = match audit_summary::take_body(&mut req).await {
        Ok(summary) => summary,
        Err(err) => return Ok(req.error_response(err)),
    };
    req.extensions_mut().insert(principal);
    let response = next.call(req).await?.map_into_boxed_body();
    if response.status().is_success() || response.status().as_u16() == 403 {
        let (response, created) = audit_summary::created_id(response).await;
        entry.status = response.status().as_u16();
        entry.target_id = created.or(entry.target_id);
        record(response.request(), entry).await;
        return Ok(response);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bootstrap_token_matches() {
        let token = AdminToken::new(Some(&SecretString::from("a".repeat(40))));
        assert!(token.matches("a".repeat(40).as_bytes()));
        assert!(!token.matches("a".repeat(39).as_bytes()));
        assert!(!token.matches(format!("{}b", "a".repeat(39)).as_bytes()));
        assert!(!AdminToken::new(None).matches(b""));
        assert!(!AdminToken::new(None).matches("a".repeat(40).as_bytes()));
    }

    #[test]
    fn only_bearer_authorization_is_read() {
        assert_eq!(bearer(b"Bearer abc").unwrap(), b"abc");
        assert_eq!(bearer(b"bearer abc").unwrap(), b"abc");
        assert!(bearer(b"Basic abc").is_err());
        assert!(bearer(b"abc").is_err());
    }
}
