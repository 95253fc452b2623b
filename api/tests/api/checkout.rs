//! Checkout against localstripe: PaymentIntents are real requests through the production client,
//! and payments end in signed webhooks that localstripe delivers to the app.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, TestApp, assert_problem, product_body, spawn_app, spawn_app_with,
    stripe_get, stripe_post,
};

pub(crate) struct Cart {
    pub id: String,
    pub secret: String,
}

pub(crate) async fn cart_with(app: &TestApp, items: &[(&str, i64)]) -> Cart {
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

pub(crate) async fn checkout(app: &TestApp, cart: &Cart, key: &str) -> Response {
    app.request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", key)
        .json(&json!({"cart_id": cart.id, "email": "ada@example.com"}))
        .send()
        .await
        .unwrap()
}

/// A tee at EUR 25.00 with `stock` units; returns its variant id.
pub(crate) async fn tee(app: &TestApp, stock: i32) -> String {
    let product = app
        .create_product(product_body("tee", "Tee", "EUR", &[("TEE-M", 2500, stock)]))
        .await;
    product["variants"][0]["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn stock(app: &TestApp, variant: &str) -> (i64, i64) {
    let path = format!("/admin/variants/{variant}/stock");
    let (_, body) = app
        .admin_json(Method::POST, &path, &json!({"delta": 0}))
        .await;
    (
        body["stock_on_hand"].as_i64().unwrap(),
        body["stock_reserved"].as_i64().unwrap(),
    )
}

/// Pays a PaymentIntent as Stripe.js would, with one of Stripe's test payment methods.
pub(crate) async fn pay(intent_id: &str, payment_method: &str) -> Value {
    let path = format!("/v1/payment_intents/{intent_id}");
    let updated = stripe_post(&path, &[("payment_method", payment_method)]).await;
    assert_eq!(
        updated["id"], intent_id,
        "set the payment method: {updated}"
    );
    stripe_post(&format!("{path}/confirm"), &[]).await
}

/// The session's PaymentIntent as the Stripe server holds it.
pub(crate) async fn stripe_intent(session: &Value) -> Value {
    stripe_get(&format!("/v1/payment_intents/{}", intent_id(session))).await
}

/// The cart as its shopper reads it.
pub(crate) async fn cart_now(app: &TestApp, cart: &Cart) -> Value {
    app.request(Method::GET, &format!("/carts/{}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub(crate) fn intent_id(session: &Value) -> String {
    let secret = session["client_secret"].as_str().unwrap();
    secret.split("_secret_").next().unwrap().to_owned()
}

pub(crate) async fn order(app: &TestApp, session: &Value) -> Value {
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

pub(crate) async fn wait_for_order(
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

/// Stripe may have made a PaymentIntent for a checkout it never answered: its order stays, so
/// that the PaymentIntent can be found and cancelled, but it is cancelled and holds no stock.
fn assert_no_order_holds_anything(app: &TestApp) {
    use shop_api::db::schema::orders;
    let held: Vec<(String, String)> = orders::table
        .select((orders::status, orders::stock_state))
        .load(&mut app.db())
        .unwrap();
    for (status, stock_state) in held {
        assert_eq!(
            (status.as_str(), stock_state.as_str()),
            ("cancelled", "released")
        );
    }
}

pub(crate) fn count_orders(app: &TestApp) -> i64 {
    use shop_api::db::schema::orders;
    orders::table.count().get_result(&mut app.db()).unwrap()
}

#[tokio::test]
async fn a_cart_becomes_a_paid_order_through_the_webhook() {
    let app = spawn_app().await;
    app.register_webhook().await;
    let variant = tee(&app, 10).await;
    let cart = cart_with(&app, &[(&variant, 3)]).await;

    let response = checkout(&app, &cart, "attempt-1").await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    assert_eq!(
        session["amount"],
        json!({"amount": 7500, "currency": "EUR", "decimal": "75.00"})
    );
    assert_eq!(session["status"], "pending_payment");
    assert_eq!(session["payment_status"], "requires_payment_method");
    assert!(
        session["client_secret"]
            .as_str()
            .unwrap()
            .contains("_secret_")
    );
    assert_eq!(session["order_secret"].as_str().unwrap().len(), 64);
    assert_eq!(stock(&app, &variant).await, (10, 3));

    // The PaymentIntent at Stripe is for exactly the order's total, and names the order.
    let intent = stripe_intent(&session).await;
    assert_eq!(intent["amount"], 7500);
    assert_eq!(intent["currency"], "eur");
    assert_eq!(intent["metadata"]["order_id"], session["order_id"]);

    // The cart is locked while the checkout runs.
    let locked = app
        .request(Method::POST, &format!("/carts/{}/items", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(locked, 409, "locked").await;

    let confirmed = pay(&intent_id(&session), "pm_card_visa").await;
    assert_eq!(confirmed["status"], "succeeded");
    let paid = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payment_status"], "succeeded");
    assert_eq!(paid["total"]["amount"], 7500);
    assert_eq!(paid["lines"][0]["sku"], "TEE-M");
    assert_eq!(paid["lines"][0]["quantity"], 3);
    assert!(paid["paid_at"].is_string());
    assert_eq!(stock(&app, &variant).await, (7, 0));

    assert_eq!(cart_now(&app, &cart).await["status"], "closed");

    let session_now: Value = app
        .request(
            Method::GET,
            &format!("/checkout/sessions/{}", session["id"].as_str().unwrap()),
        )
        .header("Order-Secret", session["order_secret"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session_now["status"], "paid");
    assert!(session_now.get("order_secret").is_none());
}

#[tokio::test]
async fn replaying_the_idempotency_key_returns_the_same_session() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;

    let first: Value = checkout(&app, &cart, "key-1").await.json().await.unwrap();
    let replay = checkout(&app, &cart, "key-1").await;
    assert_eq!(replay.status(), 200);
    let replay: Value = replay.json().await.unwrap();
    for field in ["id", "order_id", "order_secret", "client_secret", "amount"] {
        assert_eq!(first[field], replay[field], "{field}");
    }
    assert_eq!(count_orders(&app), 1);
    assert_eq!(stock(&app, &variant).await, (10, 2));

    // Another key for a cart already in checkout is refused.
    assert_problem(checkout(&app, &cart, "key-2").await, 409, "locked").await;
    assert_eq!(count_orders(&app), 1);
}

#[tokio::test]
async fn bad_checkouts_are_refused_and_create_nothing() {
    let app = spawn_app().await;
    let variant = tee(&app, 2).await;
    let empty = cart_with(&app, &[]).await;
    assert_problem(checkout(&app, &empty, "k").await, 422, "validation").await;

    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let no_key = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"cart_id": cart.id, "email": "ada@example.com"}))
        .send()
        .await
        .unwrap();
    assert_problem(no_key, 400, "invalid-request").await;
    let bad_email = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", "k")
        .json(&json!({"cart_id": cart.id, "email": "not an email"}))
        .send()
        .await
        .unwrap();
    assert_problem(bad_email, 422, "validation").await;
    let wrong_secret = Cart {
        id: cart.id.clone(),
        secret: "0".repeat(64),
    };
    assert_problem(checkout(&app, &wrong_secret, "k").await, 404, "not-found").await;

    // Stock sold elsewhere since the item went into the cart.
    let greedy = cart_with(&app, &[(&variant, 2)]).await;
    assert_eq!(checkout(&app, &greedy, "g").await.status(), 201);
    let problem = assert_problem(checkout(&app, &cart, "k").await, 409, "insufficient-stock").await;
    assert_eq!(problem["shortages"][0]["sku"], "TEE-M");
    assert_eq!(problem["shortages"][0]["available"], 0);
    assert_eq!(count_orders(&app), 1);
    assert_eq!(stock(&app, &variant).await, (2, 2));
}

#[tokio::test]
async fn twenty_checkouts_for_the_last_unit_reserve_it_once() {
    let app = spawn_app().await;
    let variant = tee(&app, 1).await;
    let mut carts = Vec::new();
    for _ in 0..20 {
        carts.push(cart_with(&app, &[(&variant, 1)]).await);
    }
    let handles: Vec<_> = carts
        .iter()
        .map(|cart| {
            let request = app
                .request(Method::POST, "/checkout/sessions")
                .header("Cart-Secret", &cart.secret)
                .header("Idempotency-Key", "race")
                .json(&json!({"cart_id": cart.id, "email": "ada@example.com"}));
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap();
                (status, body)
            })
        })
        .collect();
    let mut created = 0;
    let mut refused = 0;
    for handle in handles {
        let (status, body) = handle.await.unwrap();
        match status {
            201 => created += 1,
            409 => {
                assert_eq!(body["type"], "urn:shop:problem:insufficient-stock");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (1, 19));
    assert_eq!(stock(&app, &variant).await, (1, 1));
    assert_eq!(count_orders(&app), 1);
}

#[tokio::test]
async fn stripe_unreachable_releases_everything() {
    let app = spawn_app_with(&[
        ("STRIPE_API_BASE", "http://127.0.0.1:9"),
        ("STRIPE_TIMEOUT_MS", "2000"),
    ])
    .await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let started = Instant::now();
    let problem =
        assert_problem(checkout(&app, &cart, "k").await, 503, "payment-unavailable").await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("nothing was charged")
    );
    assert_no_order_holds_anything(&app);
    assert_eq!(stock(&app, &variant).await, (5, 0));
    // The cart is open again and can be changed and checked out later.
    let response = app
        .request(Method::POST, &format!("/carts/{}/items", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_declined_card_leaves_the_order_payable() {
    let app = spawn_app().await;
    app.register_webhook().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();

    pay(&intent_id(&session), "pm_card_chargeCustomerFail").await;
    let declined = wait_for_order(&app, &session, |o| o["payment_error"].is_string()).await;
    assert_eq!(declined["status"], "pending_payment");
    assert_eq!(declined["payment_status"], "requires_payment_method");
    assert_eq!(stock(&app, &variant).await, (5, 1));

    // The session still offers the same PaymentIntent, and another card pays it.
    let again: Value = app
        .request(
            Method::GET,
            &format!("/checkout/sessions/{}", session["id"].as_str().unwrap()),
        )
        .header("Order-Secret", session["order_secret"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "pending_payment");
    assert_eq!(again["client_secret"], session["client_secret"]);
    assert_eq!(again["payment_error"], "Your card was declined.");

    assert_eq!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );
    let paid = wait_for_order(&app, &session, |o| o["status"] == "paid").await;
    assert_eq!(paid["payment_error"], Value::Null);
    assert_eq!(stock(&app, &variant).await, (4, 0));
}

pub(crate) fn signed(body: &str, secret: &str, timestamp: i64) -> String {
    let signature =
        shop_api::payments::signature::sign(secret.as_bytes(), timestamp, body.as_bytes());
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

pub(crate) async fn deliver(app: &TestApp, body: &str, signature: Option<&str>) -> Response {
    let mut request = app
        .request(Method::POST, "/webhooks/stripe")
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.unwrap()
}

pub(crate) fn succeeded_event(
    event_id: &str,
    session: &Value,
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

#[tokio::test]
async fn webhooks_are_verified_before_they_are_trusted() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    let body = succeeded_event("evt_forgery", &session, 5000, "eur");
    let now = chrono::Utc::now().timestamp();

    let forged = signed(&body, "whsec_guessed", now);
    let stale = signed(&body, STRIPE_WEBHOOK_SECRET, now - 600);
    let other_body = signed(&body.replace("5000", "5001"), STRIPE_WEBHOOK_SECRET, now);
    for signature in [
        Some(forged.as_str()),
        Some(stale.as_str()),
        Some(other_body.as_str()),
        Some("t=abc,v1=zz"),
        Some("t=-9223372036854775808,v1=00"),
        Some(""),
        None,
    ] {
        assert_problem(
            deliver(&app, &body, signature).await,
            400,
            "invalid-signature",
        )
        .await;
    }
    assert_eq!(order(&app, &session).await["status"], "pending_payment");
    assert_eq!(stock(&app, &variant).await, (5, 2));

    let good = signed("not json", STRIPE_WEBHOOK_SECRET, now);
    assert_problem(
        deliver(&app, "not json", Some(&good)).await,
        400,
        "invalid-request",
    )
    .await;

    // Correctly signed, applied once; the duplicate is acknowledged and ignored.
    let good = signed(&body, STRIPE_WEBHOOK_SECRET, now);
    assert_eq!(deliver(&app, &body, Some(&good)).await.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "paid");
    assert_eq!(stock(&app, &variant).await, (3, 0));
    assert_eq!(deliver(&app, &body, Some(&good)).await.status(), 200);
    assert_eq!(stock(&app, &variant).await, (3, 0));

    // A cancellation after payment is an illegal transition: acknowledged, nothing changes.
    let cancel = body
        .replace("evt_forgery", "evt_cancel")
        .replace("payment_intent.succeeded", "payment_intent.canceled");
    let signature = signed(&cancel, STRIPE_WEBHOOK_SECRET, now);
    assert_eq!(deliver(&app, &cancel, Some(&signature)).await.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "paid");

    // Events that are not about our orders are acknowledged and ignored.
    let foreign = json!({"id": "evt_foreign", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}).to_string();
    let signature = signed(&foreign, STRIPE_WEBHOOK_SECRET, now);
    assert_eq!(
        deliver(&app, &foreign, Some(&signature)).await.status(),
        200
    );
}

#[tokio::test]
async fn a_payment_that_does_not_match_the_order_needs_review() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let now = chrono::Utc::now().timestamp();
    for (event_id, amount, currency) in [("evt_short", 4999, "eur"), ("evt_currency", 5000, "usd")]
    {
        let cart = cart_with(&app, &[(&variant, 2)]).await;
        let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
        let body = succeeded_event(event_id, &session, amount, currency);
        let signature = signed(&body, STRIPE_WEBHOOK_SECRET, now);
        assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
        assert_eq!(
            order(&app, &session).await["status"],
            "needs_review",
            "{event_id}"
        );
    }
}

#[tokio::test]
async fn a_canceled_payment_cancels_the_order_and_releases_stock() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(stock(&app, &variant).await, (5, 2));
    let body = succeeded_event("evt_cancel_1", &session, 5000, "eur")
        .replace("payment_intent.succeeded", "payment_intent.canceled");
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "cancelled");
    assert_eq!(stock(&app, &variant).await, (5, 0));
    // The cart can be checked out again, with a new key.
    assert_eq!(checkout(&app, &cart, "k2").await.status(), 201);
}

#[tokio::test]
async fn storefront_config_comes_from_the_settings() {
    let app = spawn_app().await;
    let config = app.get_json("/config").await;
    assert_eq!(
        config,
        json!({
            "stripe_publishable_key": "pk_test_shop0123456789",
            "stripe_js_url": "https://js.stripe.com/endive/stripe.js",
            "currency": "EUR",
            "currency_exponent": 2,
        })
    );
}

pub(crate) async fn paid_order(app: &TestApp, variant: &str, quantity: i64) -> Value {
    let cart = cart_with(app, &[(variant, quantity)]).await;
    let session: Value = checkout(app, &cart, "k").await.json().await.unwrap();
    pay(&intent_id(&session), "pm_card_visa").await;
    // No webhook is registered for this app: deliver the success ourselves, signed.
    let total = session["amount"]["amount"].as_i64().unwrap();
    let body = succeeded_event(
        &format!("evt_paid_{}", session["order_id"].as_str().unwrap()),
        &session,
        total,
        "eur",
    );
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(app, &body, Some(&signature)).await.status(), 200);
    assert_eq!(order(app, &session).await["status"], "paid");
    session
}

#[tokio::test]
async fn a_lost_webhook_is_healed_by_reconciliation() {
    let app = spawn_app_with(&[
        ("ORDER_SWEEP_INTERVAL_SECS", "1"),
        ("RECONCILE_AFTER_SECS", "0"),
    ])
    .await;
    let variant = tee(&app, 4).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    // Paid at Stripe, but no webhook ever reaches the shop.
    assert_eq!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );
    let healed = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(healed["status"], "paid");
    assert_eq!(stock(&app, &variant).await, (2, 0));
}

#[tokio::test]
async fn an_expired_reservation_is_released_and_its_payment_cancelled() {
    let app = spawn_app_with(&[("ORDER_SWEEP_INTERVAL_SECS", "1")]).await;
    let variant = tee(&app, 4).await;
    let cart = cart_with(&app, &[(&variant, 3)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(stock(&app, &variant).await, (4, 3));
    {
        use shop_api::db::schema::orders::dsl as o;
        diesel::update(o::orders)
            .set(o::reserved_until.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
            .execute(&mut app.db())
            .unwrap();
    }
    let expired = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(expired["status"], "cancelled");
    assert_eq!(stock(&app, &variant).await, (4, 0));
    let intent = stripe_intent(&session).await;
    assert_eq!(intent["status"], "canceled");
    // The shopper can check the cart out again.
    assert_eq!(checkout(&app, &cart, "k2").await.status(), 201);
}

pub(crate) async fn refund(app: &TestApp, order_id: &str, key: &str, body: Value) -> (u16, Value) {
    let response = app
        .admin(Method::POST, &format!("/admin/orders/{order_id}/refunds"))
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn refunds_are_idempotent_partial_or_full() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();

    let (status, first) = refund(&app, order_id, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["refund"]["status"], "succeeded");
    assert_eq!(first["order"]["status"], "partially_refunded");
    assert_eq!(first["order"]["refunded"]["amount"], 1000);
    let (status, replay) = refund(&app, order_id, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 200);
    assert_eq!(replay["refund"]["id"], first["refund"]["id"]);
    assert_eq!(replay["order"]["refunded"]["amount"], 1000);

    let (status, too_much) = refund(&app, order_id, "r2", json!({"amount": 4001})).await;
    assert_eq!(status, 422, "{too_much}");
    let (status, rest) = refund(&app, order_id, "r3", json!({})).await;
    assert_eq!(status, 201);
    assert_eq!(rest["refund"]["amount"]["amount"], 4000);
    assert_eq!(rest["order"]["status"], "refunded");
    assert_eq!(order(&app, &session).await["refunded"]["amount"], 5000);
    let (status, _) = refund(&app, order_id, "r4", json!({"amount": 1})).await;
    assert_eq!(status, 409);

    // Stripe holds the same figure.
    let intent = stripe_intent(&session).await;
    assert_eq!(intent["charges"]["data"][0]["amount_refunded"], 5000);

    let no_key = app
        .admin(Method::POST, &format!("/admin/orders/{order_id}/refunds"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(no_key, 400, "invalid-request").await;
}

#[tokio::test]
async fn a_refund_made_in_the_stripe_dashboard_reaches_the_order() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let session = paid_order(&app, &variant, 2).await;
    // The merchant refunds 15.00 in the Stripe dashboard; Stripe then sends the event.
    stripe_post(
        "/v1/refunds",
        &[
            ("payment_intent", intent_id(&session).as_str()),
            ("amount", "1500"),
        ],
    )
    .await;
    let body = json!({
        "id": "evt_refund_1",
        "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "amount": 5000, "amount_refunded": 1500, "payment_intent": intent_id(&session)}},
    })
    .to_string();
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    let refunded = order(&app, &session).await;
    assert_eq!(refunded["status"], "partially_refunded");
    assert_eq!(refunded["refunded"]["amount"], 1500);
    // The admin refunds no more than what the dashboard left.
    let order_id = session["order_id"].as_str().unwrap();
    let (status, _) = refund(&app, order_id, "r1", json!({"amount": 3501})).await;
    assert_eq!(status, 422);
    let (status, rest) = refund(&app, order_id, "r2", json!({})).await;
    assert_eq!(status, 201);
    assert_eq!(rest["refund"]["amount"]["amount"], 3500);
    assert_eq!(rest["order"]["status"], "refunded");
}

#[tokio::test]
async fn admins_list_and_read_orders() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let paid = paid_order(&app, &variant, 1).await;
    let pending_cart = cart_with(&app, &[(&variant, 1)]).await;
    let pending: Value = checkout(&app, &pending_cart, "p")
        .await
        .json()
        .await
        .unwrap();

    let all = app
        .admin(Method::GET, "/admin/orders")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["id"], pending["order_id"], "newest first");
    let only_paid = app
        .admin(Method::GET, "/admin/orders?status=paid")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(only_paid["total"], 1);
    assert_eq!(only_paid["items"][0]["id"], paid["order_id"]);
    assert_eq!(only_paid["items"][0]["stock_state"], "committed");
    let bad = app
        .admin(Method::GET, "/admin/orders?status=lost")
        .send()
        .await
        .unwrap();
    assert_problem(bad, 400, "invalid-request").await;

    let detail = admin_order(&app, &pending).await;
    assert_eq!(detail["status"], "pending_payment");
    assert_eq!(detail["stock_state"], "reserved");
    assert_eq!(detail["payment_intent_id"], intent_id(&pending));
}

#[tokio::test]
async fn a_payment_after_cancellation_is_kept_for_review() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let now = chrono::Utc::now().timestamp();
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    let cancel = succeeded_event("evt_late_cancel", &session, 5000, "eur")
        .replace("payment_intent.succeeded", "payment_intent.canceled");
    let signature = signed(&cancel, STRIPE_WEBHOOK_SECRET, now);
    assert_eq!(deliver(&app, &cancel, Some(&signature)).await.status(), 200);
    assert_eq!(stock(&app, &variant).await, (4, 0));

    // The money arrives anyway: the units are taken if still there, and a person looks at it.
    let late = succeeded_event("evt_late_success", &session, 5000, "eur");
    let signature = signed(&late, STRIPE_WEBHOOK_SECRET, now);
    assert_eq!(deliver(&app, &late, Some(&signature)).await.status(), 200);
    let reviewed = order(&app, &session).await;
    assert_eq!(reviewed["status"], "needs_review");
    assert_eq!(stock(&app, &variant).await, (2, 0));
}

#[tokio::test]
async fn an_order_secret_wrong_by_one_character_finds_nothing() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    let secret = session["order_secret"].as_str().unwrap();
    let mut wrong = secret.to_owned();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let order_id = session["order_id"].as_str().unwrap();
    let session_id = session["id"].as_str().unwrap();
    for (path, secret) in [
        (format!("/orders/{order_id}"), Some(wrong.as_str())),
        (format!("/orders/{order_id}"), Some(&secret[..63])),
        (format!("/orders/{order_id}"), None),
        (
            format!("/checkout/sessions/{session_id}"),
            Some(wrong.as_str()),
        ),
        (format!("/checkout/sessions/{session_id}"), None),
    ] {
        let mut request = app.request(Method::GET, &path);
        if let Some(secret) = secret {
            request = request.header("Order-Secret", secret);
        }
        assert_problem(request.send().await.unwrap(), 404, "not-found").await;
    }
}

#[tokio::test]
async fn a_slow_stripe_is_cut_off_and_everything_is_released() {
    let slow = crate::helpers::slow_stripe(Duration::from_secs(4));
    let app = spawn_app_with(&[("STRIPE_API_BASE", &slow), ("STRIPE_TIMEOUT_MS", "1000")]).await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let started = Instant::now();
    assert_problem(checkout(&app, &cart, "k").await, 503, "payment-unavailable").await;
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    assert_no_order_holds_anything(&app);
    assert_eq!(stock(&app, &variant).await, (5, 0));
}

/// As if the process had died after Stripe made the order's PaymentIntent and before the order
/// recorded it; `clock` moves the order's creation or reservation into the past.
fn forget_intent_as_a_crash_would(app: &TestApp, clock: OrderClock) {
    use shop_api::db::schema::orders::dsl as o;
    let mut db = app.db();
    diesel::update(o::orders)
        .set((
            o::payment_intent_id.eq(None::<String>),
            o::client_secret.eq(None::<String>),
        ))
        .execute(&mut db)
        .unwrap();
    let at = chrono::Utc::now();
    match clock {
        OrderClock::CreatedSecondsAgo(s) => diesel::update(o::orders)
            .set(o::created_at.eq(at - chrono::Duration::seconds(s)))
            .execute(&mut db),
        OrderClock::ReservationExpired => diesel::update(o::orders)
            .set(o::reserved_until.eq(at - chrono::Duration::seconds(1)))
            .execute(&mut db),
    }
    .unwrap();
}

enum OrderClock {
    CreatedSecondsAgo(i64),
    ReservationExpired,
}

pub(crate) async fn admin_order(app: &TestApp, session: &Value) -> Value {
    let order_id = session["order_id"].as_str().unwrap();
    app.admin(Method::GET, &format!("/admin/orders/{order_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_replay_completes_a_checkout_whose_request_died_before_recording_its_payment() {
    let app = spawn_app_with(&[("STRIPE_TIMEOUT_MS", "1000")]).await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let first: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    forget_intent_as_a_crash_would(&app, OrderClock::CreatedSecondsAgo(2));
    let replay = checkout(&app, &cart, "k").await;
    assert_eq!(replay.status(), 200);
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["order_id"], first["order_id"]);
    assert_eq!(
        intent_id(&replay),
        intent_id(&first),
        "the Stripe idempotency key gives back the PaymentIntent made before the crash"
    );
    assert!(
        replay["client_secret"]
            .as_str()
            .unwrap()
            .contains("_secret_")
    );
    assert_eq!(
        admin_order(&app, &first).await["payment_intent_id"],
        intent_id(&replay)
    );
    assert_eq!(count_orders(&app), 1);
    assert_eq!(stock(&app, &variant).await, (5, 2));
}

#[tokio::test]
async fn an_expired_checkout_that_died_before_recording_its_payment_cancels_that_payment() {
    let app = spawn_app_with(&[("ORDER_SWEEP_INTERVAL_SECS", "1")]).await;
    let variant = tee(&app, 4).await;
    let cart = cart_with(&app, &[(&variant, 3)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    // ... and the shopper never came back.
    forget_intent_as_a_crash_would(&app, OrderClock::ReservationExpired);
    let expired = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
    assert_eq!(expired["status"], "cancelled");
    assert_eq!(stock(&app, &variant).await, (4, 0));
    assert_eq!(
        admin_order(&app, &session).await["payment_intent_id"],
        intent_id(&session)
    );
    let intent = stripe_intent(&session).await;
    assert_eq!(
        intent["status"], "canceled",
        "no PaymentIntent is left open"
    );
}

#[tokio::test]
async fn closed_carts_are_swept_once_idle_and_their_orders_stay() {
    use shop_api::db::schema::{carts, orders};
    let app = spawn_app_with(&[("CART_SWEEP_INTERVAL_SECS", "1")]).await;
    let variant = tee(&app, 5).await;
    let paid = paid_order(&app, &variant, 1).await;
    let pending_cart = cart_with(&app, &[(&variant, 1)]).await;
    assert_eq!(checkout(&app, &pending_cart, "k").await.status(), 201);
    let paid_cart: uuid::Uuid = orders::table
        .find(
            paid["order_id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap(),
        )
        .select(orders::cart_id.assume_not_null())
        .first(&mut app.db())
        .unwrap();
    diesel::update(carts::table)
        .set(carts::expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
        .execute(&mut app.db())
        .unwrap();
    let started = Instant::now();
    while carts::table
        .find(paid_cart)
        .count()
        .get_result::<i64>(&mut app.db())
        .unwrap()
        > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "closed cart not swept"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let statuses: Vec<String> = carts::table
        .select(carts::status)
        .load(&mut app.db())
        .unwrap();
    assert_eq!(
        statuses,
        ["locked"],
        "a cart whose checkout awaits payment stays"
    );
    let kept = order(&app, &paid).await;
    assert_eq!(kept["status"], "paid");
    assert_eq!(kept["lines"].as_array().unwrap().len(), 1);
}
