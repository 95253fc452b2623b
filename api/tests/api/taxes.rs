//! What the shop knows of tax so far: whether its prices include it, and each product's tax class.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

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
