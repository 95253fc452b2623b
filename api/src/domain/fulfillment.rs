//! Shipping a paid order: which orders may ship, how much of each line is left to ship, and what
//! the order's fulfilment status becomes. The database holds the quantities; these rules decide.

use uuid::Uuid;

use super::status::{FulfillmentStatus, OrderStatus};

pub const MAX_CARRIER_LEN: usize = 100;
pub const MAX_TRACKING_NUMBER_LEN: usize = 100;
pub const MAX_TRACKING_URL_LEN: usize = 2000;
/// More lines than any order holds (a cart holds at most 100).
pub const MAX_SHIPMENT_LINES: usize = 100;

/// Why an order does not ship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unshippable {
    /// Awaiting payment, or the payment is held for review.
    NotPaid,
    Cancelled,
    Refunded,
}

/// Whether an order in `status` may ship. Only a settled payment ships: an order held for review
/// waits for the merchant to resolve it, and a partial refund (a goodwill gesture) still ships.
pub fn may_ship(status: OrderStatus) -> Result<(), Unshippable> {
    match status {
        OrderStatus::Paid | OrderStatus::PartiallyRefunded => Ok(()),
        OrderStatus::PendingPayment | OrderStatus::NeedsReview => Err(Unshippable::NotPaid),
        OrderStatus::Cancelled => Err(Unshippable::Cancelled),
        OrderStatus::Refunded => Err(Unshippable::Refunded),
    }
}

/// A line of the order with what has shipped of it so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineProgress {
    pub line_id: Uuid,
    pub ordered: i32,
    pub shipped: i32,
}

/// One line of a shipment as the admin asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShipmentLine {
    pub line_id: Uuid,
    pub quantity: i32,
}

/// A shipment that cannot be recorded; `index` is the position in the request's `lines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentError {
    Empty,
    TooManyLines,
    NotPositive {
        index: usize,
    },
    /// The line is not one of this order's.
    UnknownLine {
        index: usize,
    },
    /// The same line twice in one shipment.
    RepeatedLine {
        index: usize,
    },
    ExceedsOrder {
        index: usize,
        remaining: i32,
    },
}

/// Checks `shipment` against the order's lines, and answers the order's fulfilment status once
/// it has shipped.
pub fn ship(
    progress: &[LineProgress],
    shipment: &[ShipmentLine],
) -> Result<FulfillmentStatus, ShipmentError> {
    if shipment.is_empty() {
        return Err(ShipmentError::Empty);
    }
    if shipment.len() > MAX_SHIPMENT_LINES {
        return Err(ShipmentError::TooManyLines);
    }
    let mut after: Vec<LineProgress> = progress.to_vec();
    for (index, line) in shipment.iter().enumerate() {
        if line.quantity < 1 {
            return Err(ShipmentError::NotPositive { index });
        }
        if shipment[..index]
            .iter()
            .any(|earlier| earlier.line_id == line.line_id)
        {
            return Err(ShipmentError::RepeatedLine { index });
        }
        let Some(ordered) = after.iter_mut().find(|p| p.line_id == line.line_id) else {
            return Err(ShipmentError::UnknownLine { index });
        };
        let remaining = ordered.ordered - ordered.shipped;
        if line.quantity > remaining {
            return Err(ShipmentError::ExceedsOrder { index, remaining });
        }
        ordered.shipped += line.quantity;
    }
    Ok(status(&after))
}

/// `fulfilled` once every unit has shipped, `unfulfilled` while none has.
pub fn status(progress: &[LineProgress]) -> FulfillmentStatus {
    let ordered: i64 = progress.iter().map(|p| i64::from(p.ordered)).sum();
    let shipped: i64 = progress.iter().map(|p| i64::from(p.shipped)).sum();
    if shipped == 0 {
        FulfillmentStatus::Unfulfilled
    } else if shipped >= ordered {
        FulfillmentStatus::Fulfilled
    } else {
        FulfillmentStatus::PartiallyFulfilled
    }
}

