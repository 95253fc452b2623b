//! A Stripe that misbehaves on purpose (`scripts/fake_stripe.py` rules): answers late after
//! doing the work, refuses, or times out. Nothing may be lost or doubled, and every PaymentIntent
//! belongs to an order.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, TestApp, assert_problem, cart_with, checkout, deliver, localstripe_url,
    own_stripe_key, refund, signed, spawn_app_with, stock, stripe_intents_of, stripe_rule,
    stripe_set, tee,
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

async fn refunds_at_stripe(session: &Value) -> Vec<Value> {
    let path = format!(
        "/v1/refunds?payment_intent={}",
        crate::helpers::intent_id(session)
    );
    let list = crate::helpers::stripe_get(&path).await;
    list["data"].as_array().cloned().unwrap_or_default()
}

async fn paid_app(key: &str) -> (TestApp, String, Value) {
    let app = spawn_app_with(&[("STRIPE_SECRET_KEY", key), ("STRIPE_TIMEOUT_MS", "1000")]).await;
    let variant = tee(&app, 5).await;
    let session = crate::helpers::paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap().to_owned();
    (app, order_id, session)
}

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_looked_up_not_made_again() {
    let key = own_stripe_key();
    let (app, order_id, session) = paid_app(&key).await;
    stripe_rule(json!({"path": "/v1/refunds", "secret_key": key, "delay_after": 2.0, "times": 1}))
        .await;
    let (status, body) = refund(&app, &order_id, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        refunds_at_stripe(&session).await.len(),
        1,
        "Stripe did refund"
    );
    // While its outcome is unknown, the refund counts against what is left.
    let (status, body) = refund(&app, &order_id, "r2", json!({"amount": 4001})).await;
    assert_eq!(status, 422, "{body}");

    // A day later Stripe has forgotten the idempotency key; the replay must still not refund
    // twice.
    let forget = app
        .client
        .delete(format!(
            "{}/_config/idempotency?secret_key={key}",
            crate::helpers::localstripe_url()
        ))
        .send()
        .await
        .unwrap();
    assert!(forget.status().is_success());
    let (status, replay) = refund(&app, &order_id, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["refund"]["status"], "succeeded");
    assert_eq!(replay["order"]["status"], "partially_refunded");
    assert_eq!(replay["order"]["refunded"]["amount"], 1000);
    let at_stripe = refunds_at_stripe(&session).await;
    assert_eq!(at_stripe.len(), 1, "{at_stripe:?}");
    assert_eq!(replay["refund"]["stripe_refund_id"], at_stripe[0]["id"]);
}

#[tokio::test]
async fn a_refund_follows_stripes_state_and_a_failed_one_frees_its_amount() {
    let key = own_stripe_key();
    let (app, order_id, session) = paid_app(&key).await;
    stripe_rule(json!({
        "path": "/v1/refunds", "secret_key": key, "set": {"status": "pending"}, "times": 1,
    }))
    .await;
    let (status, pending) = refund(&app, &order_id, "r1", json!({})).await;
    assert_eq!(status, 201, "{pending}");
    assert_eq!(pending["refund"]["status"], "pending");
    assert_eq!(
        pending["order"]["status"], "refunded",
        "pending money is on its way back"
    );
    let (status, _) = refund(&app, &order_id, "r2", json!({"amount": 1})).await;
    assert_eq!(status, 409, "nothing left to refund");

    // The bank refuses it: Stripe marks it failed and says so.
    let refund_id = pending["refund"]["stripe_refund_id"]
        .as_str()
        .unwrap()
        .to_owned();
    stripe_set(&refund_id, json!({"status": "failed"})).await;
    let event = json!({
        "id": "evt_refund_failed", "object": "event", "type": "refund.failed",
        "data": {"object": {"id": refund_id, "object": "refund", "amount": 5000, "status": "failed",
                            "payment_intent": crate::helpers::intent_id(&session)}},
    })
    .to_string();
    let signature = signed(
        &event,
        STRIPE_WEBHOOK_SECRET,
        chrono::Utc::now().timestamp(),
    );
    assert_eq!(deliver(&app, &event, Some(&signature)).await.status(), 200);
    let (_, replay) = refund(&app, &order_id, "r1", json!({})).await;
    assert_eq!(replay["refund"]["status"], "failed");
    assert_eq!(replay["order"]["status"], "paid");
    assert_eq!(replay["order"]["refunded"]["amount"], 0);

    // The failed amount can be refunded again, and no more than was paid.
    let (status, again) = refund(&app, &order_id, "r3", json!({"amount": 5000})).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["refund"]["status"], "succeeded");
    assert_eq!(again["order"]["status"], "refunded");
    let (status, _) = refund(&app, &order_id, "r4", json!({"amount": 1})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn an_unreadable_refund_answer_does_not_free_its_amount() {
    let key = own_stripe_key();
    let (app, order_id, session) = paid_app(&key).await;
    stripe_rule(json!({
        "path": "/v1/refunds", "secret_key": key, "replace_body": "{\"surprise\": true}", "times": 1,
    }))
    .await;
    let (status, body) = refund(&app, &order_id, "r1", json!({})).await;
    assert_eq!(status, 502, "{body}");
    // Stripe did refund everything; another key must not refund it again.
    let (status, body) = refund(&app, &order_id, "r2", json!({})).await;
    assert_eq!(status, 422, "{body}");
    let (status, replay) = refund(&app, &order_id, "r1", json!({})).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["refund"]["status"], "succeeded");
    assert_eq!(replay["order"]["status"], "refunded");
    assert_eq!(refunds_at_stripe(&session).await.len(), 1);
}

