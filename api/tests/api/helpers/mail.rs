//! The mail sink (`scripts/mail_sink.py`, aiosmtpd underneath) as the tests see it: a real SMTP
//! server whose messages and failure rules are read and set over HTTP. Tests share one sink, so
//! each writes to addresses of its own and sets rules for those only.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::app::{TestApp, spawn_app_with};

/// The sink's HTTP side, which `scripts/test` starts; override with `MAIL_SINK_URL`.
pub fn mail_sink_url() -> String {
    std::env::var("MAIL_SINK_URL").unwrap_or_else(|_| "http://127.0.0.1:8025".to_owned())
}

/// The sink's SMTP side; override with `MAIL_SINK_SMTP_URL`.
pub fn mail_sink_smtp() -> String {
    std::env::var("MAIL_SINK_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:2525".to_owned())
}

/// The secret the tests' apps sign order lookup links with.
pub const LOOKUP_SECRET: &str = "test-order-lookup-secret-0123456789abcdef";

/// An address no other test writes to.
pub fn fresh_address() -> String {
    format!("shopper-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// The app with email on, through the sink, looking for due email every 50 ms and retrying a
/// failed one after a second (then two, four ...).
pub async fn spawn_mailing_app(overrides: &[(&str, &str)]) -> TestApp {
    let smtp = mail_sink_smtp();
    let mut vars = vec![
        ("SMTP_URL", smtp.as_str()),
        ("MAIL_FROM", "Test Shop <orders@shop.example>"),
        ("SHOP_NAME", "Test Shop"),
        ("SHOP_URL", "https://shop.example"),
        ("EMAIL_POLL_INTERVAL_MS", "50"),
        ("EMAIL_RETRY_BASE_SECS", "1"),
        ("ORDER_LOOKUP_SECRET", LOOKUP_SECRET),
    ];
    vars.extend_from_slice(overrides);
    spawn_app_with(&vars).await
}

/// The messages the sink received for `address`, oldest first.
pub async fn inbox(address: &str) -> Vec<Value> {
    reqwest::Client::new()
        // The tests' addresses are letters, digits, '-', '.' and '@': nothing to escape.
        .get(format!("{}/messages?to={address}", mail_sink_url()))
        .send()
        .await
        .expect("the mail sink must be running (scripts/test starts it)")
        .json()
        .await
        .unwrap()
}

/// Waits until `address` has received `count` messages, and answers them.
pub async fn wait_for_mail(address: &str, count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let messages = inbox(address).await;
        if messages.len() >= count {
            return messages;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{address} received {} of {count} messages",
            messages.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Makes the sink fail mail to `address`: `defer` (451), `stall` for `seconds`, or `drop`.
pub async fn mail_rule(address: &str, action: &str, seconds: f64, times: Option<u32>) {
    let rule = json!({"to": address, "action": action, "seconds": seconds, "times": times});
    let response = reqwest::Client::new()
        .post(format!("{}/_config/rules", mail_sink_url()))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "mail rule {rule}");
}
