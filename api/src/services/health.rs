//! Readiness: whether this process can serve, which is whether the database answers.

use diesel::connection::SimpleConnection;

use crate::db::{self, Pool};
use crate::error::ApiError;

pub async fn ready(pool: &Pool) -> Result<(), ApiError> {
    db::run(pool, |conn| {
        conn.batch_execute("SELECT 1").map_err(ApiError::from)
    })
    .await
    .map_err(|e| match e {
        ApiError::Internal(cause) => ApiError::Unavailable(cause),
        other => other,
    })
}
