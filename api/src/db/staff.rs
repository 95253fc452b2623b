//! Staff accounts, their sessions and API keys.

use chrono::{DateTime, Utc};
use diesel::dsl::IntervalDsl;
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::orders::db_now;
use super::schema::{api_keys, staff, staff_sessions};
use crate::domain::staff::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff, check_for_backend(Pg))]
pub struct StaffRow {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = staff)]
pub struct NewStaff<'a> {
    pub email: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub fn insert(conn: &mut PgConnection, new: &NewStaff) -> QueryResult<StaffRow> {
    diesel::insert_into(staff::table)
        .values(new)
        .returning(StaffRow::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<StaffRow>> {
    staff::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

/// The account with this (lower-case) email, locked until the transaction ends so that two
/// logins count their failures one after the other.
pub fn find_by_email_for_update(
    conn: &mut PgConnection,
    email: &str,
) -> QueryResult<Option<StaffRow>> {
    staff::table
        .filter(staff::email.eq(email))
        .select(StaffRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<StaffRow>> {
    staff::table
        .order((staff::created_at, staff::id))
        .select(StaffRow::as_select())
        .load(conn)
}

super::sessions::lock_queries!(staff);

pub fn set_password(
    conn: &mut PgConnection,
    id: Uuid,
    hash: &str,
    one_time: bool,
) -> QueryResult<usize> {
    diesel::update(staff::table.find(id))
        .set((
            staff::password_hash.eq(hash),
            staff::must_change_password.eq(one_time),
            staff::password_changed_at.eq(db_now()),
            staff::failed_logins.eq(0),
            staff::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = staff)]
pub struct StaffChanges {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

pub fn update(conn: &mut PgConnection, id: Uuid, changes: &StaffChanges) -> QueryResult<StaffRow> {
    diesel::update(staff::table.find(id))
        .set(changes)
        .returning(StaffRow::as_returning())
        .get_result(conn)
}

/// Active owners, the rows locked, so that two changes cannot each leave the other's owner last.
pub fn active_owners_for_update(conn: &mut PgConnection) -> QueryResult<Vec<Uuid>> {
    staff::table
        .filter(staff::role.eq(Role::Owner))
        .filter(staff::active.eq(true))
        .select(staff::id)
        .for_update()
        .load(conn)
}

super::sessions::session_queries!(staff_sessions, staff_id);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys, check_for_backend(Pg))]
pub struct ApiKeyRow {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub role: Role,
    pub token_hash: &'a [u8],
    pub prefix: &'a str,
    pub created_by: Option<Uuid>,
}

pub fn insert_api_key(conn: &mut PgConnection, new: &NewApiKey) -> QueryResult<ApiKeyRow> {
    diesel::insert_into(api_keys::table)
        .values(new)
        .returning(ApiKeyRow::as_returning())
        .get_result(conn)
}

pub fn list_api_keys(conn: &mut PgConnection) -> QueryResult<Vec<ApiKeyRow>> {
    api_keys::table
        .order((api_keys::created_at.desc(), api_keys::id))
        .select(ApiKeyRow::as_select())
        .load(conn)
}

pub fn revoke_api_key(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ApiKeyRow>> {
    diesel::update(api_keys::table.find(id))
        .set(
            api_keys::revoked_at.eq(diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
                "coalesce(revoked_at, clock_timestamp())",
            )
            .nullable()),
        )
        .returning(ApiKeyRow::as_returning())
        .get_result(conn)
        .optional()
}

/// The live key with this hash, marked as used (at most once a minute, to spare the writes).
pub fn use_api_key(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<ApiKeyRow>> {
    let key = api_keys::table
        .filter(api_keys::token_hash.eq(token_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?;
    if let Some(key) = &key {
        diesel::update(
            api_keys::table.find(key.id).filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at.lt((db_now() - 60.seconds()).nullable())),
            ),
        )
        .set(api_keys::last_used_at.eq(db_now().nullable()))
        .execute(conn)?;
    }
    Ok(key)
}
