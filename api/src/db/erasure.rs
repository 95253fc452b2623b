//! Erasure (GDPR Art. 17) and retention: orders keep what accounting needs (totals, lines, taxes,
//! refunds, shipments, the payment's id, the shipping country) and lose who bought them: the
//! email becomes a placeholder unique to the order, the addresses keep only their country, the
//! client's key is cleared, and so are the order's emails' contents.

use diesel::prelude::*;
use diesel::sql_types::{Array, Integer, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::schema::orders;
use crate::domain::status::{FulfillmentStatus, OrderStatus};

/// An order of an account, or one placed with its address, as erasure weighs it.
#[derive(Debug, Queryable)]
pub struct ErasableOrder {
    pub id: Uuid,
    pub customer_id: Option<Uuid>,
    pub status: OrderStatus,
    pub fulfillment: FulfillmentStatus,
}

/// The orders of an account: its own, and any placed with its confirmed address; locked until the
/// transaction ends.
pub fn orders_of_account(
    conn: &mut PgConnection,
    customer_id: Uuid,
    email: &str,
) -> QueryResult<Vec<ErasableOrder>> {
    orders::table
        .filter(
            orders::customer_id
                .eq(customer_id)
                .or(super::orders::lower(orders::email).eq(email)),
        )
        .select((
            orders::id,
            orders::customer_id,
            orders::status,
            orders::fulfillment_status,
        ))
        .for_update()
        .load(conn)
}

const ERASED_ADDRESS: &str = "CASE WHEN {col} IS NULL THEN NULL ELSE jsonb_build_object(\
    'name', '(erased)', 'line1', '(erased)', 'line2', NULL, 'city', '(erased)', \
    'postal_code', '(erased)', 'region', NULL, 'country', {col}->'country', 'phone', NULL) END";

/// Anonymises the orders `ids`; answers how many it changed.
pub fn anonymise_orders(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let changed = diesel::sql_query(format!(
        "UPDATE orders SET \
           email = 'erased+' || substr(replace(id::text, '-', ''), 1, 12) || '@erased.invalid', \
           shipping_address = {}, billing_address = {}, \
           client_key = NULL, client_secret = NULL, \
           customer_id = NULL, anonymised_at = clock_timestamp() \
         WHERE id = ANY($1)",
        ERASED_ADDRESS.replace("{col}", "shipping_address"),
        ERASED_ADDRESS.replace("{col}", "billing_address"),
    ))
    .bind::<Array<SqlUuid>, _>(ids)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE promotion_redemptions r SET email = o.email \
         FROM orders o WHERE o.id = r.order_id AND o.id = ANY($1)",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .execute(conn)?;
    // Their contents (receipts, addresses) go; that they were sent, and when, stays.
    diesel::sql_query(
        "UPDATE emails e SET recipient = o.email, \
           payload = jsonb_build_object('kind', e.payload->'kind', 'erased', true), \
           status = CASE WHEN e.status = 'pending' THEN 'skipped' ELSE e.status END, \
           last_error = CASE WHEN e.status = 'pending' THEN 'the order was anonymised' \
                        ELSE e.last_error END \
         FROM orders o WHERE o.id = e.order_id AND o.id = ANY($1)",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .execute(conn)?;
    Ok(changed)
}

/// Order lookup links mailed to `email`, which hold the address and nothing an accountant needs.
pub fn delete_lookup_emails(conn: &mut PgConnection, email: &str) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM emails WHERE order_id IS NULL AND kind = 'order_lookup' \
         AND lower(recipient) = $1",
    )
    .bind::<Text, _>(email)
    .execute(conn)
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Up to `limit` guest orders placed more than `years` ago that still name their buyer and no
/// longer need them (neither awaiting payment nor paid and unshipped), locked (skipping those
/// another transaction holds) until the transaction ends.
pub fn guest_orders_older_than(
    conn: &mut PgConnection,
    years: i32,
    limit: i32,
) -> QueryResult<Vec<Uuid>> {
    let found: Vec<Found> = diesel::sql_query(
        "SELECT id FROM orders \
         WHERE customer_id IS NULL AND anonymised_at IS NULL \
           AND created_at < now() - make_interval(years => $1) \
           AND status <> 'pending_payment' \
           AND NOT (status IN ('paid', 'needs_review', 'partially_refunded') \
                    AND fulfillment_status <> 'fulfilled') \
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED",
    )
    .bind::<Integer, _>(years)
    .bind::<Integer, _>(limit)
    .load(conn)?;
    Ok(found.into_iter().map(|f| f.id).collect())
}

/// Order lookup emails older than `years`.
pub fn delete_old_lookup_emails(conn: &mut PgConnection, years: i32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM emails WHERE order_id IS NULL AND kind = 'order_lookup' \
         AND created_at < now() - make_interval(years => $1)",
    )
    .bind::<Integer, _>(years)
    .execute(conn)
}
