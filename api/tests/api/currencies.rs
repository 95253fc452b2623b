//! Amounts reach Stripe in Stripe's unit, which is not always the ISO 4217 minor unit, and only
//! amounts Stripe can take are accepted at all.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, cart_with, checkout, deliver, intent_id, order, product_body, signed,
    spawn_app_with, stripe_intent, succeeded_event,
};

#[tokio::test]
async fn icelandic_kronur_are_charged_in_stripes_hundredths() {
    let app = spawn_app_with(&[("SHOP_CURRENCY", "ISK")]).await;
    let product = app
        .create_product(product_body("lopi", "Lopi", "ISK", &[("LOPI-1", 2500, 5)]))
        .await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let response = checkout(&app, &cart, "k").await;
    let status = response.status();
    let session: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{session}");
    assert_eq!(
        session["amount"]["amount"], 5000,
        "the shop counts whole kronur"
    );
    let intent = stripe_intent(&session).await;
    assert_eq!(intent["currency"], "isk");
    assert_eq!(
        intent["amount"], 500_000,
        "Stripe counts ISK in hundredths: 5000 kr is 500000"
    );

    // A payment of 5000 in Stripe's unit is 50 kr: not the order's total.
    let now = chrono::Utc::now().timestamp();
    let short = succeeded_event("evt_isk_short", &session, 5000, "isk");
    let response = deliver(
        &app,
        &short,
        Some(&signed(&short, STRIPE_WEBHOOK_SECRET, now)),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "needs_review");

    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(stripe_intent(&session).await["amount"], 250_000);
    let full = succeeded_event("evt_isk_full", &session, 250_000, "isk");
    let response = deliver(
        &app,
        &full,
        Some(&signed(&full, STRIPE_WEBHOOK_SECRET, now)),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "paid");
    assert!(!intent_id(&session).is_empty());
}

#[tokio::test]
async fn prices_stripe_cannot_charge_are_refused_at_the_admin_api() {
    let app = spawn_app_with(&[("SHOP_CURRENCY", "KWD")]).await;
    // Stripe takes three-decimal amounts only when they end in 0.
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &product_body("dallah", "Dallah", "KWD", &[("DALLAH-1", 1234, 5)]),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["type"], "urn:shop:problem:validation");
    assert!(body["detail"].as_str().unwrap().contains("price"), "{body}");
    let product = app
        .create_product(product_body(
            "dallah",
            "Dallah",
            "KWD",
            &[("DALLAH-1", 1230, 5)],
        ))
        .await;
    let variant = product["variants"][0]["id"].as_str().unwrap();
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant}"),
            &serde_json::json!({"price": {"amount": 1235, "currency": "KWD"}}),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    // A currency Stripe does not take at all.
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &product_body("kettle", "Kettle", "IQD", &[("KETTLE-1", 1000, 5)]),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    // 1,000,000 kr is 100,000,000 in Stripe's unit: past what Stripe can charge at once.
    let app = spawn_app_with(&[("SHOP_CURRENCY", "ISK")]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &product_body("boat", "Boat", "ISK", &[("BOAT-1", 1_000_000, 1)]),
        )
        .await;
    assert_eq!(status, 422, "{body}");
}
