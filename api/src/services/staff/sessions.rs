//! Staff login sessions (OWASP ASVS 3): kept in PostgreSQL and known there only by the SHA-256
//! of their cookie; a new one at every login and password change; ended by logout, by being idle
//! too long, or by growing too old. Failed logins lock the account a while, every `lock_after`
//! of them for twice as long as the time before, and throttle the client that makes them.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Principal;
use crate::db::staff as queries;
use crate::db::{self, Pool, login_failures};
use crate::domain::accounts::Realm;
use crate::domain::staff::{ActorKind, Role, check_new_password};
use crate::error::{AccessRefusal, ApiError};
use crate::services::audit::{self, AuditEntry};
pub use crate::services::auth::login::SessionRules;
use crate::services::auth::secrets;

/// The logged-in staff member, as the admin app needs them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// The staff member, or the API key.
    pub id: Option<Uuid>,
    pub actor_kind: ActorKind,
    /// Their email, or the API key's name.
    #[schema(example = "ada@shop.example")]
    pub label: String,
    pub role: Role,
    /// Nothing but changing the password is allowed until it is changed.
    pub must_change_password: bool,
    /// Send it as `X-CSRF-Token` with every write made with the session cookie. Absent for
    /// API keys, which need none.
    pub csrf_token: Option<String>,
    /// Seconds of disuse after which the session ends.
    pub idle_timeout_secs: u64,
}

/// A new session: its cookie, and what the app is told.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub view: SessionView,
}

pub fn view(principal: &Principal, rules: &SessionRules) -> SessionView {
    SessionView {
        id: principal.id,
        actor_kind: principal.kind,
        label: principal.label.clone(),
        role: principal.role,
        must_change_password: principal.must_change_password,
        csrf_token: principal
            .session
            .as_deref()
            .map(|session| secrets::csrf_token(session, Realm::Staff)),
        idle_timeout_secs: rules.idle.as_secs(),
    }
}

fn open_session(
    conn: &mut PgConnection,
    row: &queries::StaffRow,
    client_addr: &str,
    rules: &SessionRules,
) -> Result<LoggedIn, ApiError> {
    let token = secrets::random_token()?;
    queries::insert_session(conn, &secrets::digest(&token), row.id, client_addr)?;
    let principal = Principal::of_staff(row, Some(token.clone()));
    Ok(LoggedIn {
        view: view(&principal, rules),
        token,
    })
}

enum Attempt {
    Success(LoggedIn),
    Failure,
}

/// Logs a staff member in. An unknown email, a wrong password, a locked or a deactivated account
/// are refused alike, after the same password hashing.
pub async fn login(
    pool: &Pool,
    rules: SessionRules,
    email: String,
    password: String,
    client_addr: String,
) -> Result<LoggedIn, ApiError> {
    let window = SessionRules::secs(rules.client_window);
    db::run(pool, move |conn| {
        if login_failures::count(conn, Realm::Staff, &client_addr, window)? >= rules.client_limit {
            return Err(ApiError::TooManyLoginAttempts {
                retry_after_secs: rules.client_window.as_secs(),
            });
        }
        let email = email.trim().to_lowercase();
        let attempt = conn.transaction(|conn| -> Result<Attempt, ApiError> {
            let row = queries::find_by_email_for_update(conn, &email)?;
            let matches =
                secrets::verify_password(&password, row.as_ref().map(|r| r.password_hash.as_str()));
            let admitted = match &row {
                Some(account) => {
                    matches && account.active && !queries::is_locked(conn, account.id)?
                }
                None => false,
            };
            let mut entry = AuditEntry {
                actor_kind: ActorKind::Anonymous,
                actor_id: None,
                actor_label: email.chars().take(254).collect(),
                operation: "login_failed".to_owned(),
                target_type: Some("staff"),
                target_id: None,
                client_addr: client_addr.clone(),
                status: 401,
                summary: serde_json::json!({}),
            };
            match row {
                Some(account) if admitted => {
                    queries::clear_failures(conn, account.id)?;
                    queries::delete_stale_sessions(
                        conn,
                        SessionRules::secs(rules.idle),
                        SessionRules::secs(rules.max_age),
                    )?;
                    let logged_in = open_session(conn, &account, &client_addr, &rules)?;
                    entry.actor_kind = ActorKind::Staff;
                    entry.actor_id = Some(account.id);
                    entry.operation = "login".to_owned();
                    entry.target_id = Some(account.id.to_string());
                    entry.status = 200;
                    audit::write(conn, &entry)?;
                    Ok(Attempt::Success(logged_in))
                }
                account => {
                    if let Some(account) = account {
                        let lock = rules
                            .lock_after_failures(account.failed_logins + 1)
                            .map(SessionRules::secs);
                        queries::count_failure(conn, account.id, lock)?;
                        entry.target_id = Some(account.id.to_string());
                    }
                    login_failures::record(conn, Realm::Staff, &client_addr, window)?;
                    audit::write(conn, &entry)?;
                    Ok(Attempt::Failure)
                }
            }
        })?;
        match attempt {
            Attempt::Success(logged_in) => Ok(logged_in),
            Attempt::Failure => Err(ApiError::InvalidCredentials),
        }
    })
    .await
}

