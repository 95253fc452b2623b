//! Orders as the API shows them: to the shopper who holds the order's secret or follows a lookup
//! link, and (in `admin`) to the back office, page by page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use subtle::ConstantTimeEq;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::fulfillments::{self as shipments, FulfillmentLineRow, FulfillmentRow};
use crate::db::orders::{self as queries, OrderLineRow, OrderRow};
use crate::db::{self, Pool};
use crate::domain::address::Address;
use crate::domain::money::{Money, MoneyView};
use crate::domain::status::{FulfillmentStatus, OrderStatus};
use crate::error::ApiError;
use crate::services::carts::{TaxLineView, secret_digest, tax_line_view};

mod admin;

pub use admin::{
    AdminOrder, AdminOrderPage, OrderFilter, OrderOrder, OrderQuery, admin_order, admin_orders,
};

/// The most orders one admin page holds.
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLine {
    /// What a shipment names the line by.
    pub id: Uuid,
    pub variant_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub unit_price: MoneyView,
    /// The sale's compare-at price when the order was placed.
    pub compare_at_price: Option<MoneyView>,
    pub quantity: i32,
    /// `unit_price` × `quantity`.
    pub line_total: MoneyView,
    /// This line's share of the order's discount.
    pub discount: MoneyView,
    #[schema(example = 2000)]
    pub tax_rate_bp: u16,
    /// Included in the line's price or added to it, as the order's `totals.tax_included` says.
    pub tax: MoneyView,
}

/// A parcel that left, with what it carried.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shipment {
    pub id: Uuid,
    #[schema(example = "La Poste")]
    pub carrier: String,
    #[schema(example = "6A12345678901")]
    pub tracking_number: String,
    /// Where the shopper follows the parcel: an http or https URL.
    pub tracking_url: Option<String>,
    pub lines: Vec<ShipmentLineView>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipmentLineView {
    /// The order line's `id`.
    pub line_id: Uuid,
    pub quantity: i32,
}

/// How the order ships, as it was charged.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderShipping {
    #[schema(example = "Standard (3 to 5 days)")]
    pub method: String,
    /// Before tax where prices exclude tax.
    pub price: MoneyView,
    #[schema(example = 2000)]
    pub tax_rate_bp: u16,
    pub tax: MoneyView,
}

