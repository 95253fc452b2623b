//! Transactional email through the outbox. Each change writes its message in its own transaction
//! (`compose`); every API process then runs [`send_due`], which takes one due row at a time with
//! `FOR UPDATE SKIP LOCKED` and holds that lock while the mail server takes the message, so two
//! processes never send one row, and a process killed mid-send leaves the row to be sent again
//! under the same Message-ID. A failed send is retried with exponential back-off, and after
//! `EMAIL_MAX_ATTEMPTS` the row is marked failed for the admin to see and resend.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::emails::{self as queries, EmailRow, NewEmail};
use crate::db::orders as order_queries;
use crate::db::{self, Pool};
use crate::domain::status::{EmailKind, EmailStatus};
use crate::error::ApiError;
use crate::mail::{MailError, Mailer, Payload};
use crate::metrics::EmailOutcome;

pub mod account;
pub mod compose;

/// Messages one pass sends at most; the rest wait for the next pass.
const BATCH: usize = 50;
/// The longest wait between two attempts at one message.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// How hard a failed message is retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryRules {
    pub max_attempts: i32,
    pub base_delay: Duration,
}

impl RetryRules {
    /// The wait after the `attempts`-th failure, or `None` once they are used up.
    fn next_delay(self, attempts: i32) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
        Some(
            self.base_delay
                .saturating_mul(1 << doublings)
                .min(MAX_RETRY_DELAY),
        )
    }
}

/// An email of an order, as the admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailView {
    pub id: Uuid,
    pub kind: EmailKind,
    pub recipient: String,
    /// `pending` (due at `next_attempt_at`), `sent`, `failed` (every attempt failed) or `skipped`
    /// (email was off).
    pub status: EmailStatus,
    pub attempts: i32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When a pending message is next tried.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The header the message is sent with: the same for every attempt at it.
    #[schema(example = "<0b5c3a9e3f1d4a539b430a4f6f1e2d7c@shop.example>")]
    pub message_id: String,
    /// The email this one sends again.
    pub resent_from: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailList {
    /// Oldest first.
    pub items: Vec<EmailView>,
}

fn view(row: EmailRow, mailer: &Mailer) -> EmailView {
    EmailView {
        message_id: mailer.message_id(row.id),
        id: row.id,
        kind: row.kind,
        recipient: row.recipient,
        next_attempt_at: (row.status == EmailStatus::Pending).then_some(row.next_attempt_at),
        status: row.status,
        attempts: row.attempts,
        last_error: row.last_error,
        resent_from: row.resent_from,
        created_at: row.created_at,
        sent_at: row.sent_at,
    }
}

fn no_order(order_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no order {order_id}"))
}

/// Every email of the order.
pub async fn of_order(pool: &Pool, mailer: &Mailer, order_id: Uuid) -> Result<EmailList, ApiError> {
    let rows = db::run(pool, move |conn| {
        order_queries::find_order(conn, order_id)?.ok_or_else(|| no_order(order_id))?;
        Ok(queries::of_order(conn, order_id)?)
    })
    .await?;
    Ok(EmailList {
        items: rows.into_iter().map(|row| view(row, mailer)).collect(),
    })
}

/// Sends an email of the order again, as a new message with its own Message-ID (the first may
/// have arrived and been lost by the shopper). While one resend of it waits to be sent, asking
/// again answers that one rather than queueing another.
pub async fn resend(
    pool: &Pool,
    mailer: &Mailer,
    order_id: Uuid,
    email_id: Uuid,
) -> Result<EmailView, ApiError> {
    let row = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            // The order's lock serialises resends of its email.
            order_queries::lock_order(conn, order_id)?.ok_or_else(|| no_order(order_id))?;
            let original = queries::find(conn, email_id)?
                .filter(|email| email.order_id == Some(order_id))
                .ok_or_else(|| {
                    ApiError::NotFound(format!("order {order_id} has no email {email_id}"))
                })?;
            if original.payload.get("erased").is_some() {
                return Err(ApiError::Conflict(
                    "the order was anonymised: its emails' contents are gone".into(),
                ));
            }
            let waiting = queries::of_order(conn, order_id)?
                .into_iter()
                .find(|email| {
                    email.resent_from == Some(email_id) && email.status == EmailStatus::Pending
                });
            if let Some(waiting) = waiting {
                return Ok(waiting);
            }
            Ok(queries::insert(
                conn,
                &NewEmail {
                    order_id: Some(order_id),
                    customer_id: None,
                    kind: original.kind,
                    recipient: &original.recipient,
                    payload: original.payload,
                    resent_from: Some(email_id),
                },
            )?)
        })
    })
    .await?;
    Ok(view(row, mailer))
}

/// Sends the email that is due, one message per transaction, and answers how many it handled.
pub async fn send_due(pool: &Pool, mailer: &Mailer, rules: RetryRules) -> Result<usize, ApiError> {
    let mut handled = 0;
    while handled < BATCH {
        let mailer = mailer.clone();
        let taken = db::run(pool, move |conn| {
            conn.transaction(|conn| send_next(conn, &mailer, rules))
        })
        .await?;
        let Some(outcome) = taken else {
            break;
        };
        pool.metrics().email(outcome);
        handled += 1;
    }
    Ok(handled)
}

/// Takes the next due message and sends it while holding its row lock. Answers `None` when
/// nothing is due.
fn send_next(
    conn: &mut PgConnection,
    mailer: &Mailer,
    rules: RetryRules,
) -> Result<Option<EmailOutcome>, ApiError> {
    let Some(row) = queries::lock_next_due(conn)? else {
        return Ok(None);
    };
    if !mailer.enabled() {
        queries::mark_skipped(conn, row.id)?;
        return Ok(Some(EmailOutcome::Skipped));
    }
    let sent = serde_json::from_value::<Payload>(row.payload.clone())
        .map_err(|e| MailError::Invalid(format!("unreadable payload: {e}")))
        .and_then(|payload| mailer.send(row.id, &row.recipient, &payload));
    match sent {
        Ok(()) => {
            queries::mark_sent(conn, row.id)?;
            return Ok(Some(EmailOutcome::Sent));
        }
        Err(MailError::Invalid(error)) => {
            log::error!("email {} cannot be sent: {error}", row.id);
            queries::mark_attempt_failed(conn, row.id, &error, None)?;
        }
        Err(MailError::Transport(error)) => {
            let attempts = row.attempts + 1;
            let retry = rules.next_delay(attempts);
            log::warn!(
                "email {} attempt {attempts} failed: {error}; {}",
                row.id,
                match retry {
                    Some(delay) => format!("retrying in {} s", delay.as_secs()),
                    None => "giving up".to_owned(),
                }
            );
            let retry = retry.map(|delay| {
                chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1))
            });
            queries::mark_attempt_failed(conn, row.id, &error, retry)?;
        }
    }
    Ok(Some(EmailOutcome::Failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour_then_stop() {
        let rules = RetryRules {
            max_attempts: 20,
            base_delay: Duration::from_secs(30),
        };
        let delays: Vec<u64> = (1..=9)
            .map(|n| rules.next_delay(n).unwrap().as_secs())
            .collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(rules.next_delay(20), None);
        assert!(rules.next_delay(19).is_some());
    }
}
