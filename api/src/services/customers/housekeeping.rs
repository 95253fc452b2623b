//! The accounts' housekeeping, one process at a time: sessions nobody can use, spent links, and
//! sign-ups never confirmed are forgotten; with a retention period set, guest orders older than it
//! are anonymised as an erased account's are, and the pass is recorded in the audit log.

use diesel::prelude::*;

use super::VERIFY_VALID_SECS;
use crate::db::customers as queries;
use crate::db::{self, Pool, erasure};
use crate::domain::staff::ActorKind;
use crate::error::ApiError;
use crate::services::audit::{self, AuditEntry};
use crate::services::auth::login::SessionRules;

/// Guest orders anonymised per transaction, and transactions per pass.
const BATCH: i32 = 200;
const BATCHES: usize = 10;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: usize,
    pub unconfirmed: usize,
    pub anonymised: usize,
}

pub async fn sweep(
    pool: &Pool,
    rules: SessionRules,
    retention_years: Option<i32>,
) -> Result<Swept, ApiError> {
    let mut swept = db::run(pool, move |conn| {
        let sessions = queries::delete_stale_sessions(
            conn,
            SessionRules::secs(rules.idle),
            SessionRules::secs(rules.max_age),
        )?;
        queries::delete_spent_tokens(conn)?;
        // A day's grace after the link expires, for a shopper who asks for a new one.
        let grace = i32::try_from(2 * VERIFY_VALID_SECS).unwrap_or(i32::MAX);
        let unconfirmed = queries::delete_unconfirmed(conn, grace)?;
        Ok(Swept {
            sessions,
            unconfirmed,
            anonymised: 0,
        })
    })
    .await?;
    let Some(years) = retention_years else {
        return Ok(swept);
    };
    for _ in 0..BATCHES {
        let anonymised = db::run(pool, move |conn| {
            conn.transaction(|conn| {
                let ids = erasure::guest_orders_older_than(conn, years, BATCH)?;
                let anonymised = erasure::anonymise_orders(conn, &ids)?;
                if anonymised > 0 {
                    audit::write(
                        conn,
                        &AuditEntry {
                            actor_kind: ActorKind::System,
                            actor_id: None,
                            actor_label: "retention".to_owned(),
                            operation: "anonymise_guest_orders".to_owned(),
                            target_type: Some("order"),
                            target_id: None,
                            client_addr: "-".to_owned(),
                            status: 200,
                            summary: serde_json::json!({
                                "count": anonymised,
                                "older_than_years": years,
                            }),
                        },
                    )?;
                }
                Ok::<_, ApiError>(anonymised)
            })
        })
        .await?;
        swept.anonymised += anonymised;
        if anonymised < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    db::run(pool, move |conn| {
        Ok(erasure::delete_old_lookup_emails(conn, years)?)
    })
    .await?;
    Ok(swept)
}
