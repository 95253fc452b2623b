//! Failed logins by client address, whatever the email, per realm: they throttle a client that
//! guesses across many accounts. Rows older than the window go as new ones arrive.

use diesel::dsl::IntervalDsl;
use diesel::prelude::*;

use super::orders::db_now;
use super::schema::login_failures;
use crate::domain::accounts::Realm;

/// Records a failed login from `client_addr` and answers how many it has made in the window.
pub fn record(
    conn: &mut PgConnection,
    realm: Realm,
    client_addr: &str,
    window_secs: i32,
) -> QueryResult<i64> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::realm.eq(realm))
            .filter(login_failures::failed_at.le(db_now() - window_secs.seconds())),
    )
    .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::realm.eq(realm),
            login_failures::client_addr.eq(client_addr),
        ))
        .execute(conn)?;
    count(conn, realm, client_addr, window_secs)
}

pub fn count(
    conn: &mut PgConnection,
    realm: Realm,
    client_addr: &str,
    window_secs: i32,
) -> QueryResult<i64> {
    login_failures::table
        .filter(login_failures::realm.eq(realm))
        .filter(login_failures::client_addr.eq(client_addr))
        .filter(login_failures::failed_at.gt(db_now() - window_secs.seconds()))
        .count()
        .get_result(conn)
}
