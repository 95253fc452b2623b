//! API keys for integrators: named, tied to a role, shown once and stored as a SHA-256 digest
//! (the key has 256 random bits, so a fast digest cannot be reversed), revocable.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Principal;
use crate::db::staff::{self as queries, ApiKeyRow, NewApiKey};
use crate::db::{self, Pool};
use crate::domain::staff::{ActorKind, Role};
use crate::error::ApiError;
use crate::services::auth::secrets;

/// Every key starts so, which tells it apart from other secrets in a leak scanner's eyes.
const KEY_PREFIX: &str = "shop_key_";
/// How much of a key is kept to tell keys apart: the prefix and six characters of the secret.
const SHOWN_CHARS: usize = KEY_PREFIX.len() + 6;
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: Uuid,
    #[schema(example = "Warehouse sync")]
    pub name: String,
    pub role: Role,
    /// The key's first characters.
    #[schema(example = "shop_key_Xq3vA9")]
    pub prefix: String,
    /// The staff member who created it.
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// To the minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiKeyRow> for ApiKeyView {
    fn from(row: ApiKeyRow) -> Self {
        ApiKeyView {
            id: row.id,
            name: row.name,
            role: row.role,
            prefix: row.prefix,
            created_by: row.created_by,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    /// Newest first, revoked ones included.
    pub items: Vec<ApiKeyView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    pub api_key: ApiKeyView,
    /// Shown this once: send it as `Authorization: Bearer <key>`.
    #[schema(example = "shop_key_Xq3vA9bT0mKp2LwR8sYdE1fGhJ4nUcVzQ7iO5aB6xWe")]
    pub key: String,
}

pub async fn create(
    pool: &Pool,
    creator: &Principal,
    name: String,
    role: Role,
) -> Result<CreatedApiKey, ApiError> {
    let name = name.trim().to_owned();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters, without control characters"),
        ));
    }
    let key = format!("{KEY_PREFIX}{}", secrets::random_token()?);
    let created_by = creator.staff_id();
    let hash = secrets::digest(&key);
    let prefix: String = key.chars().take(SHOWN_CHARS).collect();
    let row = db::run(pool, move |conn| {
        Ok(queries::insert_api_key(
            conn,
            &NewApiKey {
                name: &name,
                role,
                token_hash: &hash,
                prefix: &prefix,
                created_by,
            },
        )?)
    })
    .await?;
    Ok(CreatedApiKey {
        api_key: row.into(),
        key,
    })
}

pub async fn list(pool: &Pool) -> Result<ApiKeyList, ApiError> {
    let rows = db::run(pool, |conn| Ok(queries::list_api_keys(conn)?)).await?;
    Ok(ApiKeyList {
        items: rows.into_iter().map(ApiKeyView::from).collect(),
    })
}

/// Revokes a key at once; revoking it again changes nothing.
pub async fn revoke(pool: &Pool, id: Uuid) -> Result<ApiKeyView, ApiError> {
    db::run(pool, move |conn| {
        queries::revoke_api_key(conn, id)?
            .map(ApiKeyView::from)
            .ok_or_else(|| ApiError::NotFound(format!("no API key {id}")))
    })
    .await
}

/// The live key a bearer token is, if it is one.
pub async fn authenticate(pool: &Pool, token: String) -> Result<Option<Principal>, ApiError> {
    if !token.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let hash = secrets::digest(&token);
    let row = db::run(pool, move |conn| Ok(queries::use_api_key(conn, &hash)?)).await?;
    Ok(row.map(|key| Principal {
        kind: ActorKind::ApiKey,
        id: Some(key.id),
        label: key.name,
        role: key.role,
        must_change_password: false,
        session: None,
    }))
}