/// The figures the order was charged, kept as they were when it was placed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderTotals {
    /// The lines at their unit prices.
    pub subtotal: MoneyView,
    pub discount: MoneyView,
    pub shipping: MoneyView,
    pub tax: MoneyView,
    /// `tax` by rate, highest first.
    pub tax_lines: Vec<TaxLineView>,
    /// Whether the prices included the tax, or it was added to them.
    pub tax_included: bool,
    /// What was charged: the same as the order's `total`.
    pub total: MoneyView,
    /// The promotion code applied, if any.
    pub promotion_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Order {
    pub id: Uuid,
    pub status: OrderStatus,
    pub email: String,
    pub lines: Vec<OrderLine>,
    /// Where the order goes; `null` on orders placed before the shop took addresses.
    pub shipping_address: Option<Address>,
    pub billing_address: Option<Address>,
    pub shipping: Option<OrderShipping>,
    pub totals: OrderTotals,
    pub total: MoneyView,
    pub refunded: MoneyView,
    /// How much has shipped; separate from `status`, which follows the payment.
    pub fulfillment_status: FulfillmentStatus,
    /// Parcels sent, oldest first.
    pub shipments: Vec<Shipment>,
    pub payment_status: Option<String>,
    pub payment_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// An order's rows as read for its view.
pub(crate) struct OrderRows {
    pub order: OrderRow,
    pub lines: Vec<OrderLineRow>,
    pub shipments: Vec<(FulfillmentRow, Vec<FulfillmentLineRow>)>,
}

impl OrderRows {
    /// The rows of a page of orders, their lines and shipments read in one query each.
    pub(crate) fn read_all(
        conn: &mut PgConnection,
        orders: Vec<OrderRow>,
    ) -> QueryResult<Vec<OrderRows>> {
        let ids: Vec<Uuid> = orders.iter().map(|order| order.id).collect();
        let mut lines_by_order: HashMap<Uuid, Vec<OrderLineRow>> = HashMap::new();
        for line in queries::lines_of_orders(conn, &ids)? {
            lines_by_order.entry(line.order_id).or_default().push(line);
        }
        let (shipments, shipment_lines) = shipments::of_orders(conn, &ids)?;
        let mut shipments_by_order: HashMap<Uuid, Vec<_>> = HashMap::new();
        for shipment in group_shipments(shipments, shipment_lines) {
            shipments_by_order
                .entry(shipment.0.order_id)
                .or_default()
                .push(shipment);
        }
        Ok(orders
            .into_iter()
            .map(|order| OrderRows {
                lines: lines_by_order.remove(&order.id).unwrap_or_default(),
                shipments: shipments_by_order.remove(&order.id).unwrap_or_default(),
                order,
            })
            .collect())
    }

    pub(crate) fn read(conn: &mut PgConnection, order: OrderRow) -> QueryResult<OrderRows> {
        let mut rows = OrderRows::read_all(conn, vec![order])?;
        rows.pop().ok_or(diesel::result::Error::NotFound)
    }
}

fn group_shipments(
    shipments: Vec<FulfillmentRow>,
    lines: Vec<FulfillmentLineRow>,
) -> Vec<(FulfillmentRow, Vec<FulfillmentLineRow>)> {
    let mut by_shipment: HashMap<Uuid, Vec<FulfillmentLineRow>> = HashMap::new();
    for line in lines {
        by_shipment
            .entry(line.fulfillment_id)
            .or_default()
            .push(line);
    }
    shipments
        .into_iter()
        .map(|shipment| {
            let lines = by_shipment.remove(&shipment.id).unwrap_or_default();
            (shipment, lines)
        })
        .collect()
}

fn shipment_view((row, lines): (FulfillmentRow, Vec<FulfillmentLineRow>)) -> Shipment {
    Shipment {
        id: row.id,
        carrier: row.carrier,
        tracking_number: row.tracking_number,
        tracking_url: row.tracking_url,
        lines: lines
            .into_iter()
            .map(|line| ShipmentLineView {
                line_id: line.order_line_id,
                quantity: line.quantity,
            })
            .collect(),
        created_at: row.created_at,
    }
}

pub(crate) fn order_view(rows: OrderRows) -> Order {
    let OrderRows {
        order,
        lines,
        shipments,
    } = rows;
    let currency = order.currency;
    let money = |amount| MoneyView::from(Money::new(amount, currency));
    let priced = order.priced;
    let breakdown = priced.breakdown;
    let shipping = breakdown.shipping.map(|shipping| OrderShipping {
        method: shipping.name,
        price: money(priced.shipping_amount),
        tax_rate_bp: shipping.tax_rate_bp,
        tax: money(shipping.tax_amount),
    });
    let totals = OrderTotals {
        subtotal: money(priced.subtotal_amount),
        discount: money(priced.discount_amount),
        shipping: money(priced.shipping_amount),
        tax: money(priced.tax_amount),
        tax_lines: breakdown
            .tax_lines
            .into_iter()
            .map(|line| tax_line_view(line, currency))
            .collect(),
        tax_included: priced.tax_included,
        total: money(order.total_amount),
        promotion_code: breakdown.promotion_code,
    };
    Order {
        id: order.id,
        status: order.status,
        email: order.email,
        lines: lines
            .into_iter()
            .map(|line| OrderLine {
                id: line.id,
                variant_id: line.variant_id,
                sku: line.sku,
                product_name: line.product_name,
                variant_title: line.variant_title,
                unit_price: Money::new(line.unit_amount, currency).into(),
                compare_at_price: line
                    .compare_at_amount
                    .map(|amount| Money::new(amount, currency).into()),
                quantity: line.quantity,
                line_total: money(line.line_amount),
                discount: money(line.discount_amount),
                tax_rate_bp: line.tax_rate_bp.basis_points(),
                tax: money(line.tax_amount),
            })
            .collect(),
        shipping_address: priced.shipping_address,
        billing_address: priced.billing_address,
        shipping,
        totals,
        total: Money::new(order.total_amount, currency).into(),
        refunded: Money::new(order.refunded_amount, currency).into(),
        fulfillment_status: order.fulfillment_status,
        shipments: shipments.into_iter().map(shipment_view).collect(),
        payment_status: order.payment_status,
        payment_error: order.payment_error,
        created_at: order.created_at,
        updated_at: order.updated_at,
        paid_at: order.paid_at,
    }
}

/// The order, if `secret` is its secret; otherwise the same 404 as a missing order, so secrets
/// cannot be probed.
pub(crate) fn authorized_order(
    conn: &mut PgConnection,
    order_id: Uuid,
    secret: &str,
) -> Result<OrderRow, ApiError> {
    let not_found = || ApiError::NotFound("no such order".into());
    let order = queries::find_order(conn, order_id)?.ok_or_else(not_found)?;
    if secret.is_empty() || !bool::from(secret_digest(secret).ct_eq(&order.secret_hash)) {
        return Err(not_found());
    }
    Ok(order)
}

/// The shopper's view of a paid order of `email` (lower case); any other answers 404, as a
/// missing order does.
pub(crate) fn paid_order_of(
    conn: &mut PgConnection,
    order_id: Uuid,
    email: &str,
) -> Result<Order, ApiError> {
    let order = queries::find_order(conn, order_id)?
        .filter(|order| order.paid_at.is_some() && order.email.to_lowercase() == email)
        .ok_or_else(|| ApiError::NotFound("no such order".into()))?;
    Ok(order_view(OrderRows::read(conn, order)?))
}

/// The shopper's view of an order, for the holder of its secret.
pub async fn read(pool: &Pool, order_id: Uuid, secret: String) -> Result<Order, ApiError> {
    let rows = db::run(pool, move |conn| {
        let order = authorized_order(conn, order_id, &secret)?;
        Ok(OrderRows::read(conn, order)?)
    })
    .await?;
    Ok(order_view(rows))
}

/// The paid orders of an email address (given in lower case), newest first, as their shopper
/// sees them.
pub(crate) fn paid_orders_of(conn: &mut PgConnection, email: &str) -> QueryResult<Vec<Order>> {
    let orders = queries::paid_orders_of(conn, email, MAX_PAGE_SIZE.into())?;
    Ok(OrderRows::read_all(conn, orders)?
        .into_iter()
        .map(order_view)
        .collect())
}
