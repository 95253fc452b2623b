//! A Stripe that misbehaves on purpose (`scripts/fake_stripe.py` rules): answers late after
//! doing the work, refuses, or times out. Nothing may be lost or doubled, and every PaymentIntent
//! belongs to an order.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::checkout::{cart_with, checkout, stock, tee};
use crate::helpers::{
    TestApp, assert_problem, own_stripe_key, spawn_app_with, stripe_intents_of, stripe_rule,
};

fn order_ids(app: &TestApp) -> Vec<String> {
    use shop_api::db::schema::orders;
    orders::table
        .select(orders::id)
        .load::<uuid::Uuid>(&mut app.db())
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(15), "{what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_payment_intent_stripe_made_but_answered_too_late_for_still_belongs_to_an_order() {
    let key = own_stripe_key();
    let app = spawn_app_with(&[
        ("STRIPE_SECRET_KEY", &key),
        ("STRIPE_TIMEOUT_MS", "1000"),
        ("ORDER_SWEEP_INTERVAL_SECS", "1"),
    ])
    .await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    stripe_rule(json!({
        "path": "/v1/payment_intents", "secret_key": key, "delay_after": 2.0, "times": 1,
    }))
    .await;
    assert_problem(checkout(&app, &cart, "k").await, 503, "payment-unavailable").await;
    // The shopper is not held up: stock is back and the cart can be checked out again.
    assert_eq!(stock(&app, &variant).await, (5, 0));
    let again = checkout(&app, &cart, "k2").await;
    assert_eq!(again.status(), 201);
    let again: Value = again.json().await.unwrap();

    // Stripe did make the first PaymentIntent. It must belong to an order of this shop, and it
    // must end cancelled, since nobody was given a way to pay it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let orders = order_ids(&app);
    let intents = stripe_intents_of(&orders).await;
    assert_eq!(intents.len(), 2, "{intents:?}");
    let stray = intents
        .iter()
        .find(|i| i["metadata"]["order_id"] != again["order_id"])
        .expect("the late PaymentIntent");
    let stray_id = stray["id"].as_str().unwrap().to_owned();
    let stray_order = stray["metadata"]["order_id"].as_str().unwrap().to_owned();
    assert!(orders.contains(&stray_order), "its order exists");
    eventually(
        "the stray PaymentIntent is cancelled and recorded",
        async || {
            let status = app
                .admin_json(
                    reqwest::Method::GET,
                    &format!("/admin/orders/{stray_order}"),
                    &Value::Null,
                )
                .await
                .1;
            let at_stripe = stripe_intents_of(std::slice::from_ref(&stray_order)).await;
            status["payment_intent_id"] == stray_id.as_str()
                && status["status"] == "cancelled"
                && at_stripe.first().is_some_and(|i| i["status"] == "canceled")
        },
    )
    .await;
    assert_eq!(
        stock(&app, &variant).await,
        (5, 2),
        "the second checkout holds its stock"
    );
}
