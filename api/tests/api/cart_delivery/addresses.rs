//! Shipping and billing addresses on a cart.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    address, assert_problem, cart_now, cart_with, put_cart, ship_to_europe, spawn_app, tee,
};

#[tokio::test]
async fn an_address_is_checked_field_by_field_and_every_wrong_field_is_named() {
    let app = spawn_app().await;
    ship_to_europe(&app).await;
    let cart = cart_with(&app, &[(&tee(&app, 5).await, 1)]).await;
    let before = cart_now(&app, &cart).await;

    let wrong = json!({
        "name": "  ",
        "line1": "12 Rue de Rivoli",
        "city": "Paris",
        "postal_code": "<75001>",
        "country": "FR",
        "phone": "0123456789",
    });
    let response = put_cart(&app, &cart, "shipping-address", &wrong).await;
    let problem = assert_problem(response, 422, "validation").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "postal_code", "phone"], "{problem}");
    assert_eq!(problem["field"], "name");
    assert!(
        problem["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("letters, digits")
    );

    for (country, message) in [("US", "does not ship to US"), ("XK", "ISO 3166-1")] {
        let response = put_cart(&app, &cart, "shipping-address", &address(country)).await;
        let problem = assert_problem(response, 422, "validation").await;
        assert_eq!(problem["field"], "country");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{problem}"
        );
    }
    for (body, field) in [
        (json!({"name": "Ada"}), "line1"),
        (
            {
                let mut extra = address("FR");
                extra["company"] = json!("Analytical Engines");
                extra
            },
            "company",
        ),
        (json!(["Ada", "12 Rue de Rivoli"]), "body"),
    ] {
        let response = put_cart(&app, &cart, "shipping-address", &body).await;
        let problem = assert_problem(response, 422, "validation").await;
        if field != "body" {
            assert_eq!(problem["field"], field, "{problem}");
        }
    }
    let after = cart_now(&app, &cart).await;
    assert_eq!(
        after["version"], before["version"],
        "refusals change nothing"
    );
    assert_eq!(after["shipping_address"], Value::Null);

    // Codes are the list's, upper case, as the schema enumerates them.
    let lower = put_cart(&app, &cart, "shipping-address", &address("fr")).await;
    assert_eq!(
        assert_problem(lower, 422, "validation").await["field"],
        "country"
    );
    let mut padded = address("FR");
    padded["name"] = json!("  Ada Lovelace ");
    padded["line2"] = json!("   ");
    padded["phone"] = json!(" +33123456789 ");
    let response = put_cart(&app, &cart, "shipping-address", &padded).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let set: Value = response.json().await.unwrap();
    assert_eq!(set["shipping_address"]["country"], "FR");
    assert_eq!(set["shipping_address"]["line2"], Value::Null);
    assert_eq!(set["shipping_address"]["name"], "Ada Lovelace");
    assert_eq!(set["shipping_address"]["phone"], "+33123456789");
    assert_eq!(etag, format!("\"{}\"", set["version"]));
    assert_eq!(set["totals"]["tax_pending"], false);
}

#[tokio::test]
async fn the_billing_address_is_the_shipping_one_until_set_and_may_be_anywhere() {
    let app = spawn_app().await;
    ship_to_europe(&app).await;
    let cart = cart_with(&app, &[]).await;
    let empty = cart_now(&app, &cart).await;
    assert_eq!(empty["billing_address"], Value::Null);
    assert_eq!(empty["billing_same_as_shipping"], true);
    assert_eq!(empty["totals"]["tax_pending"], true);

    put_cart(&app, &cart, "shipping-address", &address("DE")).await;
    let shipped = cart_now(&app, &cart).await;
    assert_eq!(shipped["billing_address"], shipped["shipping_address"]);
    assert_eq!(shipped["billing_same_as_shipping"], true);

    let mut office = address("US");
    office["region"] = json!("NY");
    let response = put_cart(&app, &cart, "billing-address", &office).await;
    assert_eq!(
        response.status(),
        200,
        "the shop bills anywhere it is paid from"
    );
    let billed: Value = response.json().await.unwrap();
    assert_eq!(billed["billing_address"]["country"], "US");
    assert_eq!(billed["billing_address"]["region"], "NY");
    assert_eq!(billed["shipping_address"]["country"], "DE");
    assert_eq!(billed["billing_same_as_shipping"], false);

    let response = put_cart(
        &app,
        &cart,
        "billing-address",
        &json!({"name": "Ada", "line1": "x", "city": "y", "postal_code": "!", "country": "US"}),
    )
    .await;
    assert_eq!(
        assert_problem(response, 422, "validation").await["field"],
        "postal_code"
    );

    let reverted = app
        .request(
            Method::DELETE,
            &format!("/carts/{}/billing-address", cart.id),
        )
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap();
    assert_eq!(reverted.status(), 200);
    let reverted: Value = reverted.json().await.unwrap();
    assert_eq!(reverted["billing_same_as_shipping"], true);
    assert_eq!(reverted["billing_address"]["country"], "DE");
}

#[tokio::test]
async fn address_writes_need_the_secret_and_follow_if_match() {
    let app = spawn_app().await;
    ship_to_europe(&app).await;
    let cart = cart_with(&app, &[]).await;
    let stranger = app
        .request(Method::PUT, &format!("/carts/{}/shipping-address", cart.id))
        .header("Cart-Secret", "0".repeat(64))
        .json(&address("FR"))
        .send()
        .await
        .unwrap();
    assert_problem(stranger, 404, "not-found").await;
    let version = cart_now(&app, &cart).await["version"].as_i64().unwrap();
    let stale = app
        .request(Method::PUT, &format!("/carts/{}/shipping-address", cart.id))
        .header("Cart-Secret", &cart.secret)
        .header("If-Match", format!("\"{}\"", version - 1))
        .json(&address("FR"))
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let current = app
        .request(Method::PUT, &format!("/carts/{}/shipping-address", cart.id))
        .header("Cart-Secret", &cart.secret)
        .header("If-Match", format!("\"{version}\""))
        .json(&address("FR"))
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 200);
}
