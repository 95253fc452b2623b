//! Shoppers' accounts, their sessions, and the single-use tokens of emailed account links.

use chrono::{DateTime, Utc};
use diesel::dsl::IntervalDsl;
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::orders::db_now;
use super::schema::{customer_consents, customer_sessions, customer_tokens, customers};
use crate::domain::accounts::TokenPurpose;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customers, check_for_backend(Pg))]
pub struct CustomerRow {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub name: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub marketing_consent: bool,
    pub marketing_consent_at: Option<DateTime<Utc>>,
}

/// Creates the account unless the address has one; answers the new row, or `None`.
pub fn insert(
    conn: &mut PgConnection,
    email: &str,
    password_hash: &str,
) -> QueryResult<Option<CustomerRow>> {
    diesel::insert_into(customers::table)
        .values((
            customers::email.eq(email),
            customers::password_hash.eq(password_hash),
        ))
        .on_conflict_do_nothing()
        .returning(CustomerRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<CustomerRow>> {
    customers::table
        .find(id)
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()
}

/// The account of this (lower-case) address, locked until the transaction ends when `lock`. The
/// locks here are `FOR NO KEY UPDATE`: they keep other writers of the row out but let orders and
/// carts that name the account be written meanwhile, so that no checkout waits on a sign-in.
pub fn find_by_email(
    conn: &mut PgConnection,
    email: &str,
    lock: bool,
) -> QueryResult<Option<CustomerRow>> {
    let query = customers::table
        .filter(customers::email.eq(email))
        .select(CustomerRow::as_select());
    if lock {
        query.for_no_key_update().first(conn).optional()
    } else {
        query.first(conn).optional()
    }
}

/// The account, locked until the transaction ends.
pub fn lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<CustomerRow>> {
    customers::table
        .find(id)
        .select(CustomerRow::as_select())
        .for_no_key_update()
        .first(conn)
        .optional()
}

super::sessions::lock_queries!(customers);

/// A new password, which also clears failed sign-ins and any lock.
pub fn set_password(conn: &mut PgConnection, id: Uuid, hash: &str) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set((
            customers::password_hash.eq(hash),
            customers::password_changed_at.eq(db_now()),
            customers::failed_logins.eq(0),
            customers::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
}

/// Deletes the account; its sessions, links, addresses, consents, cart and email go with it.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(customers::table.find(id)).execute(conn)
}

/// Marks the address verified (once: a second verification keeps the first time).
pub fn mark_verified(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::update(
        customers::table
            .find(id)
            .filter(customers::email_verified_at.is_null()),
    )
    .set(customers::email_verified_at.eq(db_now().nullable()))
    .execute(conn)
}

/// Sets the name; `None` clears it.
pub fn set_name(conn: &mut PgConnection, id: Uuid, name: Option<&str>) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set(customers::name.eq(name))
        .execute(conn)
}

/// Records a change of marketing consent: the account's current answer and, insert-only, the
/// history that proves when it was given or withdrawn.
pub fn set_marketing_consent(conn: &mut PgConnection, id: Uuid, granted: bool) -> QueryResult<()> {
    let changed = diesel::update(
        customers::table
            .find(id)
            .filter(customers::marketing_consent.ne(granted)),
    )
    .set((
        customers::marketing_consent.eq(granted),
        customers::marketing_consent_at.eq(db_now().nullable()),
    ))
    .execute(conn)?;
    if changed > 0 {
        diesel::insert_into(customer_consents::table)
            .values((
                customer_consents::customer_id.eq(id),
                customer_consents::purpose.eq("marketing_email"),
                customer_consents::granted.eq(granted),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_consents, check_for_backend(Pg))]
pub struct ConsentRow {
    pub purpose: String,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
}

pub fn consents(conn: &mut PgConnection, id: Uuid) -> QueryResult<Vec<ConsentRow>> {
    customer_consents::table
        .filter(customer_consents::customer_id.eq(id))
        .order((customer_consents::recorded_at, customer_consents::id))
        .select(ConsentRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_sessions, check_for_backend(Pg))]
pub struct SessionRow {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub client_addr: String,
}

pub fn sessions_of(conn: &mut PgConnection, id: Uuid) -> QueryResult<Vec<SessionRow>> {
    customer_sessions::table
        .filter(customer_sessions::customer_id.eq(id))
        .order(customer_sessions::created_at)
        .select(SessionRow::as_select())
        .load(conn)
}

super::sessions::session_queries!(customer_sessions, customer_id);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_tokens, check_for_backend(Pg))]
pub struct TokenRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub purpose: TokenPurpose,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// A new token for an emailed link, which works for `valid_secs`; earlier unused tokens of the
/// same purpose stop working, so only the newest link does.
pub fn issue_token(
    conn: &mut PgConnection,
    customer_id: Uuid,
    purpose: TokenPurpose,
    valid_secs: i32,
) -> QueryResult<TokenRow> {
    revoke_tokens(conn, customer_id, purpose)?;
    diesel::insert_into(customer_tokens::table)
        .values((
            customer_tokens::customer_id.eq(customer_id),
            customer_tokens::purpose.eq(purpose),
            customer_tokens::expires_at.eq(db_now() + valid_secs.seconds()),
        ))
        .returning(TokenRow::as_returning())
        .get_result(conn)
}

pub fn revoke_tokens(
    conn: &mut PgConnection,
    customer_id: Uuid,
    purpose: TokenPurpose,
) -> QueryResult<usize> {
    diesel::update(
        customer_tokens::table
            .filter(customer_tokens::customer_id.eq(customer_id))
            .filter(customer_tokens::purpose.eq(purpose))
            .filter(customer_tokens::used_at.is_null()),
    )
    .set(customer_tokens::used_at.eq(db_now().nullable()))
    .execute(conn)
}

/// Uses the token, if it is of `purpose`, unused and unexpired: answers its row, now used.
pub fn use_token(
    conn: &mut PgConnection,
    id: Uuid,
    purpose: TokenPurpose,
) -> QueryResult<Option<TokenRow>> {
    diesel::update(
        customer_tokens::table
            .find(id)
            .filter(customer_tokens::purpose.eq(purpose))
            .filter(customer_tokens::used_at.is_null())
            .filter(customer_tokens::expires_at.gt(db_now())),
    )
    .set(customer_tokens::used_at.eq(db_now().nullable()))
    .returning(TokenRow::as_returning())
    .get_result(conn)
    .optional()
}

/// Forgets link tokens used or expired more than a day ago.
pub fn delete_spent_tokens(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        customer_tokens::table.filter(
            customer_tokens::expires_at
                .lt(db_now() - 1.day())
                .or(customer_tokens::used_at.lt((db_now() - 1.day()).nullable())),
        ),
    )
    .execute(conn)
}

/// Deletes sign-ups never confirmed within `secs`: nobody proved the address was theirs.
pub fn delete_unconfirmed(conn: &mut PgConnection, secs: i32) -> QueryResult<usize> {
    diesel::delete(
        customers::table
            .filter(customers::email_verified_at.is_null())
            .filter(customers::created_at.lt(db_now() - secs.seconds())),
    )
    .execute(conn)
}

pub fn find_token(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<TokenRow>> {
    customer_tokens::table
        .find(id)
        .select(TokenRow::as_select())
        .first(conn)
        .optional()
}
