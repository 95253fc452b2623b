//! How a Stripe call can fail, and what the client hears of it.

use stripe::StripeError;

use crate::metrics::StripeFailure;

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("payments are not configured (STRIPE_SECRET_KEY is unset)")]
    NotConfigured,
    /// Stripe could not be reached, or did not answer in time: retrying later may succeed.
    #[error("Stripe unreachable: {0}")]
    Unreachable(String),
    /// Stripe answered with an error.
    #[error("Stripe refused ({status}): {message}")]
    Refused { status: u16, message: String },
    /// Stripe answered, but not in a form the shop can read: whatever was asked may have been
    /// done.
    #[error("unreadable answer from Stripe: {0}")]
    Unreadable(String),
}

impl PaymentError {
    /// The failure's kind, as the metrics and traces name it.
    pub fn kind(&self) -> StripeFailure {
        match self {
            PaymentError::NotConfigured => StripeFailure::NotConfigured,
            PaymentError::Unreachable(_) => StripeFailure::Unreachable,
            PaymentError::Refused { .. } => StripeFailure::Refused,
            PaymentError::Unreadable(_) => StripeFailure::Unreadable,
        }
    }

    /// Whether Stripe may have done what was asked although no usable answer came back.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            PaymentError::Unreachable(_) | PaymentError::Unreadable(_)
        )
    }
}

impl From<StripeError> for PaymentError {
    fn from(err: StripeError) -> Self {
        match err {
            StripeError::Timeout => PaymentError::Unreachable("timed out".into()),
            StripeError::ClientError(cause) => PaymentError::Unreachable(cause),
            StripeError::Stripe(api, status) => PaymentError::Refused {
                status,
                message: format!(
                    "{} {}: {}",
                    api.type_.as_str(),
                    api.code.as_ref().map_or("", |c| c.as_str()),
                    api.message.as_deref().unwrap_or("")
                ),
            },
            StripeError::JSONDeserialize(cause) => PaymentError::Unreadable(cause),
            StripeError::ConfigError(cause) => PaymentError::Refused {
                status: 500,
                message: format!("client configuration: {cause}"),
            },
        }
    }
}

impl From<PaymentError> for crate::error::ApiError {
    fn from(err: PaymentError) -> Self {
        use crate::error::ApiError;
        match err {
            PaymentError::NotConfigured | PaymentError::Unreachable(_) => {
                ApiError::PaymentUnavailable(err.to_string())
            }
            PaymentError::Refused { .. } | PaymentError::Unreadable(_) => {
                ApiError::PaymentProvider(err.to_string())
            }
        }
    }
}
