//! What a shopper and an admin do through the API, and what Stripe.js does for the shopper: the
//! steps the checkout, order, refund and Stripe tests are written in.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

use super::app::{TestApp, product_body};
use super::delivery::ensure_delivery;
use super::events::{deliver, signed, succeeded_event};
use super::stripe::{STRIPE_WEBHOOK_SECRET, stripe_get, stripe_post};

pub struct Cart {
    pub id: String,
    pub secret: String,
}

pub async fn cart_with(app: &TestApp, items: &[(&str, i64)]) -> Cart {
    let created: Value = app
        .request(Method::POST, "/carts")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cart = Cart {
        id: created["id"].as_str().unwrap().to_owned(),
        secret: created["secret"].as_str().unwrap().to_owned(),
    };
    for (variant, quantity) in items {
        let response = app
            .request(Method::POST, &format!("/carts/{}/items", cart.id))
            .header("Cart-Secret", &cart.secret)
            .json(&json!({"variant_id": variant, "quantity": quantity}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    cart
}

/// Opens a checkout for the cart as its shopper's browser would, after giving it an address and
/// a shipping method if it has none.
pub async fn checkout(app: &TestApp, cart: &Cart, key: &str) -> Response {
    ensure_delivery(app, cart).await;
    checkout_request(app, cart, key).send().await.unwrap()
}

/// Opens a checkout for the cart as it stands.
pub async fn checkout_without_delivery(app: &TestApp, cart: &Cart, key: &str) -> Response {
    checkout_request(app, cart, key).send().await.unwrap()
}

/// Opens a checkout as `checkout` does, for a shopper at `client` (the address nginx reports).
pub async fn checkout_from(app: &TestApp, cart: &Cart, key: &str, client: &str) -> Response {
    ensure_delivery(app, cart).await;
    checkout_request(app, cart, key)
        .header("X-Real-IP", client)
        .send()
        .await
        .unwrap()
}

fn checkout_request(app: &TestApp, cart: &Cart, key: &str) -> RequestBuilder {
    checkout_request_as(app, cart, key, "ada@example.com")
}

fn checkout_request_as(app: &TestApp, cart: &Cart, key: &str, email: &str) -> RequestBuilder {
    app.request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", key)
        .json(&json!({"cart_id": cart.id, "email": email}))
}

/// A tee at EUR 25.00 with `stock` units; returns its variant id.
pub async fn tee(app: &TestApp, stock: i32) -> String {
    let product = app
        .create_product(product_body("tee", "Tee", "EUR", &[("TEE-M", 2500, stock)]))
        .await;
    product["variants"][0]["id"].as_str().unwrap().to_owned()
}

pub async fn stock(app: &TestApp, variant: &str) -> (i64, i64) {
    let path = format!("/admin/variants/{variant}/stock");
    let (_, body) = app
        .admin_json(Method::POST, &path, &json!({"delta": 0}))
        .await;
    (
        body["stock_on_hand"].as_i64().unwrap(),
        body["stock_reserved"].as_i64().unwrap(),
    )
}

/// The cart as its shopper reads it.
pub async fn cart_now(app: &TestApp, cart: &Cart) -> Value {
    app.request(Method::GET, &format!("/carts/{}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub async fn order(app: &TestApp, session: &Value) -> Value {
    let response = app
        .request(
            Method::GET,
            &format!("/orders/{}", session["order_id"].as_str().unwrap()),
        )
        .header("Order-Secret", session["order_secret"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub async fn wait_for_order(
    app: &TestApp,
    session: &Value,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    loop {
        let current = order(app, session).await;
        if done(&current) {
            return current;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "order stuck at {current}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn admin_order(app: &TestApp, session: &Value) -> Value {
    let order_id = session["order_id"].as_str().unwrap();
    app.admin(Method::GET, &format!("/admin/orders/{order_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub fn count_orders(app: &TestApp) -> i64 {
    use shop_api::db::schema::orders;
    orders::table.count().get_result(&mut app.db()).unwrap()
}

pub async fn paid_order(app: &TestApp, variant: &str, quantity: i64) -> Value {
    paid_order_as(app, variant, quantity, "ada@example.com").await
}

/// A paid order of the shopper at `email`, with an address and a shipping method.
pub async fn paid_order_as(app: &TestApp, variant: &str, quantity: i64, email: &str) -> Value {
    let cart = cart_with(app, &[(variant, quantity)]).await;
    ensure_delivery(app, &cart).await;
    let response = checkout_request_as(app, &cart, "k", email)
        .send()
        .await
        .unwrap();
    let session: Value = response.json().await.unwrap();
    pay_session(app, &session).await;
    session
}

/// Pays a checkout session's PaymentIntent and tells the app, as Stripe's webhook would.
pub async fn pay_session(app: &TestApp, session: &Value) {
    pay(&intent_id(session), "pm_card_visa").await;
    // No webhook is registered for this app: deliver the success ourselves, signed.
    let total = session["amount"]["amount"].as_i64().unwrap();
    let body = succeeded_event(
        &format!("evt_paid_{}", session["order_id"].as_str().unwrap()),
        session,
        total,
        "eur",
    );
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(app, &body, Some(&signature)).await.status(), 200);
    assert_eq!(order(app, session).await["status"], "paid");
}

pub async fn refund(app: &TestApp, order_id: &str, key: &str, body: Value) -> (u16, Value) {
    let response = app
        .admin(Method::POST, &format!("/admin/orders/{order_id}/refunds"))
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Pays a PaymentIntent as Stripe.js would, with one of Stripe's test payment methods.
pub async fn pay(intent_id: &str, payment_method: &str) -> Value {
    let path = format!("/v1/payment_intents/{intent_id}");
    let updated = stripe_post(&path, &[("payment_method", payment_method)]).await;
    assert_eq!(
        updated["id"], intent_id,
        "set the payment method: {updated}"
    );
    stripe_post(&format!("{path}/confirm"), &[]).await
}

/// The session's PaymentIntent as the Stripe server holds it.
pub async fn stripe_intent(session: &Value) -> Value {
    stripe_get(&format!("/v1/payment_intents/{}", intent_id(session))).await
}

pub fn intent_id(session: &Value) -> String {
    let secret = session["client_secret"].as_str().unwrap();
    secret.split("_secret_").next().unwrap().to_owned()
}
