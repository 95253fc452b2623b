//! After payment: shipments recorded by the admin, and cancellations.

mod cancellations;
mod shipments;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub async fn ship(app: &TestApp, order_id: &str, key: &str, body: &Value) -> (u16, Value) {
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/orders/{order_id}/fulfillments"),
        )
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

pub async fn cancel(app: &TestApp, order_id: &str, key: &str) -> (u16, Value) {
    let response = app
        .admin(Method::POST, &format!("/admin/orders/{order_id}/cancel"))
        .header("Idempotency-Key", key)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// A shipment of `quantity` units of the order's first line.
pub fn parcel(line_id: &Value, quantity: i64) -> Value {
    json!({
        "lines": [{"line_id": line_id, "quantity": quantity}],
        "carrier": "La Poste",
        "tracking_number": "6A12345678901",
        "tracking_url": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
    })
}
