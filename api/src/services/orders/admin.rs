//! The back office's view of orders: one with everything an admin may see, and the order table,
//! filtered, sorted and paged on the server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Order, OrderRows, order_view};
pub use crate::db::order_table::OrderFilter;
use crate::db::order_table::{self, OrderSort};
use crate::db::orders as queries;
use crate::db::{self, Pool};
use crate::domain::currency::Currency;
use crate::domain::status::StockState;
use crate::error::ApiError;

/// An order as the admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminOrder {
    #[serde(flatten)]
    pub order: Order,
    pub payment_intent_id: Option<String>,
    /// `reserved`, `committed` (sold) or `released`.
    pub stock_state: StockState,
    pub reserved_until: DateTime<Utc>,
    #[serde(skip)]
    #[schema(ignore)]
    pub currency: Currency,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminOrderPage {
    pub items: Vec<AdminOrder>,
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

/// The admin's order table's order: a field, `-` first for descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum OrderOrder {
    #[serde(rename = "-created_at")]
    NewestFirst,
    #[serde(rename = "created_at")]
    OldestFirst,
    #[serde(rename = "-total")]
    LargestFirst,
    #[serde(rename = "total")]
    SmallestFirst,
}

/// Which orders an admin page shows, as the route parsed it.
#[derive(Debug, Clone)]
pub struct OrderQuery {
    pub filter: OrderFilter,
    pub order: OrderOrder,
    pub page: u32,
    pub limit: u32,
}

fn admin_view(rows: OrderRows) -> AdminOrder {
    let payment_intent_id = rows.order.payment_intent_id.clone();
    let stock_state = rows.order.stock_state;
    let reserved_until = rows.order.reserved_until;
    let currency = rows.order.currency;
    AdminOrder {
        order: order_view(rows),
        payment_intent_id,
        stock_state,
        reserved_until,
        currency,
    }
}

/// One order with everything the admin may see.
pub async fn admin_order(pool: &Pool, order_id: Uuid) -> Result<AdminOrder, ApiError> {
    let rows = db::run(pool, move |conn| {
        let order = queries::find_order(conn, order_id)?
            .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
        Ok(OrderRows::read(conn, order)?)
    })
    .await?;
    Ok(admin_view(rows))
}

/// A page of orders, newest first, with their lines read in one query for the whole page.
pub async fn admin_orders(pool: &Pool, query: OrderQuery) -> Result<AdminOrderPage, ApiError> {
    let OrderQuery {
        filter,
        order,
        page,
        limit,
    } = query;
    let offset = i64::from(page.max(1) - 1) * i64::from(limit);
    let sort = match order {
        OrderOrder::NewestFirst => OrderSort::NewestFirst,
        OrderOrder::OldestFirst => OrderSort::OldestFirst,
        OrderOrder::LargestFirst => OrderSort::LargestFirst,
        OrderOrder::SmallestFirst => OrderSort::SmallestFirst,
    };
    let (rows, total) = db::run(pool, move |conn| {
        let (orders, total) =
            order_table::list_orders(conn, &filter, sort, i64::from(limit), offset)?;
        Ok((OrderRows::read_all(conn, orders)?, total))
    })
    .await?;
    Ok(AdminOrderPage {
        items: rows.into_iter().map(admin_view).collect(),
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    })
}
