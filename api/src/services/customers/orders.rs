//! The account's orders: paid ones only, as the lookup link shows them (an abandoned checkout is
//! nobody's business); another's order answers 404, as a missing one does.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::{self, Pool, customer_orders};
use crate::error::ApiError;
use crate::services::orders::{Order, OrderRows, order_view};

/// A page of the account's orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOrderPage {
    pub items: Vec<Order>,
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

pub async fn list(
    pool: &Pool,
    customer_id: Uuid,
    page: u32,
    limit: u32,
) -> Result<CustomerOrderPage, ApiError> {
    let offset = i64::from(page.max(1) - 1) * i64::from(limit);
    let (rows, total) = db::run(pool, move |conn| {
        let (orders, total) =
            customer_orders::paid_orders(conn, customer_id, i64::from(limit), offset)?;
        Ok((OrderRows::read_all(conn, orders)?, total))
    })
    .await?;
    Ok(CustomerOrderPage {
        items: rows.into_iter().map(order_view).collect(),
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    })
}

pub async fn get(pool: &Pool, customer_id: Uuid, order_id: Uuid) -> Result<Order, ApiError> {
    let rows = db::run(pool, move |conn| {
        let order = customer_orders::paid_order(conn, customer_id, order_id)?
            .ok_or_else(|| ApiError::NotFound("no such order".into()))?;
        Ok(OrderRows::read(conn, order)?)
    })
    .await?;
    Ok(order_view(rows))
}
