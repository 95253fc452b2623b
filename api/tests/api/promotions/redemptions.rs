//! Redemptions: taken at checkout by a conditional update, once per email where the promotion
//! says so, and given back once when the order is cancelled.

use reqwest::Method;
use serde_json::{Value, json};

use super::{apply, create_promotion};
use crate::helpers::{
    TestApp, assert_problem, cart_with, checkout, count_orders, ensure_delivery, eur, order,
    spawn_app, spawn_app_with, stock, stripe_intent, tee,
};

async fn redemptions(app: &TestApp, promotion: &Value) -> i64 {
    let path = format!("/admin/promotions/{}", promotion["id"].as_str().unwrap());
    let (_, read) = app.admin_json(Method::GET, &path, &Value::Null).await;
    read["redemptions"].as_i64().unwrap()
}

/// Applies the code to a new cart and checks it out; answers the refusal of either step.
async fn checkout_as(
    app: &TestApp,
    variant: &str,
    code: &str,
    email: &str,
    key: &str,
) -> reqwest::Response {
    let cart = cart_with(app, &[(variant, 1)]).await;
    let applied = apply(app, &cart, code).await;
    if applied.status() != 200 {
        return applied;
    }
    ensure_delivery(app, &cart).await;
    app.request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", key)
        .json(&json!({"cart_id": cart.id, "email": email}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_order_is_charged_the_discounted_total_and_keeps_the_code() {
    let app = spawn_app().await;
    let promotion = create_promotion(&app, json!({"code": "TEN", "percent_off_bp": 1000})).await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 3)]).await;
    apply(&app, &cart, "TEN").await;
    let response = checkout(&app, &cart, "k").await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["amount"]["amount"], 7500 - 750);
    assert_eq!(stripe_intent(&session).await["amount"], 6750);
    let placed = order(&app, &session).await;
    assert_eq!(placed["totals"]["discount"]["amount"], 750);
    assert_eq!(placed["totals"]["promotion_code"], "TEN");
    assert_eq!(placed["lines"][0]["discount"]["amount"], 750);
    assert_eq!(redemptions(&app, &promotion).await, 1);
}

#[tokio::test]
async fn once_per_email_refuses_a_second_order_by_the_same_email_in_any_case() {
    let app = spawn_app().await;
    let promotion = create_promotion(
        &app,
        json!({"code": "WELCOME", "amount_off": eur(500), "once_per_email": true}),
    )
    .await;
    let variant = tee(&app, 10).await;
    let first = checkout_as(&app, &variant, "WELCOME", "ada@example.com", "a").await;
    assert_eq!(first.status(), 201);
    let again = checkout_as(&app, &variant, "welcome", "ADA@example.com", "b").await;
    let problem = assert_problem(again, 422, "promotion-already-used").await;
    assert_eq!(problem["field"], "code");
    let other = checkout_as(&app, &variant, "WELCOME", "grace@example.com", "c").await;
    assert_eq!(other.status(), 201);
    assert_eq!(redemptions(&app, &promotion).await, 2);
    assert_eq!(
        stock(&app, &variant).await,
        (10, 2),
        "the refused checkout holds nothing"
    );
}

#[tokio::test]
async fn a_cancelled_order_gives_its_redemption_back_once() {
    let app = spawn_app().await;
    let promotion = create_promotion(
        &app,
        json!({"code": "ONCE", "percent_off_bp": 2000, "max_redemptions": 1}),
    )
    .await;
    let variant = tee(&app, 10).await;
    let session: Value = checkout_as(&app, &variant, "ONCE", "ada@example.com", "a")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(redemptions(&app, &promotion).await, 1);
    let used_up = checkout_as(&app, &variant, "ONCE", "grace@example.com", "b").await;
    assert_problem(used_up, 422, "promotion-exhausted").await;

    for _ in 0..2 {
        let cancelled = app
            .request(
                Method::DELETE,
                &format!("/checkout/sessions/{}", session["id"].as_str().unwrap()),
            )
            .header("Order-Secret", session["order_secret"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(cancelled.status(), 200);
    }
    assert_eq!(redemptions(&app, &promotion).await, 0, "given back once");
    let again = checkout_as(&app, &variant, "ONCE", "grace@example.com", "c").await;
    assert_eq!(again.status(), 201);
    assert_eq!(redemptions(&app, &promotion).await, 1);
}

#[tokio::test]
async fn twenty_checkouts_for_the_last_five_redemptions_get_exactly_five() {
    let app = spawn_app_with(&[("CHECKOUT_MAX_OPEN_PER_CLIENT", "100")]).await;
    let promotion = create_promotion(
        &app,
        json!({"code": "RUSH", "percent_off_bp": 5000, "max_redemptions": 5}),
    )
    .await;
    let variant = tee(&app, 100).await;
    let mut carts = Vec::new();
    for _ in 0..20 {
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        assert_eq!(apply(&app, &cart, "RUSH").await.status(), 200);
        ensure_delivery(&app, &cart).await;
        carts.push(cart);
    }
    let handles: Vec<_> = carts
        .iter()
        .map(|cart| {
            let request = app
                .request(Method::POST, "/checkout/sessions")
                .header("Cart-Secret", &cart.secret)
                .header("Idempotency-Key", "rush")
                .json(&json!({"cart_id": cart.id, "email": "ada@example.com"}));
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for handle in handles {
        answers.push(handle.await.unwrap());
    }
    let discounted = answers
        .iter()
        .filter(|(status, session)| *status == 201 && session["amount"]["amount"] == 1250)
        .count();
    let refused = answers
        .iter()
        .filter(|(status, problem)| {
            *status == 422 && problem["type"] == "urn:shop:problem:promotion-exhausted"
        })
        .count();
    assert_eq!((discounted, refused), (5, 15), "{answers:?}");
    assert_eq!(count_orders(&app), 5);
    assert_eq!(redemptions(&app, &promotion).await, 5);
    assert_eq!(stock(&app, &variant).await, (100, 5));
}
