//! The problem type and title of each kind of failure: what a client branches on.

use super::{ApiError, refusals};

impl ApiError {
    pub(super) fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("invalid-request", "The request is malformed"),
            ApiError::Validation { .. } | ApiError::InvalidFields(_) => {
                ("validation", "The request content is invalid")
            }
            ApiError::NotFound(_) => ("not-found", "Resource not found"),
            ApiError::Unauthorized => ("unauthorized", "Authentication required"),
            ApiError::SignInRequired => ("sign-in-required", "Sign in first"),
            ApiError::LinkInvalid => ("link-invalid", "The link is not valid"),
            ApiError::InvalidCredentials => ("invalid-credentials", "Wrong email or password"),
            ApiError::Forbidden { reason, .. } => reason.slug_and_title(),
            ApiError::TooManyLoginAttempts { .. } => {
                ("too-many-login-attempts", "Too many failed logins")
            }
            ApiError::Conflict(_) => ("conflict", "The request conflicts with the current state"),
            ApiError::Locked(_) => ("locked", "The resource is locked by a checkout"),
            ApiError::InsufficientStock { .. } => ("insufficient-stock", "Not enough stock"),
            ApiError::PaymentUnderWay { .. } => {
                ("payment-under-way", "The payment is under way or done")
            }
            ApiError::CartIncomplete { .. } => {
                ("cart-incomplete", "The cart lacks what this step needs")
            }
            ApiError::PromotionRefused { reason, .. } => reason.slug_and_title(),
            ApiError::OrderRefused { reason, .. } => refusals::order_slug_and_title(*reason),
            ApiError::CountryInAnotherZone { .. } => (
                "country-in-another-zone",
                "The country is in another shipping zone",
            ),
            ApiError::PreconditionFailed(_) => ("precondition-failed", "The resource has changed"),
            ApiError::AccountHasOpenOrders { .. } => (
                "account-has-open-orders",
                "Orders of the account are still to be paid or shipped",
            ),
            ApiError::PayloadTooLarge { .. } => ("payload-too-large", "Request body too large"),
            ApiError::TooManyCheckouts { .. } => {
                ("too-many-checkouts", "Too many checkouts awaiting payment")
            }
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported content type")
            }
            ApiError::Unavailable(_) => ("unavailable", "Service temporarily unavailable"),
            ApiError::PaymentUnavailable(_) => {
                ("payment-unavailable", "The payment provider is unavailable")
            }
            ApiError::PaymentProvider(_) => {
                ("payment-provider-error", "The payment provider failed")
            }
            ApiError::InvalidSignature(_) => {
                ("invalid-signature", "The webhook signature is invalid")
            }
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }
}
