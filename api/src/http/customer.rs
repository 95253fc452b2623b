//! Shoppers' sessions as handlers receive them: the session cookie read and authenticated, and on
//! every write the CSRF token and origin checked, here and nowhere else, so that no handler can
//! use the cookie without them.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::accounts::Realm;
use crate::error::ApiError;
use crate::http::cookie::CustomerCookie;
use crate::http::forgery;
use crate::services::Pool;
use crate::services::customers::{Accounts, CustomerPrincipal, sessions};

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

const CSRF_HINT: &str = "send the session's csrf_token (GET /api/v1/auth/session) as X-CSRF-Token";

/// The live session the request's cookie names, if any. Accounts being off answers 404.
async fn principal_of(req: &HttpRequest) -> Result<Option<CustomerPrincipal>, ApiError> {
    let accounts = req
        .app_data::<web::Data<Accounts>>()
        .ok_or_else(|| ApiError::Internal("no account settings".into()))?;
    accounts.require()?;
    let cookie = req
        .app_data::<web::Data<CustomerCookie>>()
        .ok_or_else(|| ApiError::Internal("no session settings".into()))?;
    let Some(token) = cookie.0.read(req) else {
        return Ok(None);
    };
    let pool = req
        .app_data::<web::Data<Pool>>()
        .ok_or_else(|| ApiError::Internal("no database pool".into()))?;
    let principal = sessions::authenticate(pool, cookie.0.rules, token).await?;
    if let Some(principal) = &principal
        && !matches!(*req.method(), Method::GET | Method::HEAD)
    {
        forgery::check_csrf(req, &principal.session, Realm::Customer, CSRF_HINT)?;
    }
    Ok(principal)
}

/// A signed-in shopper; 401 `sign-in-required` otherwise.
pub struct Customer(pub CustomerPrincipal);

impl FromRequest for Customer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            principal_of(&req)
                .await?
                .map(Customer)
                .ok_or(ApiError::SignInRequired)
        })
    }
}

/// The signed-in shopper, or `None` for a guest (a stale cookie is a guest's).
pub struct MaybeCustomer(pub Option<CustomerPrincipal>);

impl FromRequest for MaybeCustomer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { principal_of(&req).await.map(MaybeCustomer) })
    }
}