/// The staff member whose session cookie this is, the session marked as used now; an unknown,
/// idle, expired or deactivated session is refused.
pub async fn authenticate(
    pool: &Pool,
    rules: SessionRules,
    token: String,
) -> Result<Principal, ApiError> {
    db::run(pool, move |conn| {
        let hash = secrets::digest(&token);
        let staff_id = queries::touch_session(
            conn,
            &hash,
            SessionRules::secs(rules.idle),
            SessionRules::secs(rules.max_age),
        )?
        .ok_or(ApiError::Unauthorized)?;
        match queries::find(conn, staff_id)? {
            Some(row) if row.active => Ok(Principal::of_staff(&row, Some(token))),
            _ => {
                queries::delete_session(conn, &hash)?;
                Err(ApiError::Unauthorized)
            }
        }
    })
    .await
}

fn session_of(principal: &Principal) -> Result<(Uuid, &str), ApiError> {
    match (principal.staff_id(), principal.session.as_deref()) {
        (Some(id), Some(token)) => Ok((id, token)),
        _ => Err(ApiError::Forbidden {
            reason: AccessRefusal::SessionRequired,
            detail: "this operation is about a login session; an API key has none".into(),
        }),
    }
}

pub async fn logout(pool: &Pool, principal: &Principal) -> Result<(), ApiError> {
    let (_, token) = session_of(principal)?;
    let hash = secrets::digest(token);
    db::run(pool, move |conn| Ok(queries::delete_session(conn, &hash)?)).await?;
    Ok(())
}

/// Changes the staff member's password: every session of theirs ends, and a new one begins for
/// the request that changed it.
pub async fn change_password(
    pool: &Pool,
    rules: SessionRules,
    principal: &Principal,
    current: String,
    new: String,
    client_addr: String,
) -> Result<LoggedIn, ApiError> {
    let (staff_id, _) = session_of(principal)?;
    db::run(pool, move |conn| {
        let row = queries::find(conn, staff_id)?.ok_or(ApiError::Unauthorized)?;
        if !secrets::verify_password(&current, Some(&row.password_hash)) {
            return Err(ApiError::invalid(
                "current_password",
                "is not your current password",
            ));
        }
        check_new_password(&new, &row.email).map_err(|e| ApiError::invalid("new_password", e))?;
        if new == current {
            return Err(ApiError::invalid(
                "new_password",
                "must differ from the current password",
            ));
        }
        let hash = secrets::hash_password(&new)?;
        conn.transaction(|conn| {
            queries::set_password(conn, staff_id, &hash, false)?;
            queries::delete_sessions_of(conn, staff_id, None)?;
            let row = queries::find(conn, staff_id)?.ok_or(ApiError::Unauthorized)?;
            open_session(conn, &row, &client_addr, &rules)
        })
    })
    .await
}
