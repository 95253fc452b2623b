//! Stripe's events arrive in any order and more than once. Every pair of them, in both orders and
//! each delivered twice, must leave the order in the state the module docs of
//! `services::stripe_events` give, with its stock committed or released (reserved only while it
//! awaits payment).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, TestApp, cart_now, cart_with, checkout, deliver, intent_id, pay, signed,
    spawn_app, stock, stripe_post, stripe_set, succeeded_event, tee,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Succeeded,
    Failed,
    Canceled,
    Refunded,
    RefundFailed,
}

const KINDS: [Kind; 5] = [
    Kind::Succeeded,
    Kind::Failed,
    Kind::Canceled,
    Kind::Refunded,
    Kind::RefundFailed,
];

fn is_refund(kind: Kind) -> bool {
    matches!(kind, Kind::Refunded | Kind::RefundFailed)
}

/// Proof that the payment went through: a success, or any refund.
fn proves_payment(kind: Kind) -> bool {
    kind == Kind::Succeeded || is_refund(kind)
}

fn event(kind: Kind, id: &str, session: &Value, refund_id: &str) -> String {
    let intent = intent_id(session);
    match kind {
        Kind::Succeeded => succeeded_event(id, session, 5000, "eur"),
        Kind::Failed | Kind::Canceled => {
            let (event_type, status, error) = if kind == Kind::Failed {
                (
                    "payment_intent.payment_failed",
                    "requires_payment_method",
                    json!({"message": "Your card was declined."}),
                )
            } else {
                ("payment_intent.canceled", "canceled", Value::Null)
            };
            json!({
                "id": id, "object": "event", "type": event_type,
                "data": {"object": {
                    "id": intent, "object": "payment_intent", "amount": 5000, "currency": "eur",
                    "status": status, "last_payment_error": error,
                    "metadata": {"order_id": session["order_id"]},
                }},
            })
            .to_string()
        }
        Kind::Refunded => json!({
            "id": id, "object": "event", "type": "charge.refunded",
            "data": {"object": {"id": "ch_x", "object": "charge", "amount": 5000,
                                "amount_refunded": 1000, "payment_intent": intent}},
        })
        .to_string(),
        Kind::RefundFailed => json!({
            "id": id, "object": "event", "type": "refund.failed",
            "data": {"object": {"id": refund_id, "object": "refund", "amount": 1000,
                                "status": "failed", "payment_intent": intent}},
        })
        .to_string(),
    }
}

/// What the order must end as after `first` then `second`, given that Stripe's own state is
/// what the events describe (a refund event means the payment succeeded and was refunded).
fn expected(first: Kind, second: Kind) -> (&'static str, &'static str, i64) {
    let kinds = [first, second];
    let proof = kinds.iter().position(|k| proves_payment(*k));
    let cancel = kinds.iter().position(|k| *k == Kind::Canceled);
    let refunded = if kinds.contains(&Kind::Refunded) && !kinds.contains(&Kind::RefundFailed) {
        1000
    } else {
        0
    };
    let seen_refunded = if kinds.iter().any(|k| is_refund(*k)) {
        refunded
    } else {
        0
    };
    match (proof, cancel) {
        (None, Some(_)) => ("cancelled", "released", 0),
        (None, None) => ("pending_payment", "reserved", 0),
        (Some(p), Some(c)) if c < p => ("needs_review", "committed", seen_refunded),
        _ if seen_refunded > 0 => ("partially_refunded", "committed", seen_refunded),
        _ => ("paid", "committed", 0),
    }
}

/// Makes Stripe's state what the events will say: paid when any proves payment, and a refund of
/// 10.00 (failed, when a refund failure is among them). Returns the refund's id.
async fn stripe_state(session: &Value, first: Kind, second: Kind) -> String {
    let kinds = [first, second];
    if !kinds.iter().any(|k| proves_payment(*k)) {
        return String::new();
    }
    assert_eq!(
        pay(&intent_id(session), "pm_card_visa").await["status"],
        "succeeded"
    );
    if !kinds.iter().any(|k| is_refund(*k)) {
        return String::new();
    }
    let refund = stripe_post(
        "/v1/refunds",
        &[
            ("payment_intent", intent_id(session).as_str()),
            ("amount", "1000"),
        ],
    )
    .await;
    let refund_id = refund["id"].as_str().unwrap().to_owned();
    if kinds.contains(&Kind::RefundFailed) {
        stripe_set(&refund_id, json!({"status": "failed"})).await;
    }
    refund_id
}

