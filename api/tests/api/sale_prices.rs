//! Sale prices: a variant's compare-at price is shown wherever its price is, the sale price is
//! what is charged, and an order keeps both as they were when it was placed.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, cart_now, cart_with, checkout, order, spawn_app, stripe_intent};

async fn tee_on_sale(app: &TestApp) -> Value {
    app.create_product(json!({
        "slug": "sale-tee", "name": "Sale Tee",
        "variants": [{"sku": "SALE-M", "title": "M", "stock_on_hand": 5,
                      "price": {"amount": 2500, "currency": "EUR"},
                      "compare_at_price": {"amount": 3500, "currency": "EUR"}}],
    }))
    .await
}

fn amount(money: &Value) -> Option<i64> {
    money["amount"].as_i64()
}

#[tokio::test]
async fn a_sale_shows_its_compare_at_price_everywhere_and_charges_the_sale_price() {
    let app = spawn_app().await;
    let product = tee_on_sale(&app).await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        amount(&product["variants"][0]["compare_at_price"]),
        Some(3500)
    );

    let shown = app.get_json("/products/sale-tee").await;
    assert_eq!(amount(&shown["variants"][0]["price"]), Some(2500));
    assert_eq!(
        amount(&shown["variants"][0]["compare_at_price"]),
        Some(3500)
    );

    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let line = &cart_now(&app, &cart).await["lines"][0];
    assert_eq!(amount(&line["unit_price"]), Some(2500));
    assert_eq!(amount(&line["compare_at_price"]), Some(3500));
    assert_eq!(amount(&line["line_total"]), Some(5000));

    let session: Value = checkout(&app, &cart, "sale").await.json().await.unwrap();
    assert_eq!(amount(&session["amount"]), Some(5000));
    assert_eq!(stripe_intent(&session).await["amount"], 5000);

    // The sale ends; the order keeps what it was sold at.
    let (status, ended) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant}"),
            &json!({"compare_at_price": null}),
        )
        .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["compare_at_price"], Value::Null);
    assert_eq!(
        ended["price"]["amount"], 2500,
        "ending a sale leaves the price"
    );
    let shown = app.get_json("/products/sale-tee").await;
    assert_eq!(shown["variants"][0]["compare_at_price"], Value::Null);
    let placed = order(&app, &session).await;
    assert_eq!(amount(&placed["lines"][0]["compare_at_price"]), Some(3500));
    assert_eq!(amount(&placed["lines"][0]["unit_price"]), Some(2500));
}

#[tokio::test]
async fn a_compare_at_price_is_above_the_price_and_in_its_currency() {
    let app = spawn_app().await;
    let create = |compare_at: Value| {
        let app = &app;
        async move {
            app.admin_json(
                Method::POST,
                "/admin/products",
                &json!({"slug": "x", "name": "X", "variants": [{"sku": "X-1", "title": "X",
                        "price": {"amount": 2500, "currency": "EUR"}, "compare_at_price": compare_at}]}),
            )
            .await
        }
    };
    for refused in [
        json!({"amount": 2500, "currency": "EUR"}),
        json!({"amount": 2000, "currency": "EUR"}),
        json!({"amount": 3500, "currency": "USD"}),
        json!({"amount": -1, "currency": "EUR"}),
    ] {
        let (status, problem) = create(refused.clone()).await;
        assert_eq!(status, 422, "{refused}: {problem}");
        assert_eq!(
            problem["field"], "variants[0].compare_at_price",
            "{problem}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .starts_with("variants[0].compare_at_price: ")
        );
    }

    let product = tee_on_sale(&app).await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let patch = |body: Value| {
        let app = &app;
        let path = format!("/admin/variants/{variant}");
        async move { app.admin_json(Method::PATCH, &path, &body).await }
    };
    // A price at or above the sale's compare-at price is refused while the sale lasts...
    let (status, problem) = patch(json!({"price": {"amount": 3500, "currency": "EUR"}})).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("price")),
        "{problem}"
    );
    let (status, problem) =
        patch(json!({"compare_at_price": {"amount": 2400, "currency": "EUR"}})).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("compare_at_price")),
        "{problem}"
    );
    // ...and taken with a compare-at price above it, in one patch.
    let (status, raised) = patch(json!({
        "price": {"amount": 3500, "currency": "EUR"},
        "compare_at_price": {"amount": 4500, "currency": "EUR"},
    }))
    .await;
    assert_eq!(status, 200, "{raised}");
    assert_eq!(amount(&raised["compare_at_price"]), Some(4500));
    // A patch that leaves the sale alone keeps it.
    let (_, kept) = patch(json!({"title": "Medium"})).await;
    assert_eq!(amount(&kept["compare_at_price"]), Some(4500));

    // The database holds the rule too.
    use shop_api::db::schema::variants;
    let broken = diesel::update(variants::table)
        .set(variants::compare_at_amount.eq(Some(100i64)))
        .execute(&mut app.db());
    assert!(
        broken.is_err(),
        "a compare-at price below the price was stored"
    );
}

#[tokio::test]
async fn the_demo_catalog_has_a_sale() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;
    let jacket = app.get_json("/products/rain-jacket").await;
    assert_eq!(amount(&jacket["variants"][0]["price"]), Some(13900));
    assert_eq!(
        amount(&jacket["variants"][0]["compare_at_price"]),
        Some(17900)
    );
}
