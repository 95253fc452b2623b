//! Demo payments (`DEMO_PAYMENTS`): the shop's own Stripe.js pays through `/api/demo`, with
//! Stripe's test cards only, and the payment then takes the path of a real one: Stripe's webhook
//! settles the order.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, assert_problem, cart_with, checkout, intent_id, spawn_app, spawn_app_with, tee,
    wait_for_order,
};

async fn demo_app() -> TestApp {
    let app = spawn_app_with(&[("DEMO_PAYMENTS", "true")]).await;
    app.register_webhook().await;
    app
}

async fn demo_call(app: &TestApp, session: &Value, step: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{}/api/demo/payment_intents/{}/{step}",
            app.address,
            intent_id(session)
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn confirm(app: &TestApp, session: &Value, card: &str) -> (u16, Value) {
    let secret = session["client_secret"].as_str().unwrap();
    demo_call(
        app,
        session,
        "confirm",
        json!({"client_secret": secret, "payment_method": card}),
    )
    .await
}

async fn authenticate(app: &TestApp, session: &Value, success: bool) -> (u16, Value) {
    let secret = session["client_secret"].as_str().unwrap();
    demo_call(
        app,
        session,
        "authenticate",
        json!({"client_secret": secret, "success": success}),
    )
    .await
}

async fn new_session(app: &TestApp) -> Value {
    let variant = tee(app, 10).await;
    let cart = cart_with(app, &[(&variant, 1)]).await;
    checkout(app, &cart, "demo").await.json().await.unwrap()
}

#[tokio::test]
async fn the_storefront_is_pointed_at_the_shops_own_stripe_js() {
    let app = demo_app().await;
    let config = app.get_json("/config").await;
    assert_eq!(config["demo_payments"], true);
    assert_eq!(config["stripe_js_url"], "/api/demo/stripe.js");
    let script = app
        .client
        .get(format!("{}/api/demo/stripe.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(script.text().await.unwrap().contains("confirmPayment"));
}

#[tokio::test]
async fn without_demo_mode_there_is_no_demo_stripe_js() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/config").await["demo_payments"], false);
    for (method, path) in [
        (Method::GET, "/api/demo/stripe.js"),
        (Method::POST, "/api/demo/payment_intents/pi_x/confirm"),
    ] {
        let response = app
            .client
            .request(method, format!("{}{path}", app.address))
            .json(&json!({"client_secret": "x", "payment_method": "pm_card_visa"}))
            .send()
            .await
            .unwrap();
        assert_problem(response, 404, "not-found").await;
    }
}

#[tokio::test]
async fn a_test_card_pays_and_the_webhook_settles_the_order() {
    let app = demo_app().await;
    let session = new_session(&app).await;
    let (status, paid) = confirm(&app, &session, "pm_card_visa").await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["status"], "succeeded");
    let order = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(order["status"], "paid");
}

#[tokio::test]
async fn only_the_client_secrets_holder_pays_and_only_with_test_cards() {
    let app = demo_app().await;
    let session = new_session(&app).await;
    let (status, problem) = demo_call(
        &app,
        &session,
        "confirm",
        json!({"client_secret": format!("{}_secret_guess", intent_id(&session)), "payment_method": "pm_card_visa"}),
    )
    .await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (404, Some("urn:shop:problem:not-found"))
    );
    let (status, problem) = confirm(&app, &session, "pm_card_mastercard_real").await;
    assert_eq!(status, 422, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("pm_card_visa"));
    // Neither touched the payment.
    let order = crate::helpers::order(&app, &session).await;
    assert_eq!(order["status"], "pending_payment");
}

#[tokio::test]
async fn a_declined_card_says_why_and_another_card_pays() {
    let app = demo_app().await;
    let session = new_session(&app).await;
    let (status, declined) = confirm(&app, &session, "pm_card_visa_chargeDeclined").await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["status"], "requires_payment_method");
    assert!(
        declined["error"].as_str().unwrap().contains("declined"),
        "{declined}"
    );
    let (_, paid) = confirm(&app, &session, "pm_card_visa").await;
    assert_eq!(paid["status"], "succeeded");
    let order = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(order["status"], "paid");
}

#[tokio::test]
async fn a_card_that_needs_authentication_pays_once_the_shopper_approves() {
    let app = demo_app().await;
    let session = new_session(&app).await;
    let (_, asked) = confirm(&app, &session, "pm_card_threeDSecure2Required").await;
    assert_eq!(asked["status"], "requires_action", "{asked}");
    let (_, failed) = authenticate(&app, &session, false).await;
    assert_eq!(failed["status"], "requires_payment_method");
    assert!(failed["error"].as_str().unwrap().contains("authentication"));

    let (_, asked) = confirm(&app, &session, "pm_card_threeDSecure2Required").await;
    assert_eq!(asked["status"], "requires_action");
    let (_, approved) = authenticate(&app, &session, true).await;
    assert_eq!(approved["status"], "succeeded", "{approved}");
    let order = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(order["status"], "paid");
}

/// The Compose demo has no `shop-api seed` step: the catalog is loaded as the API starts.
#[tokio::test]
async fn the_demo_fills_its_catalog_as_it_starts() {
    let app = spawn_app_with(&[("SEED_DEMO_CATALOG", "true")]).await;
    let listed = app.get_json("/products").await;
    assert_eq!(listed["total"], 12, "{listed}");
    let empty = spawn_app().await;
    assert_eq!(empty.get_json("/products").await["total"], 0);
}