async fn send(app: &TestApp, body: &str) {
    let signature = signed(body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    let response = deliver(app, body, Some(&signature)).await;
    assert_eq!(response.status(), 200, "{body}");
}

#[tokio::test]
async fn every_pair_of_payment_events_in_either_order_settles_the_order_and_its_stock() {
    let app = spawn_app().await;
    let variant = tee(&app, 200).await;
    let mut committed = 0;
    let mut reserved = 0;
    for (n, first) in KINDS.iter().enumerate() {
        for (m, second) in KINDS.iter().enumerate() {
            let cart = cart_with(&app, &[(&variant, 2)]).await;
            let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
            let refund_id = stripe_state(&session, *first, *second).await;
            let a = event(*first, &format!("evt_{n}{m}_a"), &session, &refund_id);
            let b = event(*second, &format!("evt_{n}{m}_b"), &session, &refund_id);
            // Each delivered twice, as Stripe may.
            for body in [&a, &a, &b, &b] {
                send(&app, body).await;
            }
            let order_id = session["order_id"].as_str().unwrap();
            let (_, order) = app
                .admin_json(
                    Method::GET,
                    &format!("/admin/orders/{order_id}"),
                    &Value::Null,
                )
                .await;
            let (status, stock_state, refunded) = expected(*first, *second);
            let case = format!("{first:?} then {second:?}: {order}");
            assert_eq!(order["status"], status, "{case}");
            assert_eq!(order["stock_state"], stock_state, "{case}");
            assert_eq!(order["refunded"]["amount"], refunded, "{case}");
            match stock_state {
                "committed" => committed += 2,
                "reserved" => reserved += 2,
                _ => {}
            }
        }
    }
    assert_eq!(stock(&app, &variant).await, (200 - committed, reserved));
}

#[tokio::test]
async fn a_large_event_is_received_up_to_the_webhook_limit() {
    let app = spawn_app().await;
    let event = |pad: usize| {
        json!({"id": format!("evt_large_{pad}"), "type": "charge.updated",
               "data": {"object": {"id": "ch_1", "pad": "x".repeat(pad)}}})
        .to_string()
    };
    let large = event(600 * 1024);
    send(&app, &large).await;
    let too_large = event(1100 * 1024);
    let signature = signed(
        &too_large,
        STRIPE_WEBHOOK_SECRET,
        chrono::Utc::now().timestamp(),
    );
    let response = deliver(&app, &too_large, Some(&signature)).await;
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn a_late_payment_for_an_old_order_leaves_the_carts_newer_checkout_alone() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let first: Value = checkout(&app, &cart, "k1").await.json().await.unwrap();
    send(
        &app,
        &event(Kind::Canceled, "evt_first_canceled", &first, ""),
    )
    .await;
    let second = checkout(&app, &cart, "k2").await;
    assert_eq!(second.status(), 201, "the cancellation opened the cart");
    let second: Value = second.json().await.unwrap();

    // The first order's payment arrives after all: kept for review, and the cart stays with the
    // checkout under way.
    send(&app, &event(Kind::Succeeded, "evt_first_paid", &first, "")).await;
    assert_eq!(cart_now(&app, &cart).await["status"], "locked");

    // When the newer checkout is cancelled too, the cart opens again for the shopper.
    send(
        &app,
        &event(Kind::Canceled, "evt_second_canceled", &second, ""),
    )
    .await;
    assert_eq!(checkout(&app, &cart, "k3").await.status(), 201);
}

#[tokio::test]
async fn a_refund_leaves_an_order_kept_for_review_in_review() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let session: Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    assert_eq!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );
    // Stripe reports another amount than the order's: a person must look at it.
    send(
        &app,
        &succeeded_event("evt_odd_amount", &session, 4999, "eur"),
    )
    .await;
    let order_id = session["order_id"].as_str().unwrap();
    let (status, refunded) =
        crate::helpers::refund(&app, order_id, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 201, "{refunded}");
    assert_eq!(refunded["order"]["status"], "needs_review");
    assert_eq!(refunded["order"]["refunded"]["amount"], 1000);
}
