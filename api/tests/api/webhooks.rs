//! Stripe's webhooks: verified before they are trusted, applied once, and checked against the order
//! they name.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, assert_problem, cart_with, checkout, deliver, intent_id, order, pay,
    signed, spawn_app, stock, succeeded_event, tee, wait_for_order,
};

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

/// Many apps share one Stripe stand-in, each with an account of its own: were every webhook sent
/// to every app, a test could be paid, or cancelled, by another's events.
#[tokio::test]
async fn an_app_hears_of_its_own_payments_only() {
    use shop_api::db::schema::stripe_events;
    // Registered first, so that it would hear of the payment before the paying app does.
    let other = spawn_app().await;
    other.register_webhook().await;
    let app = spawn_app().await;
    app.register_webhook().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );
    wait_for_order(&app, &session, |o| o["status"] == "paid").await;
    let heard: i64 = stripe_events::table
        .count()
        .get_result(&mut other.db())
        .unwrap();
    assert_eq!(heard, 0, "another app's payment reached this app");
}
