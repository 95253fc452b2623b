//! The email outbox: rows written with the change they announce, taken one at a time by the
//! senders of every API process.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::orders::db_now;
use super::schema::emails;
use crate::domain::status::{EmailKind, EmailStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = emails, check_for_backend(Pg))]
pub struct EmailRow {
    pub id: Uuid,
    pub order_id: Option<Uuid>,
    pub kind: EmailKind,
    pub recipient: String,
    pub payload: serde_json::Value,
    pub status: EmailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub resent_from: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = emails)]
pub struct NewEmail<'a> {
    pub order_id: Option<Uuid>,
    /// The account an account email (verification, reset) belongs to.
    pub customer_id: Option<Uuid>,
    pub kind: EmailKind,
    pub recipient: &'a str,
    pub payload: serde_json::Value,
    pub resent_from: Option<Uuid>,
}

pub fn insert(conn: &mut PgConnection, email: &NewEmail) -> QueryResult<EmailRow> {
    diesel::insert_into(emails::table)
        .values(email)
        .returning(EmailRow::as_returning())
        .get_result(conn)
}

/// The next message due, locked until the transaction ends; one another process holds is
/// skipped, not waited for.
pub fn lock_next_due(conn: &mut PgConnection) -> QueryResult<Option<EmailRow>> {
    emails::table
        .filter(emails::status.eq(EmailStatus::Pending))
        .filter(emails::next_attempt_at.le(db_now()))
        .order(emails::next_attempt_at)
        .select(EmailRow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .optional()
}

pub fn mark_sent(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq(EmailStatus::Sent),
            emails::attempts.eq(emails::attempts + 1),
            emails::sent_at.eq(db_now().nullable()),
            emails::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a failed attempt: the message is tried again after `retry_in`, or, with `None`,
/// given up on.
pub fn mark_attempt_failed(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    retry_in: Option<chrono::Duration>,
) -> QueryResult<()> {
    let target = emails::table.find(id);
    let changes = (
        emails::attempts.eq(emails::attempts + 1),
        emails::last_error.eq(error),
    );
    match retry_in {
        Some(delay) => diesel::update(target)
            .set((changes, emails::next_attempt_at.eq(db_now() + delay)))
            .execute(conn),
        None => diesel::update(target)
            .set((changes, emails::status.eq(EmailStatus::Failed)))
            .execute(conn),
    }
    .map(drop)
}

pub fn mark_skipped(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq(EmailStatus::Skipped),
            emails::last_error.eq("email is off: no SMTP_URL is configured"),
        ))
        .execute(conn)
        .map(drop)
}

/// The order's email, oldest first.
pub fn of_order(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<Vec<EmailRow>> {
    emails::table
        .filter(emails::order_id.eq(order_id))
        .order((emails::created_at, emails::id))
        .select(EmailRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<EmailRow>> {
    emails::table
        .find(id)
        .select(EmailRow::as_select())
        .first(conn)
        .optional()
}

/// Whether an email of `kind` not about an order (a lookup link, an account email) went to
/// `email` (lower case) in the last `seconds`.
pub fn sent_within(
    conn: &mut PgConnection,
    kind: EmailKind,
    email: &str,
    seconds: i32,
) -> QueryResult<bool> {
    use super::orders::lower;
    diesel::select(diesel::dsl::exists(
        emails::table
            .filter(emails::order_id.is_null())
            .filter(emails::kind.eq(kind))
            .filter(lower(emails::recipient).eq(email))
            .filter(emails::created_at.gt(db_now() - diesel::dsl::IntervalDsl::seconds(seconds))),
    ))
    .get_result(conn)
}

/// The emails about an account: its own, those of `order_ids`, and the order lookup links mailed
/// to its address (`email`, lower case). Oldest first.
pub fn of_account(
    conn: &mut PgConnection,
    customer_id: Uuid,
    email: &str,
    order_ids: &[Uuid],
) -> QueryResult<Vec<EmailRow>> {
    use super::orders::lower;
    emails::table
        .filter(
            emails::customer_id
                .eq(customer_id)
                .or(emails::order_id.eq_any(order_ids))
                .or(emails::kind
                    .eq(EmailKind::OrderLookup)
                    .and(lower(emails::recipient).eq(email))),
        )
        .order((emails::created_at, emails::id))
        .select(EmailRow::as_select())
        .load(conn)
}

/// How many emails wait to be sent, and since when the oldest of them has waited; by the partial
/// index of pending rows, so a scrape stays cheap however long the outbox's history.
pub fn outbox_depth(conn: &mut PgConnection) -> QueryResult<(i64, Option<DateTime<Utc>>)> {
    emails::table
        .filter(emails::status.eq(EmailStatus::Pending))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(emails::created_at),
        ))
        .first(conn)
}
