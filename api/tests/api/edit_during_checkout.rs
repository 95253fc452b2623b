//! "Edit cart" during checkout: `DELETE /checkout/sessions/{id}` gives the checkout up at Stripe
//! first, then in the shop, so a payment racing it either wins everywhere or nowhere.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, TestApp, assert_problem, cart_now, cart_with, checkout, deliver,
    intent_id, order, pay, signed, spawn_app, stock, stripe_intent, stripe_post, succeeded_event,
    tee, wait_for_order,
};

async fn cancel(app: &TestApp, session: &Value) -> Response {
    app.request(
        Method::DELETE,
        &format!("/checkout/sessions/{}", session["id"].as_str().unwrap()),
    )
    .header("Order-Secret", session["order_secret"].as_str().unwrap())
    .send()
    .await
    .unwrap()
}

async fn started(app: &TestApp, variant: &str, quantity: i64) -> (crate::helpers::Cart, Value) {
    let cart = cart_with(app, &[(variant, quantity)]).await;
    let response = checkout(app, &cart, "edit-1").await;
    assert_eq!(response.status(), 201);
    (cart, response.json().await.unwrap())
}

#[tokio::test]
async fn cancelling_a_checkout_reopens_the_cart_with_its_lines_and_frees_the_stock() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let (cart, session) = started(&app, &variant, 3).await;
    assert_eq!(stock(&app, &variant).await, (10, 3));

    let response = cancel(&app, &session).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["order_id"], session["order_id"]);

    assert_eq!(stripe_intent(&session).await["status"], "canceled");
    assert_eq!(stock(&app, &variant).await, (10, 0));
    assert_eq!(order(&app, &session).await["status"], "cancelled");
    let reopened = cart_now(&app, &cart).await;
    assert_eq!(reopened["status"], "open");
    assert_eq!(reopened["lines"][0]["quantity"], 3);

    // The shopper wants one more, and checks out again.
    let line = reopened["lines"][0]["id"].as_str().unwrap();
    let changed = app
        .request(Method::PATCH, &format!("/carts/{}/items/{line}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"quantity": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let again = checkout(&app, &cart, "edit-2").await;
    assert_eq!(again.status(), 201);
    assert_eq!(stock(&app, &variant).await, (10, 4));

    // Cancelling twice answers the same; the cancelled PaymentIntent can never be paid.
    let twice = cancel(&app, &session).await;
    assert_eq!(twice.status(), 200);
    assert_eq!(twice.json::<Value>().await.unwrap()["status"], "cancelled");
    assert_ne!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );
}

#[tokio::test]
async fn only_the_orders_secret_cancels_its_checkout() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let (_, session) = started(&app, &variant, 1).await;
    let response = app
        .request(
            Method::DELETE,
            &format!("/checkout/sessions/{}", session["id"].as_str().unwrap()),
        )
        .header("Order-Secret", "0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not-found").await;
    assert_eq!(
        stripe_intent(&session).await["status"],
        "requires_payment_method"
    );
    assert_eq!(stock(&app, &variant).await, (10, 1));
}

#[tokio::test]
async fn a_paid_checkout_is_kept_and_the_answer_names_its_order() {
    let app = spawn_app().await;
    let variant = tee(&app, 10).await;
    let (cart, session) = started(&app, &variant, 2).await;
    // Paid at Stripe; its webhook has not reached the shop (none is registered for this app).
    assert_eq!(
        pay(&intent_id(&session), "pm_card_visa").await["status"],
        "succeeded"
    );

    let problem = assert_problem(cancel(&app, &session).await, 409, "payment-under-way").await;
    assert_eq!(problem["order_id"], session["order_id"]);
    // Asking Stripe settled the order at once, without waiting for the webhook.
    assert_eq!(order(&app, &session).await["status"], "paid");
    assert_eq!(stock(&app, &variant).await, (8, 0));
    assert_eq!(cart_now(&app, &cart).await["status"], "closed");
}

/// A shopper pays in one tab and presses "Edit cart" in another, while Stripe's webhook arrives:
/// whichever Stripe took first wins, and the shop agrees with Stripe every time.
#[tokio::test]
async fn a_cancel_racing_a_payment_and_its_webhook_ends_one_way_everywhere() {
    let app = spawn_app().await;
    app.register_webhook().await;
    let variant = tee(&app, 100).await;
    let (mut cancelled, mut paid) = (0, 0);
    for round in 0..10 {
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        let session: Value = checkout(&app, &cart, &format!("race-{round}"))
            .await
            .json()
            .await
            .unwrap();
        let intent = intent_id(&session);
        let event = succeeded_event(&format!("evt_race_{round}"), &session, 2500, "eur");
        let signature = signed(
            &event,
            STRIPE_WEBHOOK_SECRET,
            chrono::Utc::now().timestamp(),
        );
        // Either side a few milliseconds late, in turn, and at once in the first round.
        let late = |by: bool| std::time::Duration::from_millis(if by { round } else { 0 });
        let (payment, cancel_answer) = tokio::join!(
            async {
                tokio::time::sleep(late(round % 2 == 0)).await;
                // As Stripe.js would, without expecting either step to succeed: the cancel may
                // come first.
                let path = format!("/v1/payment_intents/{intent}");
                stripe_post(&path, &[("payment_method", "pm_card_visa")]).await;
                let payment = stripe_post(&format!("{path}/confirm"), &[]).await;
                // The webhook races too: delivered the moment Stripe answered.
                if payment["status"] == "succeeded" {
                    assert_eq!(deliver(&app, &event, Some(&signature)).await.status(), 200);
                }
                payment
            },
            async {
                tokio::time::sleep(late(round % 2 == 1)).await;
                cancel(&app, &session).await
            }
        );
        let status = cancel_answer.status().as_u16();
        let at_stripe = stripe_intent(&session).await["status"].clone();
        let settled = wait_for_order(&app, &session, |o| o["status"] != "pending_payment").await;
        let cart_status = cart_now(&app, &cart).await["status"].clone();
        if status == 200 {
            cancelled += 1;
            assert_ne!(payment["status"], "succeeded", "round {round}: {payment}");
            assert_eq!(at_stripe, "canceled");
            assert_eq!(settled["status"], "cancelled");
            assert_eq!(cart_status, "open");
        } else {
            paid += 1;
            let problem = assert_problem(cancel_answer, 409, "payment-under-way").await;
            assert_eq!(problem["order_id"], session["order_id"]);
            assert_eq!(payment["status"], "succeeded");
            assert_eq!(at_stripe, "succeeded");
            assert_eq!(settled["status"], "paid", "round {round}");
            assert_eq!(cart_status, "closed");
        }
    }
    // Every unit is either sold or back on sale: none is stuck in a reservation.
    assert_eq!(stock(&app, &variant).await, (100 - paid, 0));
    assert_eq!(cancelled + paid, 10);
    assert!(
        cancelled > 0 && paid > 0,
        "both sides must win sometimes: cancel {cancelled}, payment {paid}"
    );
}
