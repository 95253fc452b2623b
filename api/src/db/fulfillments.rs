//! Shipments of orders and the units of each line they carried.

use chrono::{DateTime, Utc};
use diesel::dsl::sum;
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{fulfillment_lines, fulfillments};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fulfillments, check_for_backend(Pg))]
pub struct FulfillmentRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub idempotency_key: String,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = fulfillments)]
pub struct NewFulfillment<'a> {
    pub order_id: Uuid,
    pub idempotency_key: &'a str,
    pub carrier: &'a str,
    pub tracking_number: &'a str,
    pub tracking_url: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fulfillment_lines, check_for_backend(Pg))]
pub struct FulfillmentLineRow {
    pub fulfillment_id: Uuid,
    pub order_line_id: Uuid,
    pub quantity: i32,
}

pub fn find_by_key(
    conn: &mut PgConnection,
    order_id: Uuid,
    key: &str,
) -> QueryResult<Option<FulfillmentRow>> {
    fulfillments::table
        .filter(fulfillments::order_id.eq(order_id))
        .filter(fulfillments::idempotency_key.eq(key))
        .select(FulfillmentRow::as_select())
        .first(conn)
        .optional()
}

/// Units shipped so far, by order line; lines with none shipped are absent.
pub fn shipped_by_line(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<(Uuid, Option<i64>)> = fulfillment_lines::table
        .inner_join(fulfillments::table)
        .filter(fulfillments::order_id.eq(order_id))
        .group_by(fulfillment_lines::order_line_id)
        .select((
            fulfillment_lines::order_line_id,
            sum(fulfillment_lines::quantity),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(line, shipped)| (line, shipped.unwrap_or(0)))
        .collect())
}

pub fn insert(
    conn: &mut PgConnection,
    fulfillment: &NewFulfillment,
    lines: &[(Uuid, i32)],
) -> QueryResult<FulfillmentRow> {
    let row: FulfillmentRow = diesel::insert_into(fulfillments::table)
        .values(fulfillment)
        .returning(FulfillmentRow::as_returning())
        .get_result(conn)?;
    let lines: Vec<FulfillmentLineRow> = lines
        .iter()
        .map(|&(order_line_id, quantity)| FulfillmentLineRow {
            fulfillment_id: row.id,
            order_line_id,
            quantity,
        })
        .collect();
    diesel::insert_into(fulfillment_lines::table)
        .values(&lines)
        .execute(conn)?;
    Ok(row)
}

/// The shipments of these orders, oldest first, with their lines.
pub fn of_orders(
    conn: &mut PgConnection,
    order_ids: &[Uuid],
) -> QueryResult<(Vec<FulfillmentRow>, Vec<FulfillmentLineRow>)> {
    let shipments: Vec<FulfillmentRow> = fulfillments::table
        .filter(fulfillments::order_id.eq_any(order_ids))
        .order((fulfillments::created_at, fulfillments::id))
        .select(FulfillmentRow::as_select())
        .load(conn)?;
    let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
    let lines = fulfillment_lines::table
        .filter(fulfillment_lines::fulfillment_id.eq_any(&ids))
        .select(FulfillmentLineRow::as_select())
        .load(conn)?;
    Ok((shipments, lines))
}
