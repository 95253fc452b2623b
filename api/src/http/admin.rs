//! The admin API's authentication: a bearer token compared in constant time with the configured one.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError, web};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::http::extract::Admin;

/// The configured admin token, kept only as a digest: comparing digests in constant time
/// reveals neither the token's bytes nor its length through timing.
#[derive(Clone)]
pub struct AdminToken(Option<[u8; 32]>);

impl AdminToken {
    pub fn new(token: Option<&SecretString>) -> Self {
        AdminToken(token.map(|t| Sha256::digest(t.expose_secret().as_bytes()).into()))
    }

    fn check(&self, authorization: Option<&[u8]>) -> Result<(), ApiError> {
        let Some(expected) = &self.0 else {
            return Err(ApiError::AdminDisabled);
        };
        let presented = authorization
            .and_then(|value| {
                let (scheme, token) = value.split_at_checked(7)?;
                scheme.eq_ignore_ascii_case(b"bearer ").then_some(token)
            })
            .ok_or(ApiError::Unauthorized)?;
        let digest: [u8; 32] = Sha256::digest(presented).into();
        if bool::from(digest.ct_eq(expected)) {
            Ok(())
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

pub async fn require_admin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let verdict = match req.app_data::<web::Data<AdminToken>>() {
        Some(token) => token.check(
            req.headers()
                .get(header::AUTHORIZATION)
                .map(|value| value.as_bytes()),
        ),
        None => Err(ApiError::AdminDisabled),
    };
    match verdict {
        Ok(()) => {
            req.extensions_mut().insert(Admin);
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(err) => Ok(req
            .into_response(err.error_response())
            .map_into_right_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> AdminToken {
        AdminToken::new(Some(&SecretString::from("a".repeat(40))))
    }

    #[test]
    fn accepts_only_the_exact_bearer_token() {
        let right = format!("Bearer {}", "a".repeat(40));
        assert!(token().check(Some(right.as_bytes())).is_ok());
        let lower = format!("bearer {}", "a".repeat(40));
        assert!(token().check(Some(lower.as_bytes())).is_ok());
        for wrong in [
            format!("Bearer {}", "a".repeat(39)),
            format!("Bearer {}b", "a".repeat(39)),
            format!("Basic {}", "a".repeat(40)),
            "a".repeat(40),
            String::new(),
        ] {
            assert!(matches!(
                token().check(Some(wrong.as_bytes())),
                Err(ApiError::Unauthorized)
            ));
        }
        assert!(matches!(token().check(None), Err(ApiError::Unauthorized)));
    }

    #[test]
    fn no_configured_token_disables_admin() {
        let right = format!("Bearer {}", "a".repeat(40));
        assert!(matches!(
            AdminToken::new(None).check(Some(right.as_bytes())),
            Err(ApiError::AdminDisabled)
        ));
    }
}
