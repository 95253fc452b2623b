//! The audit log: who changed what in the back office, when and from where. Writes are recorded
//! by the admin middleware after they are answered, logins by the login itself.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::db::audit::AuditFilter;
use crate::db::audit::{self as queries, AuditRow, NewAuditEvent};
use crate::db::{self, Pool};
use crate::domain::staff::ActorKind;
use crate::error::ApiError;
use crate::services::staff::Principal;

/// One event to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub operation: String,
    pub target_type: Option<&'static str>,
    pub target_id: Option<String>,
    pub client_addr: String,
    pub status: u16,
    pub summary: serde_json::Value,
}

impl AuditEntry {
    pub fn by(principal: &Principal, operation: impl Into<String>, client_addr: String) -> Self {
        AuditEntry {
            actor_kind: principal.kind,
            actor_id: principal.id,
            actor_label: principal.label.clone(),
            operation: operation.into(),
            target_type: None,
            target_id: None,
            client_addr,
            status: 200,
            summary: serde_json::Value::Object(Default::default()),
        }
    }
}

pub fn write(conn: &mut PgConnection, entry: &AuditEntry) -> QueryResult<usize> {
    queries::insert(
        conn,
        &NewAuditEvent {
            actor_kind: entry.actor_kind,
            actor_id: entry.actor_id,
            actor_label: &entry.actor_label,
            operation: &entry.operation,
            target_type: entry.target_type,
            target_id: entry.target_id.as_deref(),
            client_addr: &entry.client_addr,
            status: i16::try_from(entry.status).unwrap_or(i16::MAX),
            summary: entry.summary.clone(),
        },
    )
}

pub async fn record(pool: &Pool, entry: AuditEntry) -> Result<(), ApiError> {
    db::run(pool, move |conn| Ok(write(conn, &entry)?)).await?;
    Ok(())
}

/// Who did it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Actor {
    pub kind: ActorKind,
    /// The staff member or API key; absent for the bootstrap token and failed logins.
    pub id: Option<Uuid>,
    /// Their email or the key's name, as it was then; for a failed login, the email tried.
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    /// The operationId of the admin operation, or `login`, `login_failed`.
    #[schema(example = "refund_order")]
    pub operation: String,
    /// What kind of thing it changed.
    #[schema(example = "order")]
    pub target_type: Option<String>,
    #[schema(example = "0b5c3a9e-3f1d-4a53-9b43-0a4f6f1e2d7c")]
    pub target_id: Option<String>,
    /// The client's IP address.
    #[schema(example = "203.0.113.7")]
    pub client_addr: String,
    /// The HTTP status the request was answered with.
    pub status: u16,
    /// The request's fields, secrets left out.
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
}

impl From<AuditRow> for AuditEvent {
    fn from(row: AuditRow) -> Self {
        AuditEvent {
            id: row.id,
            occurred_at: row.occurred_at,
            actor: Actor {
                kind: row.actor_kind,
                id: row.actor_id,
                label: row.actor_label,
            },
            operation: row.operation,
            target_type: row.target_type,
            target_id: row.target_id,
            client_addr: row.client_addr,
            status: u16::try_from(row.status).unwrap_or_default(),
            summary: row.summary,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEvent>,
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

pub async fn list(
    pool: &Pool,
    filter: AuditFilter,
    page: u32,
    limit: u32,
) -> Result<AuditPage, ApiError> {
    let offset = i64::from(page - 1) * i64::from(limit);
    let (rows, total) = db::run(pool, move |conn| {
        Ok(queries::page(conn, &filter, offset, i64::from(limit))?)
    })
    .await?;
    Ok(AuditPage {
        items: rows.into_iter().map(AuditEvent::from).collect(),
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    })
}
