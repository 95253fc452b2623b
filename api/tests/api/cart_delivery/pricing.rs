//! Shipping options and the chosen method, priced with tax into the cart's totals.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, address, assert_problem, cart_now, cart_with, create_rate, create_zone, deliver_to,
    eur, put_cart, set_tax, ship_to_europe, shipping_options, spawn_app, spawn_app_with, tee,
};

fn amounts(options: &Value) -> Vec<(String, i64)> {
    options["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| {
            (
                option["name"].as_str().unwrap().to_owned(),
                option["price"]["amount"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn set_quantity(app: &TestApp, cart: &crate::helpers::Cart, quantity: i64) {
    let line = cart_now(app, cart).await["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .request(Method::PATCH, &format!("/carts/{}/items/{line}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"quantity": quantity}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_options_are_the_active_rates_of_the_addresss_zone_priced_for_the_cart() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    create_rate(
        &app,
        &europe.zone,
        json!({"name": "Pigeon", "price": eur(100), "active": false}),
    )
    .await;
    let americas = create_zone(&app, "Americas", &["US"]).await;
    create_rate(
        &app,
        &americas,
        json!({"name": "Overseas", "price": eur(4000)}),
    )
    .await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 1)]).await;

    let problem = assert_problem(shipping_options(&app, &cart).await, 409, "cart-incomplete").await;
    assert_eq!(problem["field"], "shipping_address");

    put_cart(&app, &cart, "shipping-address", &address("FR")).await;
    let options: Value = shipping_options(&app, &cart).await.json().await.unwrap();
    assert_eq!(options["country"], "FR");
    assert_eq!(
        amounts(&options),
        [("Standard".to_owned(), 500), ("Express".to_owned(), 1600)]
    );
    assert_eq!(options["options"][0]["free_above"]["amount"], 5000);

    set_quantity(&app, &cart, 2).await;
    let options: Value = shipping_options(&app, &cart).await.json().await.unwrap();
    assert_eq!(
        amounts(&options),
        [("Standard".to_owned(), 0), ("Express".to_owned(), 1700)],
        "free from EUR 50.00; one euro more per unit"
    );

    put_cart(&app, &cart, "shipping-address", &address("US")).await;
    let options: Value = shipping_options(&app, &cart).await.json().await.unwrap();
    assert_eq!(amounts(&options), [("Overseas".to_owned(), 4000)]);
}

#[tokio::test]
async fn a_method_must_be_an_option_for_the_address() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    let americas = create_zone(&app, "Americas", &["US"]).await;
    let overseas = create_rate(
        &app,
        &americas,
        json!({"name": "Overseas", "price": eur(4000)}),
    )
    .await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 1)]).await;

    let early = put_cart(
        &app,
        &cart,
        "shipping-method",
        &json!({"rate_id": europe.standard}),
    )
    .await;
    assert_eq!(
        assert_problem(early, 409, "cart-incomplete").await["field"],
        "shipping_address"
    );
    put_cart(&app, &cart, "shipping-address", &address("FR")).await;
    for rate in [overseas.as_str(), "00000000-0000-0000-0000-000000000001"] {
        let response = put_cart(&app, &cart, "shipping-method", &json!({"rate_id": rate})).await;
        assert_eq!(
            assert_problem(response, 422, "validation").await["field"],
            "rate_id"
        );
    }
    let chosen = put_cart(
        &app,
        &cart,
        "shipping-method",
        &json!({"rate_id": europe.express}),
    )
    .await;
    assert_eq!(chosen.status(), 200);
    let chosen: Value = chosen.json().await.unwrap();
    assert_eq!(
        chosen["shipping_method"]["rate_id"],
        europe.express.as_str()
    );
    assert_eq!(chosen["shipping_method"]["price"]["amount"], 1600);
    assert_eq!(chosen["totals"]["shipping"]["amount"], 1600);
    assert_eq!(chosen["totals"]["total"]["amount"], 2500 + 1600);
}

