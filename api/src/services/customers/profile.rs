//! What the shopper changes on their account: their name, their marketing consent (each change
//! recorded with its time), and their password, which takes the current one and ends every other
//! session.

use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::sessions::{self, SignedIn};
use super::{Accounts, CustomerPrincipal, CustomerView};
use crate::db::customers as queries;
use crate::db::{self, Pool};
use crate::domain::accounts::{MAX_PASSWORD_CHARS, TokenPurpose, check_new_password};
use crate::error::ApiError;
use crate::mail::{AccountLinks, Payload};
use crate::services::auth::login::SessionRules;
use crate::services::auth::secrets;
use crate::services::emails::account as mail;
use crate::services::patches::{present, some};

/// Only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Ada Lovelace", "marketing_consent": true}))]
pub struct ProfileInput {
    /// 1 to 100 characters once trimmed; `null` forgets it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub name: Option<Option<String>>,
    /// Whether the shop may send marketing email; every change is recorded with its time.
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub marketing_consent: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "violet kettle harbour lamp", "new_password": "correct horse battery staple"}))]
pub struct PasswordChangeInput {
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    /// 12 to 128 characters of any kind, not one of the passwords tried first, and not
    /// containing the email address's name.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

fn checked_name(name: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(name) = name else {
        return Ok(None);
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            "must be 1 to 100 characters, none of them control characters",
        ));
    }
    Ok(Some(name.to_owned()))
}

pub async fn update(
    pool: &Pool,
    customer_id: Uuid,
    input: ProfileInput,
) -> Result<CustomerView, ApiError> {
    let name = input.name.map(checked_name).transpose()?;
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            queries::lock(conn, customer_id)?.ok_or(ApiError::SignInRequired)?;
            if let Some(name) = &name {
                queries::set_name(conn, customer_id, name.as_deref())?;
            }
            if let Some(granted) = input.marketing_consent {
                queries::set_marketing_consent(conn, customer_id, granted)?;
            }
            queries::find(conn, customer_id)?
                .map(CustomerView::from)
                .ok_or(ApiError::SignInRequired)
        })
    })
    .await
}

/// Changes the password: every session of the account ends, and a new one begins for the request
/// that changed it; reset links and the cart's secret handed out so far stop working; the address
/// is told, in case it was not its owner.
pub async fn change_password(
    pool: &Pool,
    accounts: &Accounts,
    rules: SessionRules,
    principal: &CustomerPrincipal,
    input: PasswordChangeInput,
    client_addr: String,
) -> Result<SignedIn, ApiError> {
    if input.current_password.is_empty()
        || input.current_password.chars().count() > MAX_PASSWORD_CHARS
    {
        return Err(ApiError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let id = principal.id;
    let account = db::run(pool, move |conn| Ok(queries::find(conn, id)?))
        .await?
        .ok_or(ApiError::SignInRequired)?;
    check_new_password(&input.new_password, &account.email)
        .map_err(|e| ApiError::invalid("new_password", e))?;
    if input.new_password == input.current_password {
        return Err(ApiError::invalid(
            "new_password",
            "must differ from the current password",
        ));
    }
    // A wrong current password counts as a failed sign-in: the session is no licence to guess.
    let checked = sessions::check_password(
        pool,
        &rules,
        &client_addr,
        input.current_password,
        move |conn| Ok(queries::find(conn, id)?),
    )
    .await?;
    let hash = secrets::hash_password_off_thread(input.new_password).await?;
    let notice = Payload::PasswordChanged(AccountLinks {
        sign_in_url: accounts.page("sign-in"),
        reset_url: accounts.page("forgot-password"),
    });
    let changed = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let Some(current) = sessions::settle(conn, &rules, &checked, &client_addr)? else {
                return Ok(None);
            };
            queries::set_password(conn, id, &hash)?;
            queries::delete_sessions_of(conn, id, None)?;
            queries::revoke_tokens(conn, id, TokenPurpose::ResetPassword)?;
            super::retire_cart_secret(conn, id)?;
            mail::write(conn, id, &current.email, &notice)?;
            let current = queries::find(conn, id)?.ok_or(ApiError::SignInRequired)?;
            sessions::open_session(conn, current, &client_addr, &rules).map(Some)
        })
    })
    .await?;
    changed.ok_or_else(|| ApiError::invalid("current_password", "is not your current password"))
}
