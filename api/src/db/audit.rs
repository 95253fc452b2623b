//! The audit log: one row per admin write and per login, inserted and never changed.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::audit_events;
use crate::domain::staff::ActorKind;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events, check_for_backend(Pg))]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub operation: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub client_addr: String,
    pub status: i16,
    pub summary: serde_json::Value,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub actor_label: &'a str,
    pub operation: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub client_addr: &'a str,
    pub status: i16,
    pub summary: serde_json::Value,
}

pub fn insert(conn: &mut PgConnection, event: &NewAuditEvent) -> QueryResult<usize> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)
}

/// Which events to list; every given condition must hold.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub target_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// A page of events, newest first, and how many match in all.
pub fn page(
    conn: &mut PgConnection,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let matching = || {
        let mut query = audit_events::table.into_boxed();
        if let Some(actor) = filter.actor_id {
            query = query.filter(audit_events::actor_id.eq(actor));
        }
        if let Some(target) = &filter.target_id {
            query = query.filter(audit_events::target_id.eq(target.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_events::occurred_at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(audit_events::occurred_at.lt(to));
        }
        query
    };
    let total = matching().count().get_result(conn)?;
    let rows = matching()
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
