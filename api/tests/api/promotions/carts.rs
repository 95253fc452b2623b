//! A code on a cart: one at a time, in any case, and each refusal its own problem type.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::{apply, create_promotion};
use crate::helpers::{assert_problem, cart_now, cart_with, checkout, eur, spawn_app, tee};

#[tokio::test]
async fn a_code_takes_its_discount_off_the_cart_in_any_case_one_at_a_time() {
    let app = spawn_app().await;
    create_promotion(&app, json!({"code": "TEN", "percent_off_bp": 1000})).await;
    create_promotion(&app, json!({"code": "FIVE-EUROS", "amount_off": eur(500)})).await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 2)]).await;

    let response = apply(&app, &cart, " ten ").await;
    assert_eq!(response.status(), 200);
    let applied: Value = response.json().await.unwrap();
    assert_eq!(applied["promotion"]["code"], "TEN");
    assert_eq!(applied["promotion"]["description"], "10 % off");
    assert_eq!(applied["promotion"]["applies"], true);
    assert_eq!(applied["promotion"]["discount"]["amount"], 500);
    assert_eq!(applied["totals"]["discount"]["amount"], 500);
    assert_eq!(applied["totals"]["total"]["amount"], 4500);

    let replaced: Value = apply(&app, &cart, "five-euros").await.json().await.unwrap();
    assert_eq!(
        replaced["promotion"]["code"], "FIVE-EUROS",
        "one code per cart"
    );
    assert_eq!(replaced["promotion"]["description"], "5.00 EUR off");
    assert_eq!(replaced["totals"]["total"]["amount"], 4500);

    let other = app
        .request(
            Method::DELETE,
            &format!("/carts/{}/promotions/TEN", cart.id),
        )
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap();
    assert_problem(other, 404, "not-found").await;
    let removed = app
        .request(
            Method::DELETE,
            &format!("/carts/{}/promotions/five-euros", cart.id),
        )
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200);
    let removed: Value = removed.json().await.unwrap();
    assert_eq!(removed["promotion"], Value::Null);
    assert_eq!(removed["totals"]["total"]["amount"], 5000);
}

#[tokio::test]
async fn each_refusal_has_its_own_problem_type_and_changes_nothing() {
    let app = spawn_app().await;
    let hour = Duration::hours(1);
    create_promotion(
        &app,
        json!({"code": "OVER", "percent_off_bp": 1000, "ends_at": Utc::now() - hour}),
    )
    .await;
    create_promotion(
        &app,
        json!({"code": "SOON", "percent_off_bp": 1000, "starts_at": Utc::now() + hour}),
    )
    .await;
    create_promotion(
        &app,
        json!({"code": "BIG", "percent_off_bp": 1000, "min_subtotal": eur(10000)}),
    )
    .await;
    create_promotion(
        &app,
        json!({"code": "OFF", "percent_off_bp": 1000, "active": false}),
    )
    .await;
    let gone = create_promotion(
        &app,
        json!({"code": "GONE", "percent_off_bp": 1000, "max_redemptions": 1}),
    )
    .await;
    {
        use diesel::prelude::*;
        use shop_api::db::schema::promotions::dsl as p;
        diesel::update(p::promotions.filter(p::code.eq("GONE")))
            .set(p::redemptions.eq(1))
            .execute(&mut app.db())
            .unwrap();
    }
    assert_eq!(gone["redemptions"], 0);
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 1)]).await;
    let before = cart_now(&app, &cart).await;
    for (code, kind) in [
        ("NOPE", "promotion-unknown"),
        ("x", "promotion-unknown"),
        ("OFF", "promotion-unknown"),
        ("OVER", "promotion-expired"),
        ("SOON", "promotion-not-yet-valid"),
        ("GONE", "promotion-exhausted"),
        ("big", "promotion-minimum-not-met"),
    ] {
        let problem = assert_problem(apply(&app, &cart, code).await, 422, kind).await;
        assert_eq!(problem["field"], "code", "{problem}");
    }
    let after = cart_now(&app, &cart).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["promotion"], Value::Null);
}

#[tokio::test]
async fn a_cart_that_falls_below_the_minimum_loses_the_discount_and_is_told_why() {
    let app = spawn_app().await;
    create_promotion(
        &app,
        json!({"code": "FIFTY", "amount_off": eur(1000), "min_subtotal": eur(5000)}),
    )
    .await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 2)]).await;
    assert_eq!(apply(&app, &cart, "FIFTY").await.status(), 200);
    let line = cart_now(&app, &cart).await["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shrunk: Value = app
        .request(Method::PATCH, &format!("/carts/{}/items/{line}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"quantity": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shrunk["promotion"]["applies"], false);
    assert_eq!(shrunk["totals"]["discount"]["amount"], 0);
    assert_eq!(shrunk["totals"]["total"]["amount"], 2500);
    assert_eq!(shrunk["notices"][0]["code"], "promotion_not_applicable");
    assert!(
        shrunk["notices"][0]["message"]
            .as_str()
            .unwrap()
            .contains("50.00 EUR"),
        "{shrunk}"
    );
    let refused = checkout(&app, &cart, "k").await;
    assert_problem(refused, 422, "promotion-minimum-not-met").await;
}
