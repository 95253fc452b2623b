//! Shipping zones and their rates through the admin API: each country in one zone at most, even
//! when two admins claim it at once, and every amount in the shop's currency.

mod races;
mod rates;
mod zones;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, assert_problem, spawn_app};

const NO_SUCH_ID: &str = "00000000-0000-0000-0000-000000000001";

async fn create_zone(app: &TestApp, name: &str, countries: &[&str]) -> Value {
    let (status, zone) = app
        .admin_json(
            Method::POST,
            "/admin/shipping-zones",
            &json!({"name": name, "countries": countries}),
        )
        .await;
    assert_eq!(status, 201, "create zone {name}: {zone}");
    zone
}

async fn create_rate(app: &TestApp, zone: &Value, body: Value) -> Value {
    let (status, rate) = app
        .admin_json(
            Method::POST,
            &format!(
                "/admin/shipping-zones/{}/rates",
                zone["id"].as_str().unwrap()
            ),
            &body,
        )
        .await;
    assert_eq!(status, 201, "create rate: {rate}");
    rate
}

fn eur(amount: i64) -> Value {
    json!({"amount": amount, "currency": "EUR"})
}

async fn zone_names(app: &TestApp) -> Vec<String> {
    let (status, list) = app
        .admin_json(Method::GET, "/admin/shipping-zones", &Value::Null)
        .await;
    assert_eq!(status, 200, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|zone| zone["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Sends an admin request and asserts the problem it answers.
async fn refused(
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
    status: u16,
    problem: &str,
) -> Value {
    let response = app.admin(method, path).json(body).send().await.unwrap();
    assert_problem(response, status, problem).await
}

#[tokio::test]
async fn unknown_zones_and_rates_are_not_found() {
    let app = spawn_app().await;
    let zone = format!("/admin/shipping-zones/{NO_SUCH_ID}");
    let rate = format!("/admin/shipping-rates/{NO_SUCH_ID}");
    let cases = [
        (Method::GET, zone.clone(), json!(null)),
        (Method::PATCH, zone.clone(), json!({"name": "Europe"})),
        (Method::PATCH, zone.clone(), json!({"countries": ["FR"]})),
        (Method::DELETE, zone.clone(), json!(null)),
        (
            Method::POST,
            format!("{zone}/rates"),
            json!({"name": "Standard", "price": eur(495)}),
        ),
        (Method::PATCH, rate.clone(), json!({"name": "Standard"})),
        (Method::DELETE, rate.clone(), json!(null)),
        (
            Method::GET,
            "/admin/shipping-zones/europe".to_owned(),
            json!(null),
        ),
        (
            Method::DELETE,
            "/admin/shipping-rates/1".to_owned(),
            json!(null),
        ),
    ];
    for (method, path, body) in cases {
        refused(&app, method, &path, &body, 404, "not-found").await;
    }
    // The country asked for in a zone that does not exist stays free.
    create_zone(&app, "France", &["FR"]).await;
}

#[tokio::test]
async fn shipping_needs_the_admin_token() {
    let app = spawn_app().await;
    let zone = create_zone(&app, "Europe", &["FR"]).await;
    let rate = create_rate(&app, &zone, json!({"name": "Standard", "price": eur(495)})).await;
    let zone_path = format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap());
    let rate_path = format!("/admin/shipping-rates/{}", rate["id"].as_str().unwrap());
    let operations = [
        (
            Method::POST,
            "/admin/shipping-zones".to_owned(),
            json!({"name": "Asia", "countries": ["JP"]}),
        ),
        (Method::GET, "/admin/shipping-zones".to_owned(), json!(null)),
        (Method::GET, zone_path.clone(), json!(null)),
        (Method::PATCH, zone_path.clone(), json!({"name": "Taken"})),
        (Method::DELETE, zone_path.clone(), json!(null)),
        (
            Method::POST,
            format!("{zone_path}/rates"),
            json!({"name": "Express", "price": eur(1500)}),
        ),
        (Method::PATCH, rate_path.clone(), json!({"name": "Taken"})),
        (Method::DELETE, rate_path.clone(), json!(null)),
    ];
    for (method, path, body) in &operations {
        let anonymous = app
            .request(method.clone(), path)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_problem(anonymous, 401, "unauthorized").await;
        let wrong = app
            .request(method.clone(), path)
            .bearer_auth(format!("{ADMIN_TOKEN}x"))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_problem(wrong, 401, "unauthorized").await;
    }
    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(read["name"], "Europe");
    assert_eq!(read["rates"], json!([rate]));
    assert_eq!(zone_names(&app).await, ["Europe"]);
}
