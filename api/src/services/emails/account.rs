//! Account email (confirmation and reset links, notices), written to the outbox in the caller's
//! transaction like every other email, and sent later: a request answers in the same time
//! whether or not it wrote one.

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::emails::{self as queries, NewEmail};
use crate::domain::status::EmailKind;
use crate::error::ApiError;
use crate::mail::Payload;

/// The kind of an account email's payload; `None` for an order's.
fn kind_of(payload: &Payload) -> Option<EmailKind> {
    match payload {
        Payload::AccountVerify(_) => Some(EmailKind::AccountVerify),
        Payload::AccountExists(_) => Some(EmailKind::AccountExists),
        Payload::PasswordReset(_) => Some(EmailKind::PasswordReset),
        Payload::PasswordChanged(_) => Some(EmailKind::PasswordChanged),
        _ => None,
    }
}

/// Whether an email of `kind` went to `recipient` (lower case) within `seconds`: the caller then
/// writes none, so that nobody can flood an address.
pub(crate) fn sent_recently(
    conn: &mut PgConnection,
    kind: EmailKind,
    recipient: &str,
    seconds: i32,
) -> Result<bool, ApiError> {
    Ok(queries::sent_within(conn, kind, recipient, seconds)?)
}

/// Queues an account email to `recipient`.
pub(crate) fn write(
    conn: &mut PgConnection,
    customer_id: Uuid,
    recipient: &str,
    payload: &Payload,
) -> Result<(), ApiError> {
    let kind = kind_of(payload)
        .ok_or_else(|| ApiError::Internal("an order's email written as an account's".into()))?;
    let payload = serde_json::to_value(payload)
        .map_err(|e| ApiError::Internal(format!("email payload: {e}")))?;
    queries::insert(
        conn,
        &NewEmail {
            order_id: None,
            customer_id: Some(customer_id),
            kind,
            recipient,
            payload,
            resent_from: None,
        },
    )?;
    Ok(())
}
