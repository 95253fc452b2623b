//! A checkout charges what the cart shows: it needs an address and a shipping method, asks
//! Stripe for the total with the address, and the order keeps every figure as it was.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, address, assert_problem, cart_with, checkout_without_delivery,
    count_orders, deliver, deliver_to, intent_id, order, pay, put_cart, set_tax, ship_to_europe,
    signed, spawn_app, stock, stripe_intent, succeeded_event, tee,
};

#[tokio::test]
async fn a_cart_without_an_address_or_a_shipping_method_is_not_checked_out() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;

    let problem = assert_problem(
        checkout_without_delivery(&app, &cart, "a").await,
        409,
        "cart-incomplete",
    )
    .await;
    assert_eq!(problem["field"], "shipping_address");
    put_cart(&app, &cart, "shipping-address", &address("FR")).await;
    let problem = assert_problem(
        checkout_without_delivery(&app, &cart, "b").await,
        409,
        "cart-incomplete",
    )
    .await;
    assert_eq!(problem["field"], "shipping_method");

    deliver_to(&app, &cart, "FR", &europe.standard).await;
    app.admin_json(
        Method::PATCH,
        &format!("/admin/shipping-rates/{}", europe.standard),
        &json!({"active": false}),
    )
    .await;
    let problem = assert_problem(
        checkout_without_delivery(&app, &cart, "c").await,
        409,
        "cart-incomplete",
    )
    .await;
    assert_eq!(problem["field"], "shipping_method");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("no longer offered"),
        "{problem}"
    );
    assert_eq!(count_orders(&app), 0);
    assert_eq!(stock(&app, &variant).await, (5, 0), "nothing reserved");
}

#[tokio::test]
async fn the_order_keeps_every_figure_and_stripe_is_asked_for_its_total() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    set_tax(&app, "FR", 2000, Some(550)).await;
    let cart = cart_with(&app, &[(&tee(&app, 5).await, 2)]).await;
    let shown = deliver_to(&app, &cart, "FR", &europe.express).await;
    let mut billing = address("GB");
    billing["name"] = json!("Analytical Engines Ltd");
    put_cart(&app, &cart, "billing-address", &billing).await;

    let response = checkout_without_delivery(&app, &cart, "k").await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["amount"]["amount"], 6700);
    assert_eq!(
        session["amount"], shown["totals"]["total"],
        "charged what the cart showed"
    );

    let intent = stripe_intent(&session).await;
    assert_eq!(intent["amount"], 6700);
    assert_eq!(intent["shipping"]["name"], "Ada Lovelace");
    assert_eq!(intent["shipping"]["address"]["country"], "FR");
    assert_eq!(intent["shipping"]["address"]["postal_code"], "75001");
    assert_eq!(intent["shipping"]["phone"], "+33123456789");

    // Later changes to rates and taxes leave the placed order as it was.
    app.admin_json(
        Method::PATCH,
        &format!("/admin/shipping-rates/{}", europe.express),
        &json!({"price": {"amount": 9900, "currency": "EUR"}}),
    )
    .await;
    set_tax(&app, "FR", 0, None).await;

    let placed = order(&app, &session).await;
    assert_eq!(placed["shipping_address"]["city"], "Paris");
    assert_eq!(placed["billing_address"]["name"], "Analytical Engines Ltd");
    assert_eq!(placed["shipping"]["method"], "Express");
    assert_eq!(placed["shipping"]["price"]["amount"], 1700);
    assert_eq!(placed["shipping"]["tax"]["amount"], 283);
    assert_eq!(placed["lines"][0]["tax_rate_bp"], 2000);
    assert_eq!(placed["lines"][0]["tax"]["amount"], 833);
    assert_eq!(placed["lines"][0]["discount"]["amount"], 0);
    let totals = &placed["totals"];
    assert_eq!(totals["subtotal"]["amount"], 5000);
    assert_eq!(totals["shipping"]["amount"], 1700);
    assert_eq!(totals["tax"]["amount"], 1116);
    assert_eq!(totals["tax_lines"][0]["label"], "VAT 20 %");
    assert_eq!(totals["tax_included"], true);
    assert_eq!(totals["total"]["amount"], 6700);
    assert_eq!(placed["total"]["amount"], 6700);

    // Paid in full, the webhook's amount check agrees with the order's total.
    pay(&intent_id(&session), "pm_card_visa").await;
    let body = succeeded_event("evt_priced", &session, 6700, "eur");
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    assert_eq!(order(&app, &session).await["status"], "paid");
}
