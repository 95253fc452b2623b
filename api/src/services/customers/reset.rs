//! Password reset by emailed link: asking always answers the same; the link works once, for 30
//! minutes; using it sets the new password, ends every session of the account, lifts any lock,
//! and (since it proves the address) confirms an unconfirmed account.

use chrono::Utc;
use diesel::prelude::*;

use super::{Accounts, RESEND_AFTER_SECS, RESET_VALID_SECS};
use crate::db::customers as queries;
use crate::db::{self, Pool, customer_orders};
use crate::domain::accounts::{TokenPurpose, check_new_password};
use crate::domain::status::EmailKind;
use crate::error::ApiError;
use crate::mail::{LookupLink, Payload};
use crate::services::auth::secrets;
use crate::services::emails::account as mail;

/// Mails a reset link to the account of `email` (lower case), if there is one and none went out
/// within the minute. The work runs after the answer, whose timing so tells nothing about the
/// address; a failure is logged (the shopper can ask again).
pub fn request(pool: &Pool, accounts: &Accounts, email: String) -> Result<(), ApiError> {
    accounts.require()?;
    let (pool, accounts) = (pool.clone(), accounts.clone());
    actix_web::rt::spawn(async move {
        if let Err(err) = mail_link(&pool, accounts, email).await {
            log::warn!("a password reset link could not be queued: {err}");
        }
    });
    Ok(())
}

async fn mail_link(pool: &Pool, accounts: Accounts, email: String) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let Some(account) = queries::find_by_email(conn, &email, true)? else {
                return Ok(());
            };
            if mail::sent_recently(conn, EmailKind::PasswordReset, &email, RESEND_AFTER_SECS)? {
                return Ok(());
            }
            let valid = i32::try_from(RESET_VALID_SECS).unwrap_or(i32::MAX);
            let token = queries::issue_token(conn, account.id, TokenPurpose::ResetPassword, valid)?;
            let url = accounts.link(
                TokenPurpose::ResetPassword,
                token.id,
                token.expires_at.timestamp(),
            )?;
            let payload = Payload::PasswordReset(LookupLink {
                url,
                valid_minutes: u32::try_from(RESET_VALID_SECS / 60).unwrap_or(30),
            });
            mail::write(conn, account.id, &account.email, &payload)
        })
    })
    .await
}

/// Sets a new password with a reset link.
pub async fn reset(
    pool: &Pool,
    accounts: &Accounts,
    token: &str,
    new_password: String,
) -> Result<(), ApiError> {
    let token_id = accounts.token_of(TokenPurpose::ResetPassword, token)?;
    let account = db::run(pool, move |conn| {
        let token = queries::find_token(conn, token_id)?
            .filter(|t| {
                t.purpose == TokenPurpose::ResetPassword
                    && t.used_at.is_none()
                    && t.expires_at > Utc::now()
            })
            .ok_or(ApiError::LinkInvalid)?;
        queries::find(conn, token.customer_id)?.ok_or(ApiError::LinkInvalid)
    })
    .await?;
    check_new_password(&new_password, &account.email)
        .map_err(|e| ApiError::invalid("new_password", e))?;
    let hash = secrets::hash_password_off_thread(new_password).await?;
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            queries::use_token(conn, token_id, TokenPurpose::ResetPassword)?
                .filter(|t| t.customer_id == account.id)
                .ok_or(ApiError::LinkInvalid)?;
            queries::set_password(conn, account.id, &hash)?;
            queries::delete_sessions_of(conn, account.id, None)?;
            super::retire_cart_secret(conn, account.id)?;
            if queries::mark_verified(conn, account.id)? > 0 {
                customer_orders::claim_paid_orders(conn, account.id, &account.email)?;
            }
            Ok(())
        })
    })
    .await
}
