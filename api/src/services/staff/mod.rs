//! The back office's people and keys: staff accounts (this module), their sessions
//! ([`sessions`]) and API keys ([`keys`]), on the secrets of [`crate::services::auth`].

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::staff::{self as queries, NewStaff, StaffChanges, StaffRow};
use crate::db::{self, Pool};
use crate::domain::email;
use crate::domain::staff::{ActorKind, Role, check_new_password};
use crate::error::ApiError;
use crate::services::auth::secrets;

pub mod inputs;
pub mod keys;
pub mod sessions;

/// Who is making an admin request, as authentication found them.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: ActorKind,
    /// The staff member or API key.
    pub id: Option<Uuid>,
    /// The email or key name.
    pub label: String,
    pub role: Role,
    /// The staff member still has a one-time password.
    pub must_change_password: bool,
    /// The session cookie, when that is how the request came.
    pub session: Option<String>,
}

impl Principal {
    /// `ADMIN_API_TOKEN`: an owner before any staff exists.
    pub fn bootstrap() -> Principal {
        Principal {
            kind: ActorKind::BootstrapToken,
            id: None,
            label: "ADMIN_API_TOKEN".to_owned(),
            role: Role::Owner,
            must_change_password: false,
            session: None,
        }
    }

    fn of_staff(row: &StaffRow, session: Option<String>) -> Principal {
        Principal {
            kind: ActorKind::Staff,
            id: Some(row.id),
            label: row.email.clone(),
            role: row.role,
            must_change_password: row.must_change_password,
            session,
        }
    }

    /// The staff member making the request, if a staff member is.
    pub fn staff_id(&self) -> Option<Uuid> {
        (self.kind == ActorKind::Staff).then_some(self.id).flatten()
    }
}

/// A staff member, as the owner sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: Uuid,
    #[schema(example = "ada@shop.example")]
    pub email: String,
    pub role: Role,
    /// Deactivated staff cannot log in, and their sessions are ended.
    pub active: bool,
    /// A one-time password was given out and has not been changed yet.
    pub must_change_password: bool,
    /// Failed logins were many enough to lock the account until then.
    pub locked_until: Option<DateTime<Utc>>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl From<StaffRow> for StaffView {
    fn from(row: StaffRow) -> Self {
        StaffView {
            id: row.id,
            email: row.email,
            role: row.role,
            active: row.active,
            must_change_password: row.must_change_password,
            locked_until: row.locked_until,
            password_changed_at: row.password_changed_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    /// Oldest first.
    pub items: Vec<StaffView>,
}

/// A new staff member, with the one-time password they log in with the first time.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedStaff {
    pub staff: StaffView,
    /// Shown once: give it to them; they must change it at their first login. Absent when the
    /// password was chosen by whoever created the account.
    pub one_time_password: Option<String>,
}

/// What an owner may change about a staff member.
#[derive(Debug, Clone, Copy)]
pub struct StaffPatch {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Creates a staff member. With a `password` (the command line's standard input) it is checked
/// and kept; without one, a one-time password is made, to be changed at the first login.
pub fn create(
    conn: &mut PgConnection,
    raw_email: &str,
    role: Role,
    password: Option<&str>,
) -> Result<CreatedStaff, ApiError> {
    let email = email::parse(raw_email)
        .map_err(|e| ApiError::invalid("email", e))?
        .to_lowercase();
    let one_time = match password {
        Some(chosen) => {
            check_new_password(chosen, &email).map_err(|e| ApiError::invalid("password", e))?;
            None
        }
        None => Some(secrets::one_time_password()?),
    };
    let hash = secrets::hash_password(password.or(one_time.as_deref()).unwrap_or_default())?;
    let row = queries::insert(
        conn,
        &NewStaff {
            email: &email,
            role,
            password_hash: &hash,
            must_change_password: one_time.is_some(),
        },
    )?;
    Ok(CreatedStaff {
        staff: row.into(),
        one_time_password: one_time,
    })
}

/// Creates a staff member with a one-time password (an owner, in the back office).
pub async fn invite(pool: &Pool, email: String, role: Role) -> Result<CreatedStaff, ApiError> {
    db::run(pool, move |conn| create(conn, &email, role, None)).await
}

pub async fn list(pool: &Pool) -> Result<StaffList, ApiError> {
    let rows = db::run(pool, |conn| Ok(queries::list(conn)?)).await?;
    Ok(StaffList {
        items: rows.into_iter().map(StaffView::from).collect(),
    })
}

/// Changes a staff member's role or deactivates them; a deactivated member's sessions end. The
/// shop always keeps one active owner.
pub async fn update(pool: &Pool, id: Uuid, patch: StaffPatch) -> Result<StaffView, ApiError> {
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let owners = queries::active_owners_for_update(conn)?;
            let current = queries::find(conn, id)?
                .ok_or_else(|| ApiError::NotFound(format!("no staff member {id}")))?;
            if patch.role.is_none() && patch.active.is_none() {
                return Ok(current.into());
            }
            let stays_owner = patch.role.unwrap_or(current.role) == Role::Owner
                && patch.active.unwrap_or(current.active);
            if owners == [id] && !stays_owner {
                return Err(ApiError::Conflict(
                    "this is the only active owner: make another owner first".into(),
                ));
            }
            let row = queries::update(
                conn,
                id,
                &StaffChanges {
                    role: patch.role,
                    active: patch.active,
                },
            )?;
            if !row.active {
                queries::delete_sessions_of(conn, id, None)?;
            }
            Ok(row.into())
        })
    })
    .await
}
