//! Shoppers' accounts: sign up, confirm the address, sign in and out, reset a forgotten password.
//! Every answer is `no-store`; the session cookie is set and cleared here.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::cache;
use crate::http::client::ClientIp;
use crate::http::cookie::CustomerCookie;
use crate::http::customer::{Customer, MaybeCustomer};
use crate::http::forgery;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::customers::inputs::{EmailInput, RegisterInput, ResetInput, VerifyInput};
use crate::services::customers::sessions::{self, CustomerSession};
use crate::services::customers::{Accounts, registration, reset};
use crate::services::staff::inputs::LoginInput;

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(register)
        .service(resend_verification)
        .service(verify_email)
        .service(customer_log_in)
        .service(get_customer_session)
        .service(customer_log_out)
        .service(request_password_reset)
        .service(reset_password);
}

const NO_ACCOUNTS: &str = "This shop has no accounts (email is off)";

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountAccepted {
    #[schema(example = "Check your inbox: we sent a link to confirm the address.")]
    pub detail: String,
}

fn accepted(detail: &str) -> HttpResponse {
    cache::no_store(StatusCode::ACCEPTED).json(AccountAccepted {
        detail: detail.to_owned(),
    })
}

/// Create an account
///
/// Mails a link (valid 24 hours, once) to confirm the address; nobody can sign in before that.
/// Answers 202 whatever the address: an address that already has an account is mailed a note
/// saying so instead, so the answer tells nobody which addresses have accounts.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterInput,
    responses(
        (status = 202, description = "Accepted: a confirmation link (or a note that the account exists) is on its way", body = AccountAccepted),
        (status = 403, description = "Sent from another site (`cross-origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address, or a weak password (`field` says which)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (nginx)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
async fn register(
    req: HttpRequest,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    input: web::Json<Object<RegisterInput>>,
) -> Result<HttpResponse, ApiError> {
    forgery::check_login_origin(&req)?;
    accounts.require()?;
    let input = input.into_inner().0;
    let email = input.checked()?;
    registration::register(&pool, &accounts, email, input.password).await?;
    Ok(accepted(
        "Check your inbox: we sent a link to confirm the address. It works for 24 hours.",
    ))
}

/// Send the confirmation link again
///
/// To an account whose address is not confirmed yet; answers 202 whatever the address. At most
/// one link a minute goes to an address, and each new link replaces the last.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailInput,
    responses(
        (status = 202, description = "Accepted: a new link is on its way if the address has an unconfirmed account", body = AccountAccepted),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verification")]
async fn resend_verification(
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    input: web::Json<Object<EmailInput>>,
) -> Result<HttpResponse, ApiError> {
    accounts.require()?;
    let email = input.into_inner().0.checked()?;
    registration::resend_confirmation(&pool, &accounts, email)?;
    Ok(accepted(
        "If this address has an account to confirm, a new link is on its way.",
    ))
}

/// The session a confirmation opens, and the guest orders it brought into the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedSession {
    #[serde(flatten)]
    pub session: CustomerSession,
    /// Paid guest orders of the address, now the account's.
    pub claimed_orders: usize,
}

/// Confirm the address
///
/// With the token of the emailed link and the password chosen at sign-up, so that only whoever
/// chose it and reads the mail can confirm. Paid guest orders of the address join the account,
/// and the shopper is signed in (the cookie is set). A wrong password counts as a failed sign-in
/// and leaves the link usable.
#[utoipa::path(
    tag = "accounts",
    request_body = VerifyInput,
    responses(
        (status = 200, description = "Confirmed and signed in; the cookie is set", body = VerifiedSession),
        (status = 401, description = "Wrong password (`invalid-credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent from another site (`cross-origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The link is forged, expired or used (`link-invalid`), or a field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins from this address (`too-many-login-attempts`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify")]
async fn verify_email(
    req: HttpRequest,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    cookie: web::Data<CustomerCookie>,
    client: ClientIp,
    input: web::Json<Object<VerifyInput>>,
) -> Result<HttpResponse, ApiError> {
    forgery::check_login_origin(&req)?;
    accounts.require()?;
    let input = input.into_inner().0.checked()?;
    let confirmed = registration::confirm(
        &pool,
        &accounts,
        cookie.0.rules,
        &input.token,
        input.password,
        client.0.to_string(),
    )
    .await?;
    let mut response = cache::no_store(StatusCode::OK);
    cookie.0.set(&mut response, confirmed.signed_in.token);
    Ok(response.json(VerifiedSession {
        session: confirmed.signed_in.session,
        claimed_orders: confirmed.claimed_orders,
    }))
}

/// Sign in
///
/// Sets the session cookie (HttpOnly, SameSite=Lax, `__Host-` prefixed over https) and answers
/// the session, whose `csrf_token` every write made with the cookie must send as `X-CSRF-Token`.
/// An unknown email, a wrong password and a locked account are refused alike; failed sign-ins
/// lock the account a while and throttle the client.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginInput,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = CustomerSession),
        (status = 401, description = "Wrong email or password (`invalid-credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The address is not confirmed yet (`email-not-verified`), or sent from another site (`cross-origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins from this address (`too-many-login-attempts`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn customer_log_in(
    req: HttpRequest,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    cookie: web::Data<CustomerCookie>,
    client: ClientIp,
    input: web::Json<Object<LoginInput>>,
) -> Result<HttpResponse, ApiError> {
    forgery::check_login_origin(&req)?;
    accounts.require()?;
    let input = input.into_inner().0.checked()?;
    let signed_in = sessions::sign_in(
        &pool,
        cookie.0.rules,
        input.email,
        input.password,
        client.0.to_string(),
    )
    .await?;
    let mut response = cache::no_store(StatusCode::OK);
    cookie.0.set(&mut response, signed_in.token);
    Ok(response.json(signed_in.session))
}

/// Who is signed in
///
/// The signed-in shopper and the session's CSRF token; `signed_in: false` for a guest (a
/// storefront asks on every page, so a guest is not an error).
#[utoipa::path(
    tag = "accounts",
    security((), ("customer_session" = [])),
    responses(
        (status = 200, description = "The session, or a guest's", body = CustomerSession),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/session")]
async fn get_customer_session(
    pool: web::Data<Pool>,
    cookie: web::Data<CustomerCookie>,
    customer: MaybeCustomer,
) -> Result<HttpResponse, ApiError> {
    let session = match customer.0 {
        Some(principal) => sessions::session_of(&pool, &cookie.0.rules, &principal).await?,
        None => CustomerSession::guest(&cookie.0.rules),
    };
    Ok(cache::no_store(StatusCode::OK).json(session))
}

/// Sign out
///
/// Ends the session on the server and clears the cookie.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
async fn customer_log_out(
    customer: Customer,
    pool: web::Data<Pool>,
    cookie: web::Data<CustomerCookie>,
) -> Result<HttpResponse, ApiError> {
    sessions::sign_out(&pool, &customer.0).await?;
    let mut response = HttpResponse::NoContent();
    cookie.0.clear(&mut response);
    Ok(response.finish())
}

/// Reset a forgotten password
///
/// Mails the account a link (valid 30 minutes, once) to choose a new password. Answers 202
/// whatever the address; at most one link a minute goes to an address.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailInput,
    responses(
        (status = 202, description = "Accepted: a link is on its way if the address has an account", body = AccountAccepted),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (nginx)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
async fn request_password_reset(
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    input: web::Json<Object<EmailInput>>,
) -> Result<HttpResponse, ApiError> {
    accounts.require()?;
    let email = input.into_inner().0.checked()?;
    reset::request(&pool, &accounts, email)?;
    Ok(accepted(
        "If this address has an account, a link to choose a new password is on its way; it \
         works for 30 minutes.",
    ))
}

/// Choose a new password
///
/// With the token of the emailed link. Every session of the account ends (sign in again with
/// the new password), a lock from failed sign-ins is lifted, and an unconfirmed address counts
/// as confirmed, since the link proves it.
#[utoipa::path(
    tag = "accounts",
    request_body = ResetInput,
    responses(
        (status = 204, description = "The password is changed"),
        (status = 403, description = "Sent from another site (`cross-origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NO_ACCOUNTS, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The link is forged, expired or used (`link-invalid`), or the new password is weak (`field`: `new_password`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
async fn reset_password(
    req: HttpRequest,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    input: web::Json<Object<ResetInput>>,
) -> Result<HttpResponse, ApiError> {
    forgery::check_login_origin(&req)?;
    accounts.require()?;
    let input = input.into_inner().0.checked()?;
    reset::reset(&pool, &accounts, &input.token, input.new_password).await?;
    Ok(cache::no_store(StatusCode::NO_CONTENT).finish())
}
