//! Promotion codes: the admin's promotions, a code on a cart with each refusal its own problem
//! type, and redemptions counted at checkout like stock, given back when an order is cancelled.

mod admin;
mod carts;
mod redemptions;

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{Cart, TestApp};

pub async fn create_promotion(app: &TestApp, body: Value) -> Value {
    let (status, promotion) = app
        .admin_json(Method::POST, "/admin/promotions", &body)
        .await;
    assert_eq!(status, 201, "{promotion}");
    promotion
}

pub async fn apply(app: &TestApp, cart: &Cart, code: &str) -> Response {
    app.request(Method::POST, &format!("/carts/{}/promotions", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}
