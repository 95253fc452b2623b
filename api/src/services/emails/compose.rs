//! The emails an order's changes write to the outbox, each in the transaction of its change.

use diesel::prelude::*;

use crate::db::emails::{self as queries, NewEmail};
use crate::db::fulfillments::FulfillmentRow;
use crate::db::orders::{self as order_queries, OrderLineRow, OrderRow};
use crate::domain::address::Address;
use crate::domain::money::Money;
use crate::domain::status::EmailKind;
use crate::error::ApiError;
use crate::mail::{
    CancellationNotice, Payload, Receipt, ReceiptLine, RefundNotice, ShipmentNotice,
};

fn write(
    conn: &mut PgConnection,
    order: &OrderRow,
    kind: EmailKind,
    payload: Payload,
) -> Result<(), ApiError> {
    let payload = serde_json::to_value(&payload)
        .map_err(|e| ApiError::Internal(format!("email payload: {e}")))?;
    queries::insert(
        conn,
        &NewEmail {
            order_id: Some(order.id),
            customer_id: None,
            kind,
            recipient: &order.email,
            payload,
            resent_from: None,
        },
    )?;
    Ok(())
}

fn label_lines(address: &Address) -> Vec<String> {
    let mut lines = vec![address.name.clone(), address.line1.clone()];
    lines.extend(address.line2.clone());
    let region = address
        .region
        .as_deref()
        .map(|region| format!(", {region}"))
        .unwrap_or_default();
    lines.push(format!("{} {}{region}", address.postal_code, address.city));
    lines.push(address.country.code().to_owned());
    lines
}

/// The receipt, once the order is paid.
pub fn order_paid(conn: &mut PgConnection, order: &OrderRow) -> Result<(), ApiError> {
    let money = |amount| Money::new(amount, order.currency).to_string();
    let priced = &order.priced;
    let lines = order_queries::order_lines(conn, order.id)?
        .into_iter()
        .map(|line| ReceiptLine {
            name: format!("{} ({})", line.product_name, line.variant_title),
            quantity: line.quantity,
            amount: money(line.line_amount),
        })
        .collect();
    let mut totals = vec![("Subtotal".to_owned(), money(priced.subtotal_amount))];
    if priced.discount_amount > 0 {
        let code = priced
            .breakdown
            .promotion_code
            .as_deref()
            .map(|code| format!(" ({code})"))
            .unwrap_or_default();
        totals.push((
            format!("Discount{code}"),
            format!("-{}", money(priced.discount_amount)),
        ));
    }
    if let Some(shipping) = &priced.breakdown.shipping {
        totals.push((
            format!("Shipping: {}", shipping.name),
            money(priced.shipping_amount),
        ));
    }
    let included = if priced.tax_included {
        " (included)"
    } else {
        ""
    };
    for tax in &priced.breakdown.tax_lines {
        totals.push((format!("{}{included}", tax.label), money(tax.amount)));
    }
    let receipt = Receipt {
        order_id: order.id,
        lines,
        ship_to: priced
            .shipping_address
            .as_ref()
            .map(label_lines)
            .unwrap_or_default(),
        totals,
        total: money(order.total_amount),
    };
    write(
        conn,
        order,
        EmailKind::OrderPaid,
        Payload::OrderPaid(receipt),
    )
}

/// The shipping notice, with the parcel's lines as (order line id, units) of the order's `lines`.
pub fn order_shipped(
    conn: &mut PgConnection,
    order: &OrderRow,
    lines: &[OrderLineRow],
    shipment: &FulfillmentRow,
    units: &[(uuid::Uuid, i32)],
) -> Result<(), ApiError> {
    let notice = ShipmentNotice {
        order_id: order.id,
        carrier: shipment.carrier.clone(),
        tracking_number: shipment.tracking_number.clone(),
        tracking_url: shipment.tracking_url.clone(),
        lines: units
            .iter()
            .filter_map(|(line_id, quantity)| {
                let line = lines.iter().find(|line| line.id == *line_id)?;
                Some((
                    format!("{} ({})", line.product_name, line.variant_title),
                    *quantity,
                ))
            })
            .collect(),
    };
    write(
        conn,
        order,
        EmailKind::OrderShipped,
        Payload::OrderShipped(notice),
    )
}

/// A refund Stripe accepted: `amount` more than before, `refunded` in all.
pub fn order_refunded(
    conn: &mut PgConnection,
    order: &OrderRow,
    amount: i64,
    refunded: i64,
) -> Result<(), ApiError> {
    let notice = RefundNotice {
        order_id: order.id,
        amount: Money::new(amount, order.currency).to_string(),
        refunded: Money::new(refunded, order.currency).to_string(),
    };
    write(
        conn,
        order,
        EmailKind::OrderRefunded,
        Payload::OrderRefunded(notice),
    )
}

/// The merchant cancelled a paid order; `refund` goes back to the shopper.
pub fn order_cancelled(
    conn: &mut PgConnection,
    order: &OrderRow,
    refund: i64,
) -> Result<(), ApiError> {
    let notice = CancellationNotice {
        order_id: order.id,
        refund: (refund > 0).then(|| Money::new(refund, order.currency).to_string()),
    };
    write(
        conn,
        order,
        EmailKind::OrderCancelled,
        Payload::OrderCancelled(notice),
    )
}
