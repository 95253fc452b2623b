use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

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