#[tokio::test]
async fn payments_stripe_will_not_cancel_do_not_hold_up_the_expiry_of_others() {
    use shop_api::db::schema::orders::dsl as o;
    let app = spawn_app_with(&[
        ("ORDER_SWEEP_INTERVAL_SECS", "1"),
        // One client opens all of these checkouts.
        ("CHECKOUT_MAX_OPEN_PER_CLIENT", "100"),
    ])
    .await;
    let variant = tee(&app, 200).await;
    let mut stubborn = Vec::new();
    for n in 0..51 {
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        let session: Value = checkout(&app, &cart, &format!("k{n}"))
            .await
            .json()
            .await
            .unwrap();
        let intent = crate::helpers::intent_id(&session);
        stripe_rule(json!({
            "path": format!("/v1/payment_intents/{intent}/cancel"),
            "status": 400,
            "body": {"error": {"type": "invalid_request_error",
                               "message": "You cannot cancel this PaymentIntent because it has a status of processing."}},
        }))
        .await;
        stubborn.push(
            session["order_id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap(),
        );
    }
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let last: Value = checkout(&app, &cart, "last").await.json().await.unwrap();
    let now = chrono::Utc::now();
    diesel::update(o::orders.filter(o::id.eq_any(&stubborn)))
        .set(o::reserved_until.eq(now - chrono::Duration::seconds(100)))
        .execute(&mut app.db())
        .unwrap();
    diesel::update(o::orders.filter(o::id.ne_all(&stubborn)))
        .set(o::reserved_until.eq(now - chrono::Duration::seconds(1)))
        .execute(&mut app.db())
        .unwrap();
    let last_id: uuid::Uuid = last["order_id"].as_str().unwrap().parse().unwrap();
    eventually("the newest expired order is cancelled", async || {
        let status: String = o::orders
            .find(last_id)
            .select(o::status)
            .first(&mut app.db())
            .unwrap();
        status == "cancelled"
    })
    .await;
    // The stubborn ones still hold their stock, and wait their turn again.
    let (held, attempts): (i64, Option<i32>) = o::orders
        .filter(o::id.eq_any(&stubborn))
        .filter(o::stock_state.eq("reserved"))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(o::sweep_attempts),
        ))
        .first(&mut app.db())
        .unwrap();
    assert_eq!(held, 51);
    assert!(attempts.unwrap() >= 1, "each was tried and deferred");
    assert_eq!(stock(&app, &variant).await, (200, 51));
}

/// The shop's count of Stripe calls made again because no connection could be opened.
async fn reconnects(app: &TestApp) -> u64 {
    app.scrape_metrics()
        .await
        .lines()
        .filter(|line| line.starts_with("shop_stripe_reconnects_total{"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// Relays every connection to `port` on to the Stripe stand-in.
async fn relay_to_stripe(port: u16) {
    let stripe = localstripe_url();
    let stripe = stripe.trim_start_matches("http://").to_owned();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("the port is still free");
    tokio::spawn(async move {
        while let Ok((mut shop, _)) = listener.accept().await {
            let stripe = stripe.clone();
            tokio::spawn(async move {
                let mut upstream = tokio::net::TcpStream::connect(stripe).await.unwrap();
                drop(tokio::io::copy_bidirectional(&mut shop, &mut upstream).await);
            });
        }
    });
}

/// A connection to Stripe that could not be opened (a container's resolver that misses Stripe's
/// name once in a while, a proxy restarting) carried nothing, so the shop tries again rather than
/// turn the shopper away.
#[tokio::test]
async fn a_checkout_goes_through_when_its_first_connection_to_stripe_is_refused() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let app = spawn_app_with(&[("STRIPE_API_BASE", &format!("http://127.0.0.1:{port}"))]).await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    // Stripe listens only once the shop has been refused: the shop's next attempt must find it.
    let stripe_comes_up = async {
        let started = Instant::now();
        while reconnects(&app).await == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the shop never tried Stripe again after a refused connection"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        relay_to_stripe(port).await;
    };
    let (response, ()) = tokio::join!(checkout(&app, &cart, "k"), stripe_comes_up);
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    assert_eq!(stock(&app, &variant).await, (5, 1));
}
