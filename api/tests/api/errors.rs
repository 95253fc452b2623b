use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_problem, cart_with, spawn_app, spawn_app_with, tee};

#[tokio::test]
async fn unknown_routes_are_problems() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/nothing",
        "/",
        "/api/v2/products",
        "/api/v1/admin-ish",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_problem(response, 404, "not-found").await;
    }
}

#[tokio::test]
async fn malformed_bodies_are_told_apart() {
    let app = spawn_app().await;
    let post = |body: &'static str, content_type: &'static str| {
        app.admin(Method::POST, "/admin/categories")
            .header("content-type", content_type)
            .body(body)
    };
    let syntax = post("{\"slug\": \"a\",", "application/json")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(syntax, 400, "invalid-request").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );

    let missing_field = post("{\"slug\": \"a\"}", "application/json")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(missing_field, 422, "validation").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("name"),
        "{problem}"
    );
    assert_eq!(problem["field"], "name");

    let unknown_field = post(
        "{\"slug\": \"a\", \"name\": \"A\", \"admin\": true}",
        "application/json",
    )
    .send()
    .await
    .unwrap();
    let problem = assert_problem(unknown_field, 422, "validation").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("admin"),
        "{problem}"
    );
    assert_eq!(problem["field"], "admin");

    let wrong_type = post("{\"slug\": 5, \"name\": \"A\"}", "application/json")
        .send()
        .await
        .unwrap();
    assert_problem(wrong_type, 422, "validation").await;

    let not_json = post("slug=a&name=A", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 415, "unsupported-media-type").await;

    let invalid_utf8 = app
        .admin(Method::POST, "/admin/categories")
        .header("content-type", "application/json")
        .body(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'])
        .send()
        .await
        .unwrap();
    assert_problem(invalid_utf8, 400, "invalid-request").await;

    // Nothing above was stored.
    assert_eq!(app.get_json("/categories").await["items"], json!([]));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app_with(&[("MAX_BODY_BYTES", "2048")]).await;
    let big_name = "x".repeat(4096);
    let response = app
        .admin(Method::POST, "/admin/categories")
        .json(&json!({"slug": "big", "name": big_name}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload-too-large").await;
    let response = app
        .admin(Method::POST, "/admin/categories")
        .json(&json!({"slug": "small", "name": "Small"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let app = spawn_app_with(&[("CORS_ALLOWED_ORIGINS", "https://partner.example")]).await;
    let allowed = app
        .request(Method::GET, "/products")
        .header("origin", "https://partner.example")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "https://partner.example"
    );

    let other = app
        .request(Method::GET, "/products")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let preflight = app
        .request(Method::OPTIONS, "/admin/products")
        .header("origin", "https://partner.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    let methods = preflight
        .headers()
        .get("access-control-allow-methods")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("POST"), "{methods}");

    // With no list configured (the default), no origin gets CORS headers.
    let default_app = spawn_app().await;
    let response = default_app
        .request(Method::GET, "/products")
        .header("origin", "https://partner.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn a_wrong_method_on_a_known_resource_is_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (Method::PUT, "/products", "GET"),
        (Method::DELETE, "/products/classic-tee", "GET"),
        (Method::GET, "/carts", "POST"),
        (
            Method::PUT,
            "/admin/products/00000000-0000-0000-0000-000000000001",
            "GET, PATCH, DELETE",
        ),
        (Method::POST, "/openapi.json", "GET"),
    ] {
        let response = app.admin(method.clone(), path).send().await.unwrap();
        assert_eq!(
            response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
        assert_problem(response, 405, "method-not-allowed").await;
    }
    let unknown = app
        .request(Method::PUT, "/nothing/here")
        .send()
        .await
        .unwrap();
    assert_problem(unknown, 404, "not-found").await;
}

#[tokio::test]
async fn deeply_nested_and_duplicated_json_is_refused() {
    let app = spawn_app().await;
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let duplicated = r#"{"slug": "a", "slug": "b", "name": "N"}"#;
    for body in [nested.as_str(), duplicated] {
        let response = app
            .admin(Method::POST, "/admin/categories")
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(status == 400 || status == 422, "{status}");
        assert_problem(
            response,
            status,
            if status == 400 {
                "invalid-request"
            } else {
                "validation"
            },
        )
        .await;
    }
    assert_eq!(app.get_json("/categories").await["items"], json!([]));
}

/// Every refusal of one input names it in `field`, so a form can show the message beside it.
#[tokio::test]
async fn a_refused_input_is_named_in_the_problem() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let cart = cart_with(&app, &[]).await;
    let add = |body: serde_json::Value| {
        app.request(Method::POST, &format!("/carts/{}/items", cart.id))
            .header("Cart-Secret", &cart.secret)
            .json(&body)
    };
    let zero = add(json!({"variant_id": variant, "quantity": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(zero, 422, "validation").await["field"],
        "quantity"
    );
    let unknown = add(json!({"variant_id": uuid::Uuid::new_v4(), "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(unknown, 422, "validation").await["field"],
        "variant_id"
    );

    add(json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    let email = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", "named")
        .json(&json!({"cart_id": cart.id, "email": "not an address"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(email, 422, "validation").await;
    assert_eq!(problem["field"], "email");
    assert!(problem["detail"].as_str().unwrap().starts_with("email: "));

    let (status, price) = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &json!({"slug": "x", "name": "X", "variants": [{"sku": "X-1", "title": "X", "price": {"amount": -5, "currency": "EUR"}}]}),
        )
        .await;
    assert_eq!(
        (status, price["field"].as_str()),
        (422, Some("variants[0].price")),
        "{price}"
    );
    // The second variant's fault names the second variant.
    let (status, sku) = app
        .admin_json(
            Method::POST,
            "/admin/products",
            &json!({"slug": "y", "name": "Y", "variants": [
                {"sku": "Y-1", "title": "Y", "price": {"amount": 500, "currency": "EUR"}},
                {"sku": "bad sku", "title": "Y", "price": {"amount": 500, "currency": "EUR"}}
            ]}),
        )
        .await;
    assert_eq!(
        (status, sku["field"].as_str()),
        (422, Some("variants[1].sku")),
        "{sku}"
    );

    // A refusal of the request as a whole names no field.
    let (status, both) = app
        .admin_json(
            Method::POST,
            &format!("/admin/variants/{variant}/stock"),
            &json!({"delta": 1, "on_hand": 3}),
        )
        .await;
    assert_eq!(status, 422, "{both}");
    assert!(both.get("field").is_none(), "{both}");
}
