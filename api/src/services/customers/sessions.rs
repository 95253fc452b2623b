//! Shoppers' sessions: kept in PostgreSQL and known there only by the SHA-256 of their cookie, a
//! new one at every sign-in, ended by signing out, by a password reset, by disuse or by age.
//! A wrong password counts toward a short lock of the account (anyone who knows an address could
//! lock it) and toward the client's throttle, apart from staff's. The password is verified with no
//! pooled connection and no row lock held, since hashing takes tens of milliseconds.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{CustomerPrincipal, CustomerView};
use crate::db::customers::{self as queries, CustomerRow};
use crate::db::{self, Pool, customer_orders, login_failures};
use crate::domain::accounts::Realm;
use crate::error::{AccessRefusal, ApiError};
use crate::services::auth::login::SessionRules;
use crate::services::auth::secrets;

/// Whether the shopper is signed in, and as whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerSession {
    pub signed_in: bool,
    pub customer: Option<CustomerView>,
    /// Send it as `X-CSRF-Token` with every write made with the session cookie.
    pub csrf_token: Option<String>,
    /// Seconds of disuse after which the session ends.
    pub idle_timeout_secs: u64,
}

impl CustomerSession {
    pub fn guest(rules: &SessionRules) -> CustomerSession {
        CustomerSession {
            signed_in: false,
            customer: None,
            csrf_token: None,
            idle_timeout_secs: rules.idle.as_secs(),
        }
    }
}

/// A new session: its cookie, and what the storefront is told.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub session: CustomerSession,
}

pub(super) fn open_session(
    conn: &mut PgConnection,
    row: CustomerRow,
    client_addr: &str,
    rules: &SessionRules,
) -> Result<SignedIn, ApiError> {
    let token = secrets::random_token()?;
    queries::insert_session(conn, &secrets::digest(&token), row.id, client_addr)?;
    Ok(SignedIn {
        session: CustomerSession {
            signed_in: true,
            customer: Some(row.into()),
            csrf_token: Some(secrets::csrf_token(&token, Realm::Customer)),
            idle_timeout_secs: rules.idle.as_secs(),
        },
        token,
    })
}

/// A password checked against an account, before the account is locked for the outcome.
pub(super) struct Checked {
    read: Option<CustomerRow>,
    matches: bool,
}

/// Refuses a client that failed too often, reads the account with `find`, and verifies the
/// password against it (against a decoy when there is none, which takes as long).
pub(super) async fn check_password<F>(
    pool: &Pool,
    rules: &SessionRules,
    client_addr: &str,
    password: String,
    find: F,
) -> Result<Checked, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<Option<CustomerRow>, ApiError> + Send + 'static,
{
    let (limit, window) = (rules.client_limit, rules.client_window);
    let client = client_addr.to_owned();
    let read = db::run(pool, move |conn| {
        let failures =
            login_failures::count(conn, Realm::Customer, &client, SessionRules::secs(window))?;
        if failures >= limit {
            return Err(ApiError::TooManyLoginAttempts {
                retry_after_secs: window.as_secs(),
            });
        }
        find(conn)
    })
    .await?;
    let hash = read.as_ref().map(|row| row.password_hash.clone());
    let matches = secrets::verify_password_off_thread(password, hash).await?;
    Ok(Checked { read, matches })
}

/// Settles a check in the caller's transaction: locks the account and answers it if the password
/// matched, the account is not locked, and its password has not changed since it was read;
/// otherwise counts the failure (locking the account every `lock_after` of them) and answers None.
pub(super) fn settle(
    conn: &mut PgConnection,
    rules: &SessionRules,
    checked: &Checked,
    client_addr: &str,
) -> Result<Option<CustomerRow>, ApiError> {
    let current = match &checked.read {
        Some(read) => queries::lock(conn, read.id)?,
        None => None,
    };
    if let (Some(read), Some(account)) = (&checked.read, &current)
        && checked.matches
        && account.password_changed_at == read.password_changed_at
        && !queries::is_locked(conn, account.id)?
    {
        queries::clear_failures(conn, account.id)?;
        return Ok(current);
    }
    if let Some(account) = current {
        let lock = rules
            .lock_after_failures(account.failed_logins + 1)
            .map(SessionRules::secs);
        queries::count_failure(conn, account.id, lock)?;
    }
    login_failures::record(
        conn,
        Realm::Customer,
        client_addr,
        SessionRules::secs(rules.client_window),
    )?;
    Ok(None)
}

