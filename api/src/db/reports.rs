//! The back office's reports, computed in SQL over orders, refunds and stock.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::domain::status::RefundStatus;

#[derive(Debug, QueryableByName)]
pub struct SalesBucketRow {
    #[diesel(sql_type = Date)]
    pub start: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub gross: i64,
    #[diesel(sql_type = BigInt)]
    pub refunds: i64,
}

/// Paid orders and accepted refunds per `interval` (`day`, `week` or `month`, in UTC) in
/// `[from, to)`, one row for every interval even when nothing happened. An order counts when it
/// was paid, a refund when it was asked for.
pub fn sales(
    conn: &mut PgConnection,
    interval: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: &str,
) -> QueryResult<Vec<SalesBucketRow>> {
    let accepted: Vec<&str> = RefundStatus::ACCEPTED.iter().map(|s| s.as_str()).collect();
    diesel::sql_query(
        "WITH buckets AS (
             SELECT generate_series(
                 date_trunc($1, $2 AT TIME ZONE 'UTC'),
                 date_trunc($1, ($3 - interval '1 microsecond') AT TIME ZONE 'UTC'),
                 ('1 ' || $1)::interval
             ) AS start
         ), sales AS (
             SELECT date_trunc($1, paid_at AT TIME ZONE 'UTC') AS start,
                    count(*) AS orders, sum(total_amount) AS gross
             FROM orders
             WHERE paid_at >= $2 AND paid_at < $3 AND currency = $4
             GROUP BY 1
         ), refunded AS (
             SELECT date_trunc($1, r.created_at AT TIME ZONE 'UTC') AS start, sum(r.amount) AS refunds
             FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.created_at >= $2 AND r.created_at < $3 AND o.currency = $4
               AND r.status = ANY($5)
             GROUP BY 1
         )
         SELECT b.start::date AS start,
                coalesce(s.orders, 0)::int8 AS orders,
                coalesce(s.gross, 0)::int8 AS gross,
                coalesce(rf.refunds, 0)::int8 AS refunds
         FROM buckets b
         LEFT JOIN sales s ON s.start = b.start
         LEFT JOIN refunded rf ON rf.start = b.start
         ORDER BY b.start",
    )
    .bind::<Text, _>(interval)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Text, _>(currency)
    .bind::<diesel::sql_types::Array<Text>, _>(accepted)
    .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct StatusCountRow {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
}

/// Orders placed in `[from, to)` by their status now.
pub fn orders_by_status(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<StatusCountRow>> {
    diesel::sql_query(
        "SELECT status, count(*)::int8 AS orders FROM orders
         WHERE created_at >= $1 AND created_at < $2 GROUP BY status ORDER BY status",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct LowStockRow {
    #[diesel(sql_type = SqlUuid)]
    pub variant_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub product_id: Uuid,
    #[diesel(sql_type = Text)]
    pub product_name: String,
    #[diesel(sql_type = Text)]
    pub sku: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Integer)]
    pub stock_on_hand: i32,
    #[diesel(sql_type = Integer)]
    pub stock_reserved: i32,
}

/// Active variants of active products with fewer than `below` units available, fewest first.
pub fn low_stock(conn: &mut PgConnection, below: i32, limit: i64) -> QueryResult<Vec<LowStockRow>> {
    diesel::sql_query(
        "SELECT v.id AS variant_id, p.id AS product_id, p.name AS product_name, v.sku, v.title,
                v.stock_on_hand, v.stock_reserved
         FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.active AND p.active AND v.stock_on_hand - v.stock_reserved < $1
         ORDER BY v.stock_on_hand - v.stock_reserved, p.name, v.sku
         LIMIT $2",
    )
    .bind::<Integer, _>(below)
    .bind::<BigInt, _>(limit)
    .load(conn)
}
