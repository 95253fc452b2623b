//! The Stripe events already handled, so that a duplicate delivery is recognised and ignored.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::stripe_events;

/// Records a Stripe event id; false when it was recorded before (a duplicate delivery).
pub fn record_event(
    conn: &mut PgConnection,
    id: &str,
    event_type: &str,
    order_id: Option<Uuid>,
) -> QueryResult<bool> {
    diesel::insert_into(stripe_events::table)
        .values((
            stripe_events::id.eq(id),
            stripe_events::event_type.eq(event_type),
            stripe_events::order_id.eq(order_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|inserted| inserted == 1)
}
