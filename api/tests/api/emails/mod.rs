//! Transactional email: written to the outbox with the change it announces, sent through a real
//! SMTP server (the mail sink), retried through outages, never sent twice by two processes.

mod announcements;
mod delivery;
mod lookup;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The order's emails as the admin lists them.
pub async fn order_emails(app: &TestApp, order_id: &str) -> Vec<Value> {
    let (status, body) = app
        .admin_json(
            Method::GET,
            &format!("/admin/orders/{order_id}/emails"),
            &json!(null),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// Waits until every email of the order has left `pending`, and answers them.
pub async fn settled_emails(app: &TestApp, order_id: &str, count: usize) -> Vec<Value> {
    let started = std::time::Instant::now();
    loop {
        let emails = order_emails(app, order_id).await;
        if emails.len() >= count && emails.iter().all(|e| e["status"] != "pending") {
            return emails;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "emails still pending: {emails:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
