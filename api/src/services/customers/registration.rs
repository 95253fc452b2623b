//! Signing up and confirming the address. Signing up answers the same whether or not the address
//! has an account: a new one is mailed a confirmation link, an existing one a note that it
//! exists. Confirming takes the link and the password chosen at sign-up, so only whoever chose
//! the password and reads the mail can confirm it; it then attaches the address's paid guest
//! orders to the account and signs the shopper in.

use chrono::Utc;
use diesel::prelude::*;

use super::sessions::{self, SignedIn};
use super::{Accounts, RESEND_AFTER_SECS, VERIFY_VALID_SECS};
use crate::db::customers::{self as queries, CustomerRow};
use crate::db::{self, Pool, customer_orders};
use crate::domain::accounts::TokenPurpose;
use crate::domain::status::EmailKind;
use crate::error::ApiError;
use crate::mail::{AccountLinks, LookupLink, Payload};
use crate::services::auth::login::SessionRules;
use crate::services::auth::secrets;
use crate::services::emails::account as mail;

/// Mails the account a new confirmation link, unless one went out within the minute (a new link
/// would stop the one just mailed from working).
fn send_confirmation(
    conn: &mut PgConnection,
    accounts: &Accounts,
    account: &CustomerRow,
) -> Result<(), ApiError> {
    if mail::sent_recently(
        conn,
        EmailKind::AccountVerify,
        &account.email,
        RESEND_AFTER_SECS,
    )? {
        return Ok(());
    }
    let valid = i32::try_from(VERIFY_VALID_SECS).unwrap_or(i32::MAX);
    let token = queries::issue_token(conn, account.id, TokenPurpose::VerifyEmail, valid)?;
    let url = accounts.link(
        TokenPurpose::VerifyEmail,
        token.id,
        token.expires_at.timestamp(),
    )?;
    let payload = Payload::AccountVerify(LookupLink {
        url,
        valid_minutes: u32::try_from(VERIFY_VALID_SECS / 60).unwrap_or(u32::MAX),
    });
    mail::write(conn, account.id, &account.email, &payload)
}

/// Signs up `email` (lower case, checked) with `password` (checked).
pub async fn register(
    pool: &Pool,
    accounts: &Accounts,
    email: String,
    password: String,
) -> Result<(), ApiError> {
    accounts.require()?;
    // Hashed whatever happens next, so that an existing address answers as slowly as a new one.
    let hash = secrets::hash_password_off_thread(password).await?;
    let accounts = accounts.clone();
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(created) = queries::insert(conn, &email, &hash)? {
                return send_confirmation(conn, &accounts, &created);
            }
            let existing = queries::find_by_email(conn, &email, true)?
                .ok_or_else(|| ApiError::Internal("an account vanished while signing up".into()))?;
            if existing.email_verified_at.is_none() {
                // Nobody has proven the address yet: the newest sign-up's password counts, and
                // only the address's owner can confirm it.
                queries::set_password(conn, existing.id, &hash)?;
                return send_confirmation(conn, &accounts, &existing);
            }
            if mail::sent_recently(conn, EmailKind::AccountExists, &email, RESEND_AFTER_SECS)? {
                return Ok(());
            }
            let payload = Payload::AccountExists(AccountLinks {
                sign_in_url: accounts.page("sign-in"),
                reset_url: accounts.page("forgot-password"),
            });
            mail::write(conn, existing.id, &existing.email, &payload)
        })
    })
    .await
}

/// Mails a new confirmation link to an unconfirmed account of `email`; answers the same whatever
/// the address, and before the work is done, so that its timing tells nothing either.
pub fn resend_confirmation(
    pool: &Pool,
    accounts: &Accounts,
    email: String,
) -> Result<(), ApiError> {
    accounts.require()?;
    let (pool, accounts) = (pool.clone(), accounts.clone());
    actix_web::rt::spawn(async move {
        if let Err(err) = mail_confirmation(&pool, accounts, email).await {
            log::warn!("a confirmation link could not be queued: {err}");
        }
    });
    Ok(())
}

async fn mail_confirmation(pool: &Pool, accounts: Accounts, email: String) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        conn.transaction(|conn| match queries::find_by_email(conn, &email, true)? {
            Some(account) if account.email_verified_at.is_none() => {
                send_confirmation(conn, &accounts, &account)
            }
            _ => Ok(()),
        })
    })
    .await
}

/// A confirmed sign-in: the session, and how many guest orders joined the account.
#[derive(Debug)]
pub struct Confirmed {
    pub signed_in: SignedIn,
    pub claimed_orders: usize,
}

/// Confirms the address a link was mailed to, given the account's password, and signs in. A wrong
/// password counts as a failed sign-in and leaves the link usable.
pub async fn confirm(
    pool: &Pool,
    accounts: &Accounts,
    rules: SessionRules,
    token: &str,
    password: String,
    client_addr: String,
) -> Result<Confirmed, ApiError> {
    let token_id = accounts.token_of(TokenPurpose::VerifyEmail, token)?;
    let checked = sessions::check_password(pool, &rules, &client_addr, password, move |conn| {
        let token = queries::find_token(conn, token_id)?
            .filter(|t| {
                t.purpose == TokenPurpose::VerifyEmail
                    && t.used_at.is_none()
                    && t.expires_at > Utc::now()
            })
            .ok_or(ApiError::LinkInvalid)?;
        Ok(queries::find(conn, token.customer_id)?)
    })
    .await?;
    let confirmed = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let Some(account) = sessions::settle(conn, &rules, &checked, &client_addr)? else {
                return Ok(None);
            };
            queries::use_token(conn, token_id, TokenPurpose::VerifyEmail)?
                .filter(|t| t.customer_id == account.id)
                .ok_or(ApiError::LinkInvalid)?;
            queries::mark_verified(conn, account.id)?;
            let claimed_orders =
                customer_orders::claim_paid_orders(conn, account.id, &account.email)?;
            let account = queries::find(conn, account.id)?
                .ok_or_else(|| ApiError::Internal("an account vanished while confirming".into()))?;
            let signed_in = sessions::open_session(conn, account, &client_addr, &rules)?;
            Ok(Some(Confirmed {
                signed_in,
                claimed_orders,
            }))
        })
    })
    .await?;
    confirmed.ok_or(ApiError::InvalidCredentials)
}
