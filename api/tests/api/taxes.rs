//! Tax as the admin sets it up: whether prices include it, each product's tax class, and each
//! country's rates.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_storefront_is_told_whether_prices_include_tax() {
    let eu = spawn_app().await;
    assert_eq!(eu.get_json("/config").await["prices_include_tax"], true);
    let us = spawn_app_with(&[("PRICES_INCLUDE_TAX", "false")]).await;
    assert_eq!(us.get_json("/config").await["prices_include_tax"], false);
}

#[tokio::test]
async fn a_product_is_taxed_at_the_standard_rate_unless_the_admin_says_reduced() {
    let app = spawn_app().await;
    let product = app
        .create_product(json!({"slug": "book", "name": "Book"}))
        .await;
    assert_eq!(product["tax_class"], "standard");
    let path = format!("/admin/products/{}", product["id"].as_str().unwrap());

    let (status, reduced) = app
        .admin_json(Method::PATCH, &path, &json!({"tax_class": "reduced"}))
        .await;
    assert_eq!(
        (status, reduced["tax_class"].as_str()),
        (200, Some("reduced"))
    );
    let (status, problem) = app
        .admin_json(Method::PATCH, &path, &json!({"tax_class": "zero"}))
        .await;
    assert_eq!(status, 422, "{problem}");
    let (_, kept) = app.admin_json(Method::GET, &path, &json!({})).await;
    assert_eq!(kept["tax_class"], "reduced");

    let created = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &json!({"slug": "bread", "name": "Bread", "tax_class": "reduced"}),
        )
        .await;
    assert_eq!(
        (created.0, created.1["tax_class"].as_str()),
        (201, Some("reduced"))
    );
}

#[tokio::test]
async fn a_countrys_rates_are_set_read_replaced_listed_and_deleted() {
    let app = spawn_app().await;
    let (status, missing) = app
        .admin_json(Method::GET, "/admin/tax-rates/FR", &Value::Null)
        .await;
    assert_eq!(
        (status, missing["type"].as_str()),
        (404, Some("urn:shop:problem:not-found"))
    );

    let france = json!({"name": " VAT ", "standard_rate_bp": 2000, "reduced_rate_bp": 550});
    let (status, created) = app
        .admin_json(Method::PUT, "/admin/tax-rates/FR", &france)
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["country"], "FR");
    assert_eq!(created["name"], "VAT");
    assert_eq!(created["standard_label"], "VAT 20 %");
    assert_eq!(created["reduced_label"], "VAT 5.5 %");

    let (status, replaced) = app
        .admin_json(
            Method::PUT,
            "/admin/tax-rates/FR",
            &json!({"name": "TVA", "standard_rate_bp": 2100}),
        )
        .await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["reduced_rate_bp"], Value::Null);
    assert_eq!(replaced["standard_label"], "TVA 21 %");
    let (_, read) = app
        .admin_json(Method::GET, "/admin/tax-rates/FR", &Value::Null)
        .await;
    assert_eq!(read, replaced);

    app.admin_json(
        Method::PUT,
        "/admin/tax-rates/DE",
        &json!({"name": "MwSt", "standard_rate_bp": 1900, "reduced_rate_bp": 700}),
    )
    .await;
    let (_, list) = app
        .admin_json(Method::GET, "/admin/tax-rates", &Value::Null)
        .await;
    let countries: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rates| rates["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["DE", "FR"]);

    let deleted = app
        .admin(Method::DELETE, "/admin/tax-rates/FR")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let again = app
        .admin(Method::DELETE, "/admin/tax-rates/FR")
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "not-found").await;
}

#[tokio::test]
async fn rates_refuse_bad_fields_naming_them_and_unknown_countries() {
    let app = spawn_app().await;
    for (body, field) in [
        (json!({"name": "", "standard_rate_bp": 2000}), "name"),
        (
            json!({"name": "VAT\u{7}", "standard_rate_bp": 2000}),
            "name",
        ),
        (
            json!({"name": "x".repeat(41), "standard_rate_bp": 2000}),
            "name",
        ),
        (
            json!({"name": "VAT", "standard_rate_bp": -1}),
            "standard_rate_bp",
        ),
        (
            json!({"name": "VAT", "standard_rate_bp": 10001}),
            "standard_rate_bp",
        ),
        (
            json!({"name": "VAT", "standard_rate_bp": 2000, "reduced_rate_bp": 20000}),
            "reduced_rate_bp",
        ),
        (json!({"name": "VAT"}), "standard_rate_bp"),
        (
            json!({"name": "VAT", "standard_rate_bp": 2000, "zero": 0}),
            "zero",
        ),
    ] {
        let response = app
            .admin(Method::PUT, "/admin/tax-rates/FR")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, 422, "validation").await;
        assert_eq!(problem["field"], field, "{body}: {problem}");
    }
    for country in ["fr", "XK", "FRA"] {
        let response = app
            .admin(Method::PUT, &format!("/admin/tax-rates/{country}"))
            .json(&json!({"name": "VAT", "standard_rate_bp": 2000}))
            .send()
            .await
            .unwrap();
        assert_problem(response, 404, "not-found").await;
    }
    let (_, list) = app
        .admin_json(Method::GET, "/admin/tax-rates", &Value::Null)
        .await;
    assert_eq!(list["items"], json!([]));
    let anonymous = app
        .request(Method::GET, "/admin/tax-rates")
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
}
