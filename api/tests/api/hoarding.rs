//! One client cannot hold the stock for everyone: a cap on units per variant per order, a cap on
//! its checkouts awaiting payment, and a short hold until a payment is really attempted.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, assert_problem, cart_with, checkout_from, deliver, signed,
    spawn_app_with, stock, tee,
};

const HOARDER: &str = "198.51.100.7";
const SHOPPER: &str = "203.0.113.9";

#[tokio::test]
async fn a_hoarder_holds_a_few_units_briefly_and_shoppers_still_buy() {
    let app = spawn_app_with(&[
        ("CHECKOUT_MAX_UNITS_PER_VARIANT", "5"),
        ("CHECKOUT_MAX_OPEN_PER_CLIENT", "3"),
        ("RESERVATION_HOLD_SECS", "2"),
        ("ORDER_SWEEP_INTERVAL_SECS", "1"),
        // The tests' requests come from 127.0.0.1, playing nginx.
        ("API_TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    let variant = tee(&app, 100).await;

    // Everything in one order: refused.
    let greedy = cart_with(&app, &[(&variant, 50)]).await;
    let problem = assert_problem(
        checkout_from(&app, &greedy, "g", HOARDER).await,
        422,
        "validation",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("quantity"),
        "{problem}"
    );

    // Twenty checkouts of five: three hold stock, the rest are told when to come back.
    let started = Instant::now();
    let mut held = 0;
    for n in 0..20 {
        let cart = cart_with(&app, &[(&variant, 5)]).await;
        let response = checkout_from(&app, &cart, &format!("h{n}"), HOARDER).await;
        if response.status() == 201 {
            held += 1;
            continue;
        }
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=2).contains(&retry_after), "{retry_after}");
        assert_problem(response, 429, "too-many-checkouts").await;
    }
    assert_eq!(held, 3);
    let (_, reserved) = stock(&app, &variant).await;
    assert_eq!(reserved, 15, "the hoarder holds 15 of 100 units");

    // A shopper buys meanwhile, and starts paying: a declined first card still counts.
    let cart = cart_with(&app, &[(&variant, 5)]).await;
    let response = checkout_from(&app, &cart, "s", SHOPPER).await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    let held_until = |session: &Value| -> chrono::DateTime<chrono::Utc> {
        session["expires_at"].as_str().unwrap().parse().unwrap()
    };
    assert!(held_until(&session) - chrono::Utc::now() <= chrono::Duration::seconds(2));
    let declined = json!({
        "id": "evt_declined", "object": "event", "type": "payment_intent.payment_failed",
        "data": {"object": {"id": crate::helpers::intent_id(&session), "object": "payment_intent",
                            "amount": 12500, "currency": "eur", "status": "requires_payment_method",
                            "last_payment_error": {"message": "Your card was declined."},
                            "metadata": {"order_id": session["order_id"]}}},
    })
    .to_string();
    let signature = signed(
        &declined,
        STRIPE_WEBHOOK_SECRET,
        chrono::Utc::now().timestamp(),
    );
    assert_eq!(
        deliver(&app, &declined, Some(&signature)).await.status(),
        200
    );

    // The hoarder's hold lapses within seconds; the paying shopper's does not.
    loop {
        let (_, reserved) = stock(&app, &variant).await;
        if reserved == 5 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still reserved: {reserved}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "hoarding: 3 of 20 checkouts held 15 of 100 units, released after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let session_path = format!("/admin/orders/{}", session["order_id"].as_str().unwrap());
    let (_, order) = app
        .admin_json(Method::GET, &session_path, &Value::Null)
        .await;
    assert_eq!(order["status"], "pending_payment");
    let until: chrono::DateTime<chrono::Utc> =
        order["reserved_until"].as_str().unwrap().parse().unwrap();
    assert!(
        until - chrono::Utc::now() > chrono::Duration::minutes(25),
        "held for the full 30 minutes"
    );
    let cart = cart_with(&app, &[(&variant, 5)]).await;
    assert_eq!(
        checkout_from(&app, &cart, "again", HOARDER).await.status(),
        201
    );
}

#[tokio::test]
async fn only_a_trusted_proxy_may_name_the_client() {
    let app = spawn_app_with(&[("CHECKOUT_MAX_OPEN_PER_CLIENT", "2")]).await;
    let variant = tee(&app, 100).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        let client = format!("198.51.100.{}", n + 1);
        statuses.push(
            checkout_from(&app, &cart, "k", &client)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(
        statuses,
        [201, 201, 429],
        "made-up X-Real-IP headers from an untrusted peer"
    );
}
