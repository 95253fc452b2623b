//! The refusals with a problem type per reason, so that a client can tell them apart.

/// Why an order cannot be shipped or cancelled as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderRefusal {
    /// Awaiting payment, or the payment is held for review.
    NotPaid,
    Cancelled,
    Refunded,
    /// Shipped, in part or in whole: it can no longer be cancelled.
    Fulfilled,
    /// More units of a line than are left to ship.
    ExceedsOrder,
}

/// Why a promotion code was refused, as the problem type says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromotionRefusal {
    Unknown,
    Expired,
    NotYetValid,
    Exhausted,
    MinimumNotMet,
    AlreadyUsed,
}

impl PromotionRefusal {
    pub(super) fn slug_and_title(self) -> (&'static str, &'static str) {
        match self {
            PromotionRefusal::Unknown => ("promotion-unknown", "No such promotion code"),
            PromotionRefusal::Expired => ("promotion-expired", "The promotion has ended"),
            PromotionRefusal::NotYetValid => {
                ("promotion-not-yet-valid", "The promotion has not started")
            }
            PromotionRefusal::Exhausted => {
                ("promotion-exhausted", "The promotion has been used up")
            }
            PromotionRefusal::MinimumNotMet => (
                "promotion-minimum-not-met",
                "The cart is below the promotion's minimum",
            ),
            PromotionRefusal::AlreadyUsed => (
                "promotion-already-used",
                "This email has used the promotion already",
            ),
        }
    }
}

pub(super) fn order_slug_and_title(reason: OrderRefusal) -> (&'static str, &'static str) {
    match reason {
        OrderRefusal::NotPaid => ("order-not-paid", "The order's payment is not settled"),
        OrderRefusal::Cancelled => ("order-cancelled", "The order is cancelled"),
        OrderRefusal::Refunded => ("order-refunded", "The order is refunded"),
        OrderRefusal::Fulfilled => ("order-fulfilled", "The order has shipped"),
        OrderRefusal::ExceedsOrder => (
            "fulfillment-exceeds-order",
            "More units than are left to ship",
        ),
    }
}
