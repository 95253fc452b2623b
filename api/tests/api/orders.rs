//! Orders after checkout: read by their shopper and by admins, settled by the service's sweep when
//! a webhook is lost or a reservation runs out, and kept when their cart is swept.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{
    admin_order, assert_problem, cart_with, checkout, intent_id, order, paid_order, pay, spawn_app,
    spawn_app_with, stock, stripe_intent, tee, wait_for_order,
};

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
