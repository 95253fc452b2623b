//! What a metrics scrape reports: the counts kept as the work happens, plus what is read at
//! scrape time (the pool's occupancy, and the outbox's depth from the database).

use chrono::Utc;

use crate::db::{self, Pool};
use crate::metrics::OutboxDepth;

pub async fn scrape(pool: &Pool) -> String {
    pool.record_state();
    match db::run(pool, |conn| Ok(db::emails::outbox_depth(conn)?)).await {
        Ok((waiting, oldest)) => pool.metrics().outbox(OutboxDepth {
            waiting,
            oldest: oldest
                .and_then(|created| (Utc::now() - created).to_std().ok())
                .unwrap_or_default(),
        }),
        // The rest of the scrape still tells, among the pool's figures, why.
        Err(err) => log::warn!("metrics: the outbox could not be read: {err}"),
    }
    pool.metrics().render()
}
