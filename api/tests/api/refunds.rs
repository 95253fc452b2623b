//! Refunds: made by an admin through Stripe, or in Stripe's dashboard, never more than was paid.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, assert_problem, deliver, intent_id, order, paid_order, refund, signed,
    spawn_app, stripe_intent, stripe_post, tee,
};

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
