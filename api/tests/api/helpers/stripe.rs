//! The Stripe stand-in (`scripts/fake_stripe.py`, localstripe underneath) as the tests see it:
//! reading and changing its objects, making it misbehave, and a slower one of the test's own.

use serde_json::Value;

use super::app::TestApp;

/// The key of the tests' own requests to Stripe, as the dashboard or Stripe.js make them; each
/// app has a key (an account) of its own.
pub const STRIPE_SECRET_KEY: &str = "sk_test_shop0123456789";
pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_shop_test_0123456789";

/// The localstripe server that `scripts/test` starts; override with `LOCALSTRIPE_URL`. Its port
/// is the stand-in's one default, `STRIPE_STANDIN_PORT` in `harness/lib.sh`.
pub fn localstripe_url() -> String {
    std::env::var("LOCALSTRIPE_URL").unwrap_or_else(|_| "http://127.0.0.1:8420".to_owned())
}

/// Tells the Stripe stand-in (`scripts/fake_stripe.py`) to misbehave for matching requests: see
/// that script for the rule's fields.
pub async fn stripe_rule(rule: serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/_config/rules", localstripe_url()))
        .json(&rule)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)");
    assert!(response.status().is_success(), "stripe rule: {rule}");
}

/// A Stripe secret key of the test's own: an account at the stand-in, so that rules and webhooks
/// for it touch no other test.
pub fn own_stripe_key() -> String {
    format!("sk_test_{}", uuid::Uuid::new_v4().simple())
}

/// GET from the Stripe server with the tests' secret key, as the dashboard would see it.
pub async fn stripe_get(path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", localstripe_url()))
        .basic_auth(STRIPE_SECRET_KEY, Some(""))
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)")
        .json()
        .await
        .expect("Stripe answers JSON")
}

/// POSTs a form to the Stripe server with the tests' secret key, as Stripe.js or the dashboard
/// would, and answers what Stripe said: the object, or its error (a declined card is one).
pub async fn stripe_post(path: &str, form: &[(&str, &str)]) -> Value {
    reqwest::Client::new()
        .post(format!("{}{path}", localstripe_url()))
        .basic_auth(STRIPE_SECRET_KEY, Some(""))
        .form(form)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)")
        .json()
        .await
        .expect("Stripe answers JSON")
}

/// Changes fields of an object the Stripe stand-in holds, as Stripe's own processing would (a
/// refund that fails at the bank).
pub async fn stripe_set(object_id: &str, fields: Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/_config/objects/{object_id}", localstripe_url()))
        .json(&fields)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)");
    assert!(response.status().is_success(), "set {object_id}: {fields}");
}

/// Every PaymentIntent the Stripe server holds whose metadata names one of `order_ids`.
pub async fn stripe_intents_of(order_ids: &[String]) -> Vec<Value> {
    let mut found = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = "/v1/payment_intents?limit=100".to_owned();
        if let Some(after) = &after {
            path.push_str(&format!("&starting_after={after}"));
        }
        let page = stripe_get(&path).await;
        let data = page["data"].as_array().cloned().unwrap_or_default();
        for intent in &data {
            let order = intent["metadata"]["order_id"].as_str().unwrap_or_default();
            if order_ids.iter().any(|id| id == order) {
                found.push(intent.clone());
            }
        }
        if page["has_more"] != true || data.is_empty() {
            return found;
        }
        after = data
            .last()
            .and_then(|i| i["id"].as_str())
            .map(str::to_owned);
    }
}

/// A Stripe stand-in that answers every request after `delay`, with a PaymentIntent: for
/// timeouts and for requests still in flight when the server is asked to stop.
pub fn slow_stripe(delay: std::time::Duration) -> String {
    use std::io::{BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                if super::raw_http::read_request(&mut reader).is_none() {
                    return;
                }
                std::thread::sleep(delay);
                let id = format!("pi_slow{}", uuid::Uuid::new_v4().simple());
                let json = format!(
                    r#"{{"id":"{id}","object":"payment_intent","client_secret":"{id}_secret_x","status":"requires_payment_method","amount":2500,"currency":"eur","metadata":{{}}}}"#
                );
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes());
            });
        }
    });
    format!("http://{address}")
}

impl TestApp {
    /// Points the webhooks of this app's Stripe account at it, so its payments end in signed
    /// events here, and no other app's do.
    pub async fn register_webhook(&self) {
        let response = self
            .client
            .post(format!(
                "{}/_config/webhooks/{}",
                localstripe_url(),
                self.db_name
            ))
            .basic_auth(&self.stripe_key, Some(""))
            .form(&[
                ("url", format!("{}/api/v1/webhooks/stripe", self.address)),
                ("secret", STRIPE_WEBHOOK_SECRET.to_owned()),
            ])
            .send()
            .await
            .expect("localstripe must be running (scripts/test starts it)");
        assert!(
            response.status().is_success(),
            "register webhook: {}",
            response.status()
        );
    }
}