/// A tracking link the shopper's page and email may show: http or https only, so that no
/// `javascript:` or `data:` link reaches them.
pub fn tracking_url(value: &str) -> Result<String, &'static str> {
    let url = value.trim();
    // `get`, not indexing: the scheme's length may fall inside a character of what follows.
    let scheme_ok = ["https://", "http://"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url
                .get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    });
    if !scheme_ok {
        return Err("must be an http or https URL");
    }
    if url.chars().count() > MAX_TRACKING_URL_LEN {
        return Err("must be at most 2000 characters");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("must not contain spaces or control characters");
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u128, ordered: i32, shipped: i32) -> LineProgress {
        LineProgress {
            line_id: Uuid::from_u128(n),
            ordered,
            shipped,
        }
    }

    fn send(n: u128, quantity: i32) -> ShipmentLine {
        ShipmentLine {
            line_id: Uuid::from_u128(n),
            quantity,
        }
    }

    #[test]
    fn partial_then_complete() {
        let order = [line(1, 2, 0), line(2, 1, 0)];
        assert_eq!(
            ship(&order, &[send(1, 1)]),
            Ok(FulfillmentStatus::PartiallyFulfilled)
        );
        let order = [line(1, 2, 1), line(2, 1, 0)];
        assert_eq!(
            ship(&order, &[send(2, 1), send(1, 1)]),
            Ok(FulfillmentStatus::Fulfilled)
        );
    }

    #[test]
    fn refuses_more_than_is_left() {
        let order = [line(1, 2, 1)];
        assert_eq!(
            ship(&order, &[send(1, 2)]),
            Err(ShipmentError::ExceedsOrder {
                index: 0,
                remaining: 1
            })
        );
        let shipped = [line(1, 2, 2)];
        assert_eq!(
            ship(&shipped, &[send(1, 1)]),
            Err(ShipmentError::ExceedsOrder {
                index: 0,
                remaining: 0
            })
        );
    }

    #[test]
    fn refuses_odd_shipments() {
        let order = [line(1, 3, 0)];
        assert_eq!(ship(&order, &[]), Err(ShipmentError::Empty));
        assert_eq!(
            ship(&order, &[send(1, 0)]),
            Err(ShipmentError::NotPositive { index: 0 })
        );
        assert_eq!(
            ship(&order, &[send(1, 1), send(9, 1)]),
            Err(ShipmentError::UnknownLine { index: 1 })
        );
        assert_eq!(
            ship(&order, &[send(1, 1), send(1, 1)]),
            Err(ShipmentError::RepeatedLine { index: 1 })
        );
    }

    #[test]
    fn only_settled_payments_ship() {
        assert_eq!(may_ship(OrderStatus::Paid), Ok(()));
        assert_eq!(may_ship(OrderStatus::PartiallyRefunded), Ok(()));
        assert_eq!(
            may_ship(OrderStatus::PendingPayment),
            Err(Unshippable::NotPaid)
        );
        assert_eq!(
            may_ship(OrderStatus::NeedsReview),
            Err(Unshippable::NotPaid)
        );
        assert_eq!(
            may_ship(OrderStatus::Cancelled),
            Err(Unshippable::Cancelled)
        );
        assert_eq!(may_ship(OrderStatus::Refunded), Err(Unshippable::Refunded));
    }

    #[test]
    fn tracking_links_are_web_links() {
        assert_eq!(
            tracking_url(" https://track.example/123 "),
            Ok("https://track.example/123".to_owned())
        );
        assert!(tracking_url("HTTP://track.example/1").is_ok());
        assert!(tracking_url("javascript:alert(1)").is_err());
        assert!(tracking_url("https://").is_err());
        assert!(tracking_url("https://a.example/x y").is_err());
        // "https://" is eight bytes: here they end inside the two bytes of '¡'.
        assert_eq!(
            tracking_url("HTTP://\u{a1}"),
            Ok("HTTP://\u{a1}".to_owned())
        );
    }
}
