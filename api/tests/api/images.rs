//! Product images: paths on the shop itself, or URLs on the origins IMAGE_ORIGINS lists, which
//! nginx's CSP lets the storefront load; the admin API refuses every other host.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, product_body, spawn_app, spawn_app_with};

const ORIGINS: &str = "https://images.example.com, https://cdn.example.net:8443";

/// A product on sale (shoppers only see products with a variant) with one picture.
fn with_image(slug: &str, url: &str) -> Value {
    let sku = format!("{}-1", slug.to_uppercase());
    let mut body = product_body(slug, "Pictured", "EUR", &[(&sku, 2500, 3)]);
    body["images"] = json!([{"url": url, "alt": "A picture of the product"}]);
    body
}

/// Asserts a 422 that names the images field and returns its detail.
async fn assert_image_refused(app: &TestApp, method: Method, path: &str, body: &Value) -> String {
    let response = app.admin(method, path).json(body).send().await.unwrap();
    let problem = assert_problem(response, 422, "validation").await;
    let detail = problem["detail"].as_str().unwrap_or_default().to_owned();
    assert!(detail.starts_with("images: "), "{problem}");
    detail
}

#[tokio::test]
async fn images_on_a_listed_origin_are_accepted_and_shown_to_shoppers() {
    let app = spawn_app_with(&[("IMAGE_ORIGINS", ORIGINS)]).await;
    let product = app
        .create_product(with_image(
            "cdn-tee",
            "https://images.example.com/tees/white.png",
        ))
        .await;
    assert_eq!(
        product["images"][0]["url"],
        "https://images.example.com/tees/white.png"
    );
    let id = product["id"].as_str().unwrap();

    let (status, updated) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/products/{id}"),
            &json!({"images": [
                {"url": "https://cdn.example.net:8443/tees/white.webp?w=480", "alt": "Front"},
                {"url": "/images/products/classic-tee.svg", "alt": "Drawing"},
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    let shown = app.get_json("/products/cdn-tee").await;
    assert_eq!(
        shown["images"][0]["url"],
        "https://cdn.example.net:8443/tees/white.webp?w=480"
    );
    assert_eq!(
        shown["images"][1]["url"],
        "/images/products/classic-tee.svg"
    );
}

#[tokio::test]
async fn images_from_unlisted_origins_or_over_http_are_refused() {
    let app = spawn_app_with(&[("IMAGE_ORIGINS", ORIGINS)]).await;
    for url in [
        "https://elsewhere.example/a.png",
        "https://images.example.com.evil.example/a.png",
        "https://images.example.com@evil.example/a.png",
        "https://cdn.example.net/a.png",
        "http://images.example.com/a.png",
    ] {
        let detail =
            assert_image_refused(&app, Method::POST, "/admin/products", &with_image("x", url))
                .await;
        assert!(
            detail.contains("https://images.example.com"),
            "{url}: {detail}"
        );
    }

    let product = app
        .create_product(with_image("kept", "https://images.example.com/kept.png"))
        .await;
    let id = product["id"].as_str().unwrap();
    assert_image_refused(
        &app,
        Method::PATCH,
        &format!("/admin/products/{id}"),
        &json!({"images": [{"url": "https://elsewhere.example/a.png", "alt": "x"}]}),
    )
    .await;
    let shown = app.get_json("/products/kept").await;
    assert_eq!(
        shown["images"][0]["url"],
        "https://images.example.com/kept.png"
    );
}

#[tokio::test]
async fn without_image_origins_only_local_paths_are_accepted() {
    let app = spawn_app().await;
    app.create_product(with_image("local", "/images/products/canvas-tote.svg"))
        .await;
    let detail = assert_image_refused(
        &app,
        Method::POST,
        "/admin/products",
        &with_image("remote", "https://images.example.com/a.png"),
    )
    .await;
    assert!(detail.contains("no other origin"), "{detail}");
}
