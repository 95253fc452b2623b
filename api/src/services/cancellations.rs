//! The merchant cancels an order that has not shipped. Awaiting payment, its PaymentIntent is
//! cancelled at Stripe first (which then can never succeed) and its stock released. Paid, it is
//! marked cancelled, its units go back on hand and what was not yet refunded is refunded, all in
//! one transaction that records the refund as requested before Stripe is asked; a retry after
//! a lost answer finds that refund at Stripe rather than making a second one.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::orders::{self as queries, OrderChanges, OrderRow};
use crate::db::refunds::{self as refund_queries, RefundRow};
use crate::db::{self, Pool, promotions, stock};
use crate::domain::status::{FulfillmentStatus, OrderStatus, RefundStatus};
use crate::error::{ApiError, OrderRefusal};
use crate::payments::Payments;
use crate::services::fulfillments::order_refused;
use crate::services::orders::{self, AdminOrder};
use crate::services::refunds;
use crate::services::{checkout, emails};

/// The refund a cancellation makes, one per order. It has a space, which no admin's
/// Idempotency-Key has, so it never answers for one of the admin's own refunds.
const CANCELLATION_REFUND: &str = "order cancellation";

/// Cancels `order_id` and answers it as it stands after. Cancelling a cancelled order answers it
/// again, settling a refund its first cancellation left unanswered.
pub async fn cancel(
    pool: &Pool,
    payments: &Payments,
    order_id: Uuid,
) -> Result<AdminOrder, ApiError> {
    let order = db::run(pool, move |conn| {
        queries::find_order(conn, order_id)?
            .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))
    })
    .await?;
    if order.status == OrderStatus::PendingPayment {
        checkout::cancel_pending(pool, payments, order).await?;
    } else if let Some((order, refund, replayed)) =
        db::run(pool, move |conn| cancel_paid(conn, order_id)).await?
    {
        refunds::settle(pool, payments, &order, refund, replayed).await?;
    }
    orders::admin_order(pool, order_id).await
}

/// Cancels a paid order under its lock, and answers the refund still to ask Stripe for, if any,
/// with whether an earlier attempt recorded it.
fn cancel_paid(
    conn: &mut PgConnection,
    order_id: Uuid,
) -> Result<Option<(OrderRow, RefundRow, bool)>, ApiError> {
    conn.transaction(|conn| {
        let order = queries::lock_order(conn, order_id)?
            .ok_or_else(|| ApiError::NotFound(format!("no order {order_id}")))?;
        match order.status {
            OrderStatus::Cancelled => {
                let pending = refund_queries::find_by_key(conn, order_id, CANCELLATION_REFUND)?
                    .filter(|refund| refund.status == RefundStatus::Requested);
                return Ok(pending.map(|refund| (order, refund, true)));
            }
            OrderStatus::PendingPayment => {
                return Err(ApiError::Conflict(
                    "the order's payment changed meanwhile; retry".into(),
                ));
            }
            OrderStatus::Paid
            | OrderStatus::PartiallyRefunded
            | OrderStatus::Refunded
            | OrderStatus::NeedsReview => {}
        }
        if order.fulfillment_status != FulfillmentStatus::Unfulfilled {
            return Err(order_refused(
                OrderRefusal::Fulfilled,
                "the order has shipped, in part or in whole; refund what comes back instead".into(),
            ));
        }
        stock::restock_sold(conn, &order)?;
        promotions::release_redemption(conn, order.id)?;
        let order = queries::update_order(
            conn,
            order.id,
            &OrderChanges {
                status: Some(OrderStatus::Cancelled),
                ..OrderChanges::default()
            },
        )?;
        let refundable =
            order.total_amount - refund_queries::total(conn, order.id, RefundStatus::COMMITTED)?;
        emails::compose::order_cancelled(conn, &order, refundable.max(0))?;
        if refundable <= 0 {
            return Ok(None);
        }
        let refund =
            refund_queries::insert_requested(conn, order.id, CANCELLATION_REFUND, refundable)?;
        Ok(Some((order, refund, false)))
    })
}