#[tokio::test]
async fn tax_is_taken_from_inclusive_prices_per_line_and_on_shipping() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    set_tax(&app, "FR", 2000, Some(550)).await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 2)]).await;
    let cart_view = deliver_to(&app, &cart, "FR", &europe.express).await;
    let totals = &cart_view["totals"];
    // 2 × 25.00 = 50.00 holds 8.33 of VAT at 20 %; shipping 17.00 holds 2.83.
    assert_eq!(totals["subtotal"]["amount"], 5000);
    assert_eq!(totals["shipping"]["amount"], 1700);
    assert_eq!(totals["tax"]["amount"], 833 + 283);
    assert_eq!(totals["tax_included"], true);
    assert_eq!(totals["tax_pending"], false);
    assert_eq!(totals["total"]["amount"], 6700);
    assert_eq!(
        totals["tax_lines"],
        json!([{"label": "VAT 20 %", "rate_bp": 2000,
                "amount": {"amount": 1116, "currency": "EUR", "decimal": "11.16"}}])
    );

    // Germany has no rates here: no tax at all, and the same total.
    put_cart(&app, &cart, "shipping-address", &address("DE")).await;
    let untaxed = cart_now(&app, &cart).await;
    assert_eq!(untaxed["totals"]["tax"]["amount"], 0);
    assert_eq!(untaxed["totals"]["tax_lines"], json!([]));
    assert_eq!(untaxed["totals"]["total"]["amount"], 6700);
}

#[tokio::test]
async fn tax_is_added_to_exclusive_prices_at_each_products_rate() {
    let app = spawn_app_with(&[("PRICES_INCLUDE_TAX", "false")]).await;
    let europe = ship_to_europe(&app).await;
    set_tax(&app, "FR", 2000, Some(550)).await;
    let book = app
        .create_product(json!({
            "slug": "book", "name": "Book", "tax_class": "reduced",
            "variants": [{"sku": "BOOK", "title": "Paperback",
                          "price": eur(1000), "stock_on_hand": 5}],
        }))
        .await;
    let book = book["variants"][0]["id"].as_str().unwrap().to_owned();
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 1), (&book, 1)]).await;
    let cart_view = deliver_to(&app, &cart, "FR", &europe.standard).await;
    let totals = &cart_view["totals"];
    // Tee 25.00 + 20 % = 5.00; book 10.00 + 5.5 % = 0.55; shipping 5.00 + 20 % = 1.00.
    assert_eq!(totals["tax_included"], false);
    assert_eq!(totals["tax"]["amount"], 500 + 55 + 100);
    assert_eq!(totals["total"]["amount"], 3500 + 500 + 655);
    let lines: Vec<(&str, i64)> = totals["tax_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["label"].as_str().unwrap(),
                line["amount"]["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("VAT 20 %", 600), ("VAT 5.5 %", 55)]);
}

#[tokio::test]
async fn a_method_is_cleared_when_the_address_leaves_its_zone_or_the_shop_withdraws_it() {
    let app = spawn_app().await;
    let europe = ship_to_europe(&app).await;
    let americas = create_zone(&app, "Americas", &["US"]).await;
    create_rate(
        &app,
        &americas,
        json!({"name": "Overseas", "price": eur(4000)}),
    )
    .await;
    let cart = cart_with(&app, &[(&tee(&app, 10).await, 1)]).await;
    deliver_to(&app, &cart, "FR", &europe.standard).await;

    let within: Value = put_cart(&app, &cart, "shipping-address", &address("DE"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        within["shipping_method"]["rate_id"],
        europe.standard.as_str()
    );
    assert_eq!(within["notices"], json!([]));

    let abroad: Value = put_cart(&app, &cart, "shipping-address", &address("US"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(abroad["shipping_method"], Value::Null);
    assert_eq!(abroad["totals"]["shipping"], Value::Null);
    assert_eq!(abroad["notices"][0]["code"], "shipping_method_cleared");
    assert_eq!(
        cart_now(&app, &cart).await["notices"],
        json!([]),
        "said once"
    );

    deliver_to(&app, &cart, "DE", &europe.express).await;
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/shipping-rates/{}", europe.express),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(status, 200);
    let withdrawn = cart_now(&app, &cart).await;
    assert_eq!(withdrawn["shipping_method"], Value::Null);
    assert_eq!(withdrawn["totals"]["shipping"], Value::Null);
    assert_eq!(withdrawn["totals"]["total"]["amount"], 2500);
    assert_eq!(withdrawn["notices"][0]["code"], "shipping_method_withdrawn");
}
