//! Checkout against localstripe: PaymentIntents are real requests through the production client,
//! and payments end in signed webhooks that localstripe delivers to the app.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Cart, TestApp, admin_order, assert_problem, cart_now, cart_with, checkout, count_orders,
    ensure_delivery, intent_id, pay, spawn_app, spawn_app_with, stock, stripe_intent, tee,
    wait_for_order,
};

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
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        ensure_delivery(&app, &cart).await;
        carts.push(cart);
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
            "prices_include_tax": true,
            "demo_payments": false,
            "emails_enabled": false,
            "accounts_enabled": false,
        })
    );
}
