//! The admin's order table: orders filtered by status, fulfilment and email, sorted and paged
//! in the database.

use diesel::prelude::*;

use super::orders::{OrderRow, lower};
use super::schema::orders;
use crate::domain::status::{FulfillmentStatus, OrderStatus};

/// Which orders the admin's table shows.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub fulfillment: Option<FulfillmentStatus>,
    /// Part of the email address, lower case.
    pub email: Option<String>,
}

/// The admin's order table's order; ties are broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSort {
    NewestFirst,
    OldestFirst,
    LargestFirst,
    SmallestFirst,
}

pub fn list_orders(
    conn: &mut PgConnection,
    filter: &OrderFilter,
    sort: OrderSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<OrderRow>, i64)> {
    let filtered = || {
        let mut query = orders::table.into_boxed();
        if let Some(status) = filter.status {
            query = query.filter(orders::status.eq(status));
        }
        if let Some(fulfillment) = filter.fulfillment {
            query = query.filter(orders::fulfillment_status.eq(fulfillment));
        }
        if let Some(email) = &filter.email {
            query =
                query.filter(lower(orders::email).like(super::admin_products::like_pattern(email)));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let ordered = match sort {
        OrderSort::NewestFirst => filtered().order((orders::created_at.desc(), orders::id.desc())),
        OrderSort::OldestFirst => filtered().order((orders::created_at.asc(), orders::id.asc())),
        OrderSort::LargestFirst => {
            filtered().order((orders::total_amount.desc(), orders::id.desc()))
        }
        OrderSort::SmallestFirst => {
            filtered().order((orders::total_amount.asc(), orders::id.asc()))
        }
    };
    let rows = ordered
        .limit(limit)
        .offset(offset)
        .select(OrderRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
