//! The back office's dashboard figures: sales over time and stock running low, in the shop's
//! currency, computed by the database.

use chrono::{Days, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::reports as queries;
use crate::db::{self, Pool};
use crate::domain::money::{Currency, Money, MoneyView};
use crate::domain::status::OrderStatus;
use crate::error::ApiError;

/// How long each bucket of a sales report is; weeks start on Monday, all in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Day,
    Week,
    Month,
}

impl Interval {
    fn as_sql(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The longest range a report of this interval covers, in days: about 400 buckets.
    pub fn max_days(self) -> u64 {
        match self {
            Interval::Day => 400,
            Interval::Week => 400 * 7,
            Interval::Month => 400 * 31,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalesBucket {
    /// The first day of the bucket (a Monday for weeks, the 1st for months); the bucket counts
    /// only what falls within the report's range.
    pub start: NaiveDate,
    /// What paid orders came to, shipping and tax included.
    pub gross: MoneyView,
    /// What was refunded (accepted by Stripe) in the bucket, whenever the order was paid.
    pub refunds: MoneyView,
    /// Gross less refunds.
    pub net: MoneyView,
    /// Orders paid in the bucket.
    pub orders: i64,
    /// Gross divided by orders, rounded; zero without orders.
    pub average_order_value: MoneyView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: OrderStatus,
    pub orders: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalesReport {
    pub interval: Interval,
    /// The first day counted.
    pub from: NaiveDate,
    /// The last day counted.
    pub to: NaiveDate,
    /// One per interval from `from` to `to`, oldest first, empty ones included.
    pub buckets: Vec<SalesBucket>,
    /// The sums over the whole range.
    pub totals: SalesBucket,
    /// Orders placed in the range, by their status now.
    pub orders_by_status: Vec<StatusCount>,
}

fn bucket(
    start: NaiveDate,
    orders: i64,
    gross: i64,
    refunds: i64,
    currency: Currency,
) -> SalesBucket {
    let money = |amount| MoneyView::from(Money::new(amount, currency));
    let average = if orders > 0 {
        (gross + orders / 2) / orders
    } else {
        0
    };
    SalesBucket {
        start,
        gross: money(gross),
        refunds: money(refunds),
        net: money(gross - refunds),
        orders,
        average_order_value: money(average),
    }
}

/// Sales from `from` to `to`, both days included.
pub async fn sales(
    pool: &Pool,
    currency: Currency,
    interval: Interval,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<SalesReport, ApiError> {
    if to < from {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    let span = u64::try_from((to - from).num_days()).unwrap_or(u64::MAX);
    if span >= interval.max_days() {
        return Err(ApiError::invalid(
            "from",
            format!(
                "a report by {} covers at most {} days: narrow the range or choose a longer interval",
                interval.as_sql(),
                interval.max_days()
            ),
        ));
    }
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end = to
        .checked_add_days(Days::new(1))
        .ok_or_else(|| ApiError::invalid("to", "is too far in the future"))?
        .and_time(NaiveTime::MIN)
        .and_utc();
    let code = currency.code().to_owned();
    let (rows, statuses) = db::run(pool, move |conn| {
        let rows = queries::sales(conn, interval.as_sql(), start, end, &code)?;
        let statuses = queries::orders_by_status(conn, start, end)?;
        Ok((rows, statuses))
    })
    .await?;
    let (orders, gross, refunds) = rows.iter().fold((0, 0, 0), |(o, g, r), row| {
        (o + row.orders, g + row.gross, r + row.refunds)
    });
    Ok(SalesReport {
        interval,
        from,
        to,
        totals: bucket(from, orders, gross, refunds, currency),
        buckets: rows
            .into_iter()
            .map(|row| bucket(row.start, row.orders, row.gross, row.refunds, currency))
            .collect(),
        orders_by_status: statuses
            .into_iter()
            .filter_map(|row| {
                Some(StatusCount {
                    status: OrderStatus::parse(&row.status)?,
                    orders: row.orders,
                })
            })
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LowStockItem {
    pub variant_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub sku: String,
    pub title: String,
    pub stock_on_hand: i32,
    pub stock_reserved: i32,
    /// On hand less reserved.
    pub available: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StockReport {
    pub below: i32,
    /// Fewest available first; at most 200.
    pub items: Vec<LowStockItem>,
}

/// Active variants of active products with fewer than `below` units available.
pub async fn low_stock(pool: &Pool, below: i32) -> Result<StockReport, ApiError> {
    let rows = db::run(pool, move |conn| Ok(queries::low_stock(conn, below, 200)?)).await?;
    Ok(StockReport {
        below,
        items: rows
            .into_iter()
            .map(|row| LowStockItem {
                available: row.stock_on_hand - row.stock_reserved,
                variant_id: row.variant_id,
                product_id: row.product_id,
                product_name: row.product_name,
                sku: row.sku,
                title: row.title,
                stock_on_hand: row.stock_on_hand,
                stock_reserved: row.stock_reserved,
            })
            .collect(),
    })
}
