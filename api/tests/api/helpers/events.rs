//! Stripe's events as the shop receives them, made, signed and delivered by the test itself.

use reqwest::{Method, Response};
use serde_json::json;

use super::app::TestApp;
use super::shopper::intent_id;

pub fn signed(body: &str, secret: &str, timestamp: i64) -> String {
    let signature =
        shop_api::payments::signature::sign(secret.as_bytes(), timestamp, body.as_bytes());
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

pub async fn deliver(app: &TestApp, body: &str, signature: Option<&str>) -> Response {
    let mut request = app
        .request(Method::POST, "/webhooks/stripe")
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.unwrap()
}

pub fn succeeded_event(
    event_id: &str,
    session: &serde_json::Value,
    amount: i64,
    currency: &str,
) -> String {
    json!({
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {
            "id": intent_id(session),
            "object": "payment_intent",
            "amount": amount,
            "currency": currency,
            "status": "succeeded",
            "metadata": {"order_id": session["order_id"]},
        }},
    })
    .to_string()
}
