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

/// Why an authenticated request is refused (403), as the problem type says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessRefusal {
    /// The caller's role does not grant the operation.
    RoleForbids,
    /// The staff member has a one-time password, and must change it first.
    PasswordChangeRequired,
    /// The operation is about a login session, and the request came with an API key.
    SessionRequired,
    /// A write with the session cookie lacks the session's CSRF token.
    CsrfToken,
    /// A write with the session cookie comes from another site.
    CrossOrigin,
    /// A shopper signs in before confirming their email address.
    EmailNotVerified,
}

impl AccessRefusal {
    pub(super) fn slug_and_title(self) -> (&'static str, &'static str) {
        match self {
            AccessRefusal::RoleForbids => ("forbidden", "Your role does not allow this"),
            AccessRefusal::PasswordChangeRequired => (
                "password-change-required",
                "Change your one-time password first",
            ),
            AccessRefusal::SessionRequired => (
                "session-required",
                "This needs a login session, not an API key",
            ),
            AccessRefusal::CsrfToken => ("csrf-token", "The CSRF token is missing or wrong"),
            AccessRefusal::CrossOrigin => ("cross-origin", "The request comes from another site"),
            AccessRefusal::EmailNotVerified => {
                ("email-not-verified", "Confirm your email address first")
            }
        }
    }
}