/// Signs a shopper in. An unknown email, a wrong password and a locked account are refused alike;
/// the right password of an unconfirmed address is told to confirm it first.
pub async fn sign_in(
    pool: &Pool,
    rules: SessionRules,
    email: String,
    password: String,
    client_addr: String,
) -> Result<SignedIn, ApiError> {
    let email = email.trim().to_lowercase();
    let checked = check_password(pool, &rules, &client_addr, password, move |conn| {
        Ok(queries::find_by_email(conn, &email, false)?)
    })
    .await?;
    let signed_in = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let Some(account) = settle(conn, &rules, &checked, &client_addr)? else {
                return Ok(None);
            };
            if account.email_verified_at.is_none() {
                return Err(ApiError::Forbidden {
                    reason: AccessRefusal::EmailNotVerified,
                    detail: "confirm your email address with the link we sent (ask for a new one \
                             with POST /api/v1/auth/verification)"
                        .into(),
                });
            }
            // A guest order paid while the address was being confirmed was seen by neither side:
            // claiming at every sign-in catches it.
            customer_orders::claim_paid_orders(conn, account.id, &account.email)?;
            open_session(conn, account, &client_addr, &rules).map(Some)
        })
    })
    .await?;
    signed_in.ok_or(ApiError::InvalidCredentials)
}

/// The shopper whose session cookie this is, the session marked as used now; `None` for an
/// unknown, idle or expired session.
pub async fn authenticate(
    pool: &Pool,
    rules: SessionRules,
    token: String,
) -> Result<Option<CustomerPrincipal>, ApiError> {
    db::run(pool, move |conn| {
        let hash = secrets::digest(&token);
        let Some(id) = queries::touch_session(
            conn,
            &hash,
            SessionRules::secs(rules.idle),
            SessionRules::secs(rules.max_age),
        )?
        else {
            return Ok(None);
        };
        Ok(queries::find(conn, id)?.map(|row| CustomerPrincipal {
            id: row.id,
            email: row.email,
            session: token,
        }))
    })
    .await
}

/// What `GET /auth/session` answers for a signed-in shopper.
pub async fn session_of(
    pool: &Pool,
    rules: &SessionRules,
    principal: &CustomerPrincipal,
) -> Result<CustomerSession, ApiError> {
    let id = principal.id;
    let row = db::run(pool, move |conn| Ok(queries::find(conn, id)?))
        .await?
        .ok_or(ApiError::SignInRequired)?;
    Ok(CustomerSession {
        signed_in: true,
        customer: Some(row.into()),
        csrf_token: Some(secrets::csrf_token(&principal.session, Realm::Customer)),
        idle_timeout_secs: rules.idle.as_secs(),
    })
}

pub async fn sign_out(pool: &Pool, principal: &CustomerPrincipal) -> Result<(), ApiError> {
    let hash = secrets::digest(&principal.session);
    db::run(pool, move |conn| Ok(queries::delete_session(conn, &hash)?)).await?;
    Ok(())
}

/// The account as its owner sees it.
pub async fn me(pool: &Pool, customer_id: Uuid) -> Result<CustomerView, ApiError> {
    db::run(pool, move |conn| Ok(queries::find(conn, customer_id)?))
        .await?
        .map(CustomerView::from)
        .ok_or(ApiError::SignInRequired)
}
