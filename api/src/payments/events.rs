//! Stripe's webhook events: verified against `Stripe-Signature` before a byte of them is parsed,
//! then decoded into the few fields the shop reads, so a newer or thinner payload still parses.

use secrecy::ExposeSecret;
use serde::Deserialize;
use uuid::Uuid;

use super::signature::{self, SignatureError};
use super::{Intent, IntentState, Payments};

#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// When Stripe created the event (Unix time), for the webhook lag.
    pub created: Option<i64>,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct RefundCue {
    payment_intent: Option<String>,
}

/// Refund events: a cue to read the PaymentIntent and its refunds from Stripe.
const REFUND_EVENTS: &[&str] = &[
    "charge.refunded",
    "charge.refund.updated",
    "refund.created",
    "refund.updated",
    "refund.failed",
];

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("STRIPE_WEBHOOK_SECRET is unset")]
    NotConfigured,
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a Stripe event")]
    NotAnEvent,
}

impl From<WebhookError> for crate::error::ApiError {
    fn from(err: WebhookError) -> Self {
        use crate::error::ApiError;
        match err {
            WebhookError::NotConfigured => ApiError::Unavailable(err.to_string()),
            WebhookError::Signature(e) => ApiError::InvalidSignature(e.to_string()),
            WebhookError::NotAnEvent => ApiError::BadRequest(err.to_string()),
        }
    }
}

impl Payments {
    /// The event in `body`, if `signature` proves Stripe sent it recently.
    pub fn verify_event(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        let secret = self
            .webhook_secret
            .as_ref()
            .ok_or(WebhookError::NotConfigured)?;
        signature::verify(
            signature,
            body,
            secret.expose_secret().as_bytes(),
            chrono::Utc::now().timestamp(),
        )?;
        serde_json::from_slice(body).map_err(|_| WebhookError::NotAnEvent)
    }
}

/// What a webhook event means to the shop.
#[derive(Debug)]
pub enum Meaning {
    /// A PaymentIntent moved: its state as the event tells it, and the order its metadata names.
    Intent {
        state: IntentState,
        order_id: Option<Uuid>,
    },
    /// A refund changed; the PaymentIntent it belongs to, if the event names one.
    RefundCue { intent_id: Option<String> },
    /// Anything else, or a payload the shop cannot read.
    Other,
}

impl Event {
    pub fn meaning(&self) -> Meaning {
        if REFUND_EVENTS.contains(&self.event_type.as_str()) {
            let intent_id = serde_json::from_value::<RefundCue>(self.data.object.clone())
                .ok()
                .and_then(|cue| cue.payment_intent);
            return Meaning::RefundCue { intent_id };
        }
        // The event's type, not the object's status, says what happened: a later event may
        // carry an object whose status has moved on.
        let status = match self.event_type.as_str() {
            "payment_intent.succeeded" => "succeeded",
            "payment_intent.payment_failed" => "requires_payment_method",
            "payment_intent.canceled" => "canceled",
            "payment_intent.processing" => "processing",
            "payment_intent.requires_action" => "requires_action",
            _ => return Meaning::Other,
        };
        // The object is a PaymentIntent as the API returns it, read by the same type.
        let Ok(intent) = miniserde::json::from_str::<Intent>(&self.data.object.to_string()) else {
            return Meaning::Other;
        };
        let mut state = intent.state();
        state.status = status.to_owned();
        Meaning::Intent {
            state,
            order_id: intent.order_id(),
        }
    }
}
