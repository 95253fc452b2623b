//! Checkout sessions: the record that ties a cart and an Idempotency-Key to the order they made.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::checkout_sessions;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = checkout_sessions, check_for_backend(Pg))]
pub struct SessionRow {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub idempotency_key: String,
    pub order_id: Uuid,
    pub created_at: DateTime<Utc>,
}

pub fn find_session_by_key(
    conn: &mut PgConnection,
    cart_id: Uuid,
    idempotency_key: &str,
) -> QueryResult<Option<SessionRow>> {
    checkout_sessions::table
        .filter(checkout_sessions::cart_id.eq(cart_id))
        .filter(checkout_sessions::idempotency_key.eq(idempotency_key))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_session(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<SessionRow>> {
    checkout_sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_session(
    conn: &mut PgConnection,
    cart_id: Uuid,
    idempotency_key: &str,
    order_id: Uuid,
) -> QueryResult<SessionRow> {
    diesel::insert_into(checkout_sessions::table)
        .values((
            checkout_sessions::cart_id.eq(cart_id),
            checkout_sessions::idempotency_key.eq(idempotency_key),
            checkout_sessions::order_id.eq(order_id),
        ))
        .returning(SessionRow::as_returning())
        .get_result(conn)
}
