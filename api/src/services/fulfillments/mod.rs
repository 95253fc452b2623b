//! Recording shipments of paid orders. A shipment is checked and written under the order's row
//! lock, so two admins shipping at once cannot send more than was ordered, and a refund or a
//! cancellation cannot slip in between the check and the write.

use std::borrow::Cow;

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::fulfillments::{self as queries, NewFulfillment};
use crate::db::orders::{self as order_queries, OrderChanges};
use crate::db::{self, Pool};
use crate::domain::fulfillment::{self, LineProgress, ShipmentError, Unshippable};
use crate::error::{ApiError, OrderRefusal};
use crate::services::emails;
use crate::services::orders::{self, AdminOrder, Shipment};

mod inputs;

pub use self::inputs::{FulfillmentLineInput, NewFulfillmentInput};

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FulfillmentResult {
    pub fulfillment: Shipment,
    pub order: AdminOrder,
}

/// A shipment recorded now, or the one the same Idempotency-Key recorded before.
#[derive(Debug)]
pub enum Fulfilled {
    Created(FulfillmentResult),
    Replayed(FulfillmentResult),
}

pub(crate) fn order_refused(reason: OrderRefusal, detail: String) -> ApiError {
    ApiError::OrderRefused {
        reason,
        detail,
        field: None,
    }
}

/// The refusal that says why an order in this state does not ship.
fn not_shippable(reason: Unshippable) -> ApiError {
    let (reason, detail) = match reason {
        Unshippable::NotPaid => (
            OrderRefusal::NotPaid,
            "only a paid order ships; this one's payment is not settled",
        ),
        Unshippable::Cancelled => (OrderRefusal::Cancelled, "a cancelled order does not ship"),
        Unshippable::Refunded => (OrderRefusal::Refunded, "a refunded order does not ship"),
    };
    order_refused(reason, detail.to_owned())
}

fn shipment_refused(error: ShipmentError) -> ApiError {
    let invalid = |field: String, detail: String| ApiError::Validation {
        field: Some(Cow::Owned(field)),
        detail,
    };
    match error {
        ShipmentError::Empty | ShipmentError::TooManyLines => {
            ApiError::invalid("lines", "must list 1 to 100 order lines")
        }
        ShipmentError::NotPositive { index } => invalid(
            format!("lines[{index}].quantity"),
            format!("lines[{index}].quantity: must be at least 1"),
        ),
        ShipmentError::UnknownLine { index } => invalid(
            format!("lines[{index}].line_id"),
            format!("lines[{index}].line_id: not a line of this order"),
        ),
        ShipmentError::RepeatedLine { index } => invalid(
            format!("lines[{index}].line_id"),
            format!("lines[{index}].line_id: the line is listed twice"),
        ),
        ShipmentError::ExceedsOrder { index, remaining } => ApiError::OrderRefused {
            reason: OrderRefusal::ExceedsOrder,
            detail: format!(
                "lines[{index}].quantity: {remaining} unit(s) of this line are left to ship"
            ),
            field: Some(format!("lines[{index}].quantity")),
        },
    }
}

/// Records a shipment of `order_id`, named by the admin's Idempotency-Key: replaying the key
/// answers the shipment it recorded, never a second one.
pub async fn ship(
    pool: &Pool,
    order_id: Uuid,
    key: String,
    input: NewFulfillmentInput,
) -> Result<Fulfilled, ApiError> {
    let request = input.check()?;
    let (fulfillment_id, replayed) = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let order = order_queries::lock_order(conn, order_id)?
                .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
            if let Some(existing) = queries::find_by_key(conn, order_id, &key)? {
                return Ok((existing.id, true));
            }
            fulfillment::may_ship(order.status).map_err(not_shippable)?;
            let shipped = queries::shipped_by_line(conn, order_id)?;
            let ordered = order_queries::order_lines(conn, order_id)?;
            let progress: Vec<LineProgress> = ordered
                .iter()
                .map(|line| LineProgress {
                    line_id: line.id,
                    ordered: line.quantity,
                    shipped: shipped
                        .iter()
                        .find(|(id, _)| *id == line.id)
                        .map_or(0, |&(_, units)| i32::try_from(units).unwrap_or(i32::MAX)),
                })
                .collect();
            let status = fulfillment::ship(&progress, &request.lines).map_err(shipment_refused)?;
            let lines: Vec<(Uuid, i32)> = request
                .lines
                .iter()
                .map(|line| (line.line_id, line.quantity))
                .collect();
            let row = queries::insert(
                conn,
                &NewFulfillment {
                    order_id,
                    idempotency_key: &key,
                    carrier: &request.carrier,
                    tracking_number: &request.tracking_number,
                    tracking_url: request.tracking_url.as_deref(),
                },
                &lines,
            )?;
            let order = order_queries::update_order(
                conn,
                order_id,
                &OrderChanges {
                    fulfillment_status: Some(status),
                    ..OrderChanges::default()
                },
            )?;
            emails::compose::order_shipped(conn, &order, &ordered, &row, &lines)?;
            Ok((row.id, false))
        })
    })
    .await?;
    let order = orders::admin_order(pool, order_id).await?;
    let fulfillment = order
        .order
        .shipments
        .iter()
        .find(|shipment| shipment.id == fulfillment_id)
        .cloned()
        .ok_or_else(|| ApiError::Internal("recorded shipment not found".into()))?;
    let result = FulfillmentResult { fulfillment, order };
    Ok(if replayed {
        Fulfilled::Replayed(result)
    } else {
        Fulfilled::Created(result)
    })
}
