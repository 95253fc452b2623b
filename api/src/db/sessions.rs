//! The queries of sessions and lockouts: staff's and shoppers' accounts and sessions are kept
//! apart, in tables of the same shape, so that no query can mistake one for the other.

/// Declares the session queries of `$table`, whose owner column is `$owner`, in the calling module.
macro_rules! session_queries {
    ($table:ident, $owner:ident) => {
        pub fn insert_session(
            conn: &mut PgConnection,
            token_hash: &[u8],
            owner: Uuid,
            client_addr: &str,
        ) -> QueryResult<usize> {
            diesel::insert_into($table::table)
                .values((
                    $table::token_hash.eq(token_hash),
                    $table::$owner.eq(owner),
                    $table::client_addr.eq(client_addr),
                ))
                .execute(conn)
        }

        /// Marks the session as used now and names its owner, unless it has been idle for
        /// `idle_secs` or open for `max_secs`: then it is gone.
        pub fn touch_session(
            conn: &mut PgConnection,
            token_hash: &[u8],
            idle_secs: i32,
            max_secs: i32,
        ) -> QueryResult<Option<Uuid>> {
            diesel::update(
                $table::table
                    .find(token_hash)
                    .filter($table::last_seen_at.gt(db_now() - idle_secs.seconds()))
                    .filter($table::created_at.gt(db_now() - max_secs.seconds())),
            )
            .set($table::last_seen_at.eq(db_now()))
            .returning($table::$owner)
            .get_result(conn)
            .optional()
        }

        pub fn delete_session(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<usize> {
            diesel::delete($table::table.find(token_hash)).execute(conn)
        }

        /// Ends every session of an owner but `keep`.
        pub fn delete_sessions_of(
            conn: &mut PgConnection,
            owner: Uuid,
            keep: Option<&[u8]>,
        ) -> QueryResult<usize> {
            let owned = $table::table.filter($table::$owner.eq(owner));
            match keep {
                Some(kept) => {
                    diesel::delete(owned.filter($table::token_hash.ne(kept))).execute(conn)
                }
                None => diesel::delete(owned).execute(conn),
            }
        }

        /// Forgets sessions nobody can use any more.
        pub fn delete_stale_sessions(
            conn: &mut PgConnection,
            idle_secs: i32,
            max_secs: i32,
        ) -> QueryResult<usize> {
            diesel::delete(
                $table::table.filter(
                    $table::last_seen_at
                        .le(db_now() - idle_secs.seconds())
                        .or($table::created_at.le(db_now() - max_secs.seconds())),
                ),
            )
            .execute(conn)
        }
    };
}

pub(crate) use session_queries;

/// Declares the lockout queries of an account table `$table` (`id`, `failed_logins`,
/// `locked_until`) in the calling module.
macro_rules! lock_queries {
    ($table:ident) => {
        /// Whether the account is locked now, by the database's clock.
        pub fn is_locked(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
            diesel::select(diesel::dsl::exists(
                $table::table
                    .find(id)
                    .filter($table::locked_until.gt(db_now().nullable())),
            ))
            .get_result(conn)
        }

        /// Counts a failed login; `lock_for_secs` locks the account from now when this failure
        /// calls for it.
        pub fn count_failure(
            conn: &mut PgConnection,
            id: Uuid,
            lock_for_secs: Option<i32>,
        ) -> QueryResult<usize> {
            let target = $table::table.find(id);
            let counted = $table::failed_logins.eq($table::failed_logins + 1);
            match lock_for_secs {
                Some(secs) => diesel::update(target)
                    .set((
                        counted,
                        $table::locked_until.eq((db_now() + secs.seconds()).nullable()),
                    ))
                    .execute(conn),
                None => diesel::update(target).set(counted).execute(conn),
            }
        }

        pub fn clear_failures(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
            diesel::update($table::table.find(id))
                .set((
                    $table::failed_logins.eq(0),
                    $table::locked_until.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)
        }
    };
}

pub(crate) use lock_queries;
