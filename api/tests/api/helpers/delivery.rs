//! Where a cart goes: the shipping zones and tax rates an admin sets up, and the address and
//! shipping method a shopper gives.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::app::TestApp;
use super::shopper::Cart;

/// The rates of the zone [`ship_to_europe`] sets up.
pub struct Europe {
    pub zone: String,
    /// EUR 5.00, free from EUR 50.00.
    pub standard: String,
    /// EUR 15.00 plus EUR 1.00 per unit.
    pub express: String,
}

pub async fn create_zone(app: &TestApp, name: &str, countries: &[&str]) -> String {
    let (status, zone) = app
        .admin_json(
            Method::POST,
            "/admin/shipping-zones",
            &json!({"name": name, "countries": countries}),
        )
        .await;
    assert_eq!(status, 201, "{zone}");
    zone["id"].as_str().unwrap().to_owned()
}

pub async fn create_rate(app: &TestApp, zone: &str, body: Value) -> String {
    let (status, rate) = app
        .admin_json(
            Method::POST,
            &format!("/admin/shipping-zones/{zone}/rates"),
            &body,
        )
        .await;
    assert_eq!(status, 201, "{rate}");
    rate["id"].as_str().unwrap().to_owned()
}

pub fn eur(amount: i64) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

/// France and Germany, with a standard and an express rate.
pub async fn ship_to_europe(app: &TestApp) -> Europe {
    let zone = create_zone(app, "Europe", &["FR", "DE"]).await;
    let standard = create_rate(
        app,
        &zone,
        json!({"name": "Standard", "price": eur(500), "free_above": eur(5000)}),
    )
    .await;
    let express = create_rate(
        app,
        &zone,
        json!({"name": "Express", "price": eur(1500), "per_item": eur(100), "position": 1}),
    )
    .await;
    Europe {
        zone,
        standard,
        express,
    }
}

pub async fn set_tax(app: &TestApp, country: &str, standard_bp: i64, reduced_bp: Option<i64>) {
    let (status, body) = app
        .admin_json(
            Method::PUT,
            &format!("/admin/tax-rates/{country}"),
            &json!({"name": "VAT", "standard_rate_bp": standard_bp, "reduced_rate_bp": reduced_bp}),
        )
        .await;
    assert!(status == 200 || status == 201, "{body}");
}

/// A good address in `country`.
pub fn address(country: &str) -> Value {
    json!({
        "name": "Ada Lovelace",
        "line1": "12 Rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": country,
        "phone": "+33123456789",
    })
}

/// `PUT /carts/{id}/{what}` (`shipping-address`, `billing-address`, `shipping-method`).
pub async fn put_cart(app: &TestApp, cart: &Cart, what: &str, body: &Value) -> Response {
    app.request(Method::PUT, &format!("/carts/{}/{what}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Sets the address and the method, asserting both succeed; answers the cart.
pub async fn deliver_to(app: &TestApp, cart: &Cart, country: &str, rate: &str) -> Value {
    let response = put_cart(app, cart, "shipping-address", &address(country)).await;
    assert_eq!(response.status(), 200);
    let response = put_cart(app, cart, "shipping-method", &json!({"rate_id": rate})).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub async fn shipping_options(app: &TestApp, cart: &Cart) -> Response {
    app.request(Method::GET, &format!("/carts/{}/shipping-options", cart.id))
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap()
}

/// Gives an open cart with lines and no shipping method an address in Luxembourg, shipped for
/// nothing and taxed at no rate, so that a checkout test's amounts are its lines' alone. The
/// zone is made once per app; tests of shipping use other countries.
pub async fn ensure_delivery(app: &TestApp, cart: &Cart) {
    let response = app
        .request(Method::GET, &format!("/carts/{}", cart.id))
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap();
    if response.status() != 200 {
        return;
    }
    let current: Value = response.json().await.unwrap();
    let lines = current["lines"].as_array().map_or(0, Vec::len);
    if current["status"] != "open" || lines == 0 || !current["shipping_method"].is_null() {
        return;
    }
    let currency = current["currency"].clone();
    let rate = app
        .default_rate
        .get_or_init(|| async {
            let zone = create_zone(app, "Checkout tests", &["LU"]).await;
            let free = json!({"amount": 0, "currency": currency});
            create_rate(app, &zone, json!({"name": "Free", "price": free})).await
        })
        .await;
    deliver_to(app, cart, "LU", rate).await;
}
