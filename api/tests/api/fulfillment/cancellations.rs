//! The merchant cancels an order that has not shipped: refunded in full and restocked once paid,
//! its PaymentIntent cancelled before.

use serde_json::{Value, json};

use super::{cancel, parcel, ship};
use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, admin_order, cart_with, checkout, deliver, intent_id, localstripe_url,
    order, own_stripe_key, paid_order, pay, signed, spawn_app, spawn_app_with, stock, stripe_get,
    stripe_intent, stripe_rule, tee,
};

#[tokio::test]
async fn a_paid_order_cancelled_is_refunded_in_full_and_its_units_return() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();
    assert_eq!(stock(&app, &variant).await, (2, 0));

    let (status, cancelled) = cancel(&app, order_id, "c1").await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    let total = cancelled["total"]["amount"].as_i64().unwrap();
    assert_eq!(cancelled["refunded"]["amount"], total);
    assert_eq!(cancelled["stock_state"], "released");
    assert_eq!(
        stock(&app, &variant).await,
        (4, 0),
        "the units are back on hand"
    );
    assert_eq!(
        stripe_intent(&session).await["charges"]["data"][0]["amount_refunded"],
        total
    );

    // Again, with the same key or another: the same order, and no second refund.
    for key in ["c1", "c2"] {
        let (status, again) = cancel(&app, order_id, key).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["refunded"]["amount"], total);
    }
    assert_eq!(stock(&app, &variant).await, (4, 0));
    assert_eq!(
        stripe_intent(&session).await["charges"]["data"][0]["amount_refunded"],
        total
    );

    // Stripe's refund event comes back: it proves the payment, yet this order was cancelled
    // after it, not paid late, so it stays cancelled and takes no stock.
    let body = json!({
        "id": "evt_cancel_refund",
        "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "amount": total, "amount_refunded": total, "payment_intent": intent_id(&session)}},
    })
    .to_string();
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    let after = order(&app, &session).await;
    assert_eq!(after["status"], "cancelled", "{after}");
    assert_eq!(after["refunded"]["amount"], total);
    assert_eq!(stock(&app, &variant).await, (4, 0));
}

#[tokio::test]
async fn an_order_awaiting_payment_cancelled_can_no_longer_be_paid() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let cart = cart_with(&app, &[(&variant, 3)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(stock(&app, &variant).await, (4, 3));

    let (status, cancelled) = cancel(&app, session["order_id"].as_str().unwrap(), "c").await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        stock(&app, &variant).await,
        (4, 0),
        "the reservation is released"
    );
    assert_eq!(stripe_intent(&session).await["status"], "canceled");
    let paid = pay(&intent_id(&session), "pm_card_visa").await;
    assert!(paid.get("error").is_some(), "{paid}");
    assert_eq!(admin_order(&app, &session).await["status"], "cancelled");
}

#[tokio::test]
async fn a_shipped_order_is_not_cancelled() {
    let app = spawn_app().await;
    let variant = tee(&app, 4).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();
    let line = order(&app, &session).await["lines"][0]["id"].clone();
    assert_eq!(ship(&app, order_id, "s", &parcel(&line, 1)).await.0, 201);

    let (status, problem) = cancel(&app, order_id, "c").await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:shop:problem:order-fulfilled");
    let unchanged = order(&app, &session).await;
    assert_eq!(unchanged["status"], "paid");
    assert_eq!(unchanged["refunded"]["amount"], 0);
    assert_eq!(stock(&app, &variant).await, (2, 0));

    let (status, _) = cancel(&app, &uuid::Uuid::new_v4().to_string(), "c").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_cancellation_whose_refund_went_unanswered_is_finished_by_cancelling_again() {
    let key = own_stripe_key();
    let app = spawn_app_with(&[("STRIPE_SECRET_KEY", &key), ("STRIPE_TIMEOUT_MS", "1000")]).await;
    let variant = tee(&app, 5).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();
    stripe_rule(json!({"path": "/v1/refunds", "secret_key": key, "delay_after": 2.0, "times": 1}))
        .await;
    let (status, body) = cancel(&app, order_id, "c1").await;
    assert_eq!(status, 503, "{body}");
    // The order is cancelled and restocked; its refund awaits Stripe's answer.
    let meanwhile = admin_order(&app, &session).await;
    assert_eq!(meanwhile["status"], "cancelled");
    assert_eq!(stock(&app, &variant).await, (5, 0));

    // Stripe has forgotten the idempotency key by the time the admin retries.
    let forget = app
        .client
        .delete(format!(
            "{}/_config/idempotency?secret_key={key}",
            localstripe_url()
        ))
        .send()
        .await
        .unwrap();
    assert!(forget.status().is_success());
    let (status, done) = cancel(&app, order_id, "c1").await;
    assert_eq!(status, 200, "{done}");
    let total = done["total"]["amount"].as_i64().unwrap();
    assert_eq!(done["refunded"]["amount"], total);
    let refunds = stripe_get(&format!(
        "/v1/refunds?payment_intent={}",
        intent_id(&session)
    ))
    .await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1, "{refunds}");
    assert_eq!(stock(&app, &variant).await, (5, 0));
}
