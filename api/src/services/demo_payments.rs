//! Demo payments: the shop's own stand-in for Stripe.js pays through these, against a fake Stripe
//! server, when `DEMO_PAYMENTS` is on. Like Stripe, they act only for whoever holds the
//! PaymentIntent's client secret, and only with Stripe's test payment methods.

use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::payments::{Intent, PaymentError, Payments};

/// Stripe's test payment methods that the demo Stripe.js offers, and nothing else.
const TEST_PAYMENT_METHODS: [&str; 4] = [
    "pm_card_visa",
    "pm_card_visa_chargeDeclined",
    "pm_card_chargeCustomerFail",
    "pm_card_threeDSecure2Required",
];

/// Where a demo payment stands, as Stripe.js would tell the page.
#[derive(Debug, Serialize)]
pub struct DemoPayment {
    /// Stripe's PaymentIntent status: `succeeded`, `requires_action` (authenticate),
    /// `requires_payment_method` (declined: try another card), `processing`.
    pub status: String,
    /// Why the payment did not go through, as the card issuer put it.
    pub error: Option<String>,
}

impl From<Intent> for DemoPayment {
    fn from(intent: Intent) -> Self {
        DemoPayment {
            error: intent.last_payment_error.and_then(|e| e.message),
            status: intent.status,
        }
    }
}

/// Confirms a PaymentIntent with one of Stripe's test payment methods.
pub async fn confirm(
    payments: &Payments,
    intent_id: &str,
    client_secret: &str,
    payment_method: &str,
) -> Result<DemoPayment, ApiError> {
    if !TEST_PAYMENT_METHODS.contains(&payment_method) {
        return Err(ApiError::invalid(
            "payment_method",
            format!(
                "must be one of Stripe's test payment methods: {}",
                TEST_PAYMENT_METHODS.join(", ")
            ),
        ));
    }
    authorize(payments, intent_id, client_secret).await?;
    let confirmed = payments.demo_confirm(intent_id, payment_method).await;
    outcome(payments, intent_id, confirmed).await
}

/// The shopper approved or failed the demo's 3-D Secure step.
pub async fn authenticate(
    payments: &Payments,
    intent_id: &str,
    client_secret: &str,
    success: bool,
) -> Result<DemoPayment, ApiError> {
    authorize(payments, intent_id, client_secret).await?;
    let authenticated = payments
        .demo_authenticate(intent_id, client_secret, success)
        .await;
    outcome(payments, intent_id, authenticated).await
}

/// A declined card (Stripe's 402) is an answer for the shopper, read from the PaymentIntent.
async fn outcome(
    payments: &Payments,
    intent_id: &str,
    answer: Result<Intent, PaymentError>,
) -> Result<DemoPayment, ApiError> {
    match answer {
        Ok(intent) => Ok(intent.into()),
        Err(PaymentError::Refused { status: 402, .. }) => {
            Ok(payments.retrieve_intent(intent_id).await?.into())
        }
        Err(err) => Err(err.into()),
    }
}

/// Only the holder of a shop PaymentIntent's client secret may pay it; anyone else learns nothing.
async fn authorize(
    payments: &Payments,
    intent_id: &str,
    client_secret: &str,
) -> Result<(), ApiError> {
    let not_found = || ApiError::NotFound("no such payment".into());
    let plausible = intent_id.starts_with("pi_")
        && intent_id.len() <= 255
        && intent_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !plausible {
        return Err(not_found());
    }
    let intent = match payments.retrieve_intent(intent_id).await {
        Ok(intent) => intent,
        Err(PaymentError::Refused { status: 404, .. }) => return Err(not_found()),
        Err(err) => return Err(err.into()),
    };
    let holds_secret = intent
        .client_secret
        .as_deref()
        .is_some_and(|secret| bool::from(secret.as_bytes().ct_eq(client_secret.as_bytes())));
    if holds_secret && intent.order_id().is_some() {
        Ok(())
    } else {
        Err(not_found())
    }
}
