use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, assert_problem, product_body, spawn_app, spawn_app_with};

/// Every operation the OpenAPI document marks as needing the admin token, so that a new one
/// cannot be forgotten here. The body does not matter: authentication comes first.
fn admin_operations() -> Vec<(Method, String, Value)> {
    let doc: Value = serde_json::from_str(&shop_api::openapi::document_json()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation["security"][0].get("admin_token").is_none() {
                continue;
            }
            let concrete = path
                .strip_prefix("/api/v1")
                .unwrap()
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "00000000-0000-0000-0000-000000000001"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            operations.push((method, concrete, json!({})));
        }
    }
    assert!(operations.len() >= 12, "{operations:?}");
    operations
}

#[tokio::test]
async fn every_admin_operation_refuses_missing_and_wrong_tokens() {
    let app = spawn_app().await;
    let off_by_one = {
        let mut token = ADMIN_TOKEN.to_owned();
        token.pop();
        token.push('X');
        token
    };
    for (method, path, body) in admin_operations() {
        let anonymous = app
            .request(method.clone(), &path)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            anonymous
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer realm=\"shop-admin\"")
        );
        assert_problem(anonymous, 401, "unauthorized").await;
        for wrong in [
            off_by_one.as_str(),
            "",
            &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1],
        ] {
            let response = app
                .request(method.clone(), &path)
                .bearer_auth(wrong)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_problem(response, 401, "unauthorized").await;
        }
        let basic = app
            .request(method.clone(), &path)
            .header("authorization", format!("Basic {ADMIN_TOKEN}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(basic, 401, "unauthorized").await;
    }
    // Nothing was written by any of the refused calls.
    assert_eq!(app.get_json("/categories").await["items"], json!([]));
    let (status, _) = app
        .admin_json(
            Method::POST,
            "/admin/categories",
            &json!({"slug": "c", "name": "C"}),
        )
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn without_a_configured_token_no_bearer_is_the_bootstrap_owner() {
    let app = spawn_app_with(&[("ADMIN_API_TOKEN", "")]).await;
    for (method, path, body) in admin_operations() {
        let response = app.admin(method, &path).json(&body).send().await.unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
}

#[tokio::test]
async fn products_are_created_with_validation() {
    let app = spawn_app().await;
    let (status, category) = app
        .admin_json(
            Method::POST,
            "/admin/categories",
            &json!({"slug": "hats", "name": "Hats"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .admin_json(
            Method::POST,
            "/admin/categories",
            &json!({"slug": "hats", "name": "Other"}),
        )
        .await;
    assert_eq!(status, 409);

    let mut body = product_body(
        "wool-hat",
        "Wool Hat",
        "EUR",
        &[("HAT-S", 2500, 4), ("HAT-L", 2700, 0)],
    );
    body["category_id"] = category["id"].clone();
    let product = app.create_product(body).await;
    assert_eq!(product["active"], true);
    assert_eq!(product["category_id"], category["id"]);
    assert_eq!(product["variants"][0]["stock_on_hand"], 4);
    assert_eq!(product["variants"][0]["stock_reserved"], 0);
    assert_eq!(product["variants"][1]["price"]["decimal"], "27.00");

    let cases: Vec<(Value, u16, &str)> = vec![
        (
            product_body("wool-hat", "Again", "EUR", &[]),
            409,
            "conflict",
        ),
        (
            product_body("other-hat", "Other", "EUR", &[("HAT-S", 1, 1)]),
            409,
            "conflict",
        ),
        (
            product_body("Bad Slug", "Bad", "EUR", &[]),
            422,
            "validation",
        ),
        (product_body("no-name", "  ", "EUR", &[]), 422, "validation"),
        (
            product_body("bad-currency", "X", "XYZ", &[("X-1", 1, 1)]),
            422,
            "validation",
        ),
        (
            product_body("lower-currency", "X", "eur", &[("X-2", 1, 1)]),
            422,
            "validation",
        ),
        (
            product_body("negative", "X", "EUR", &[("X-3", -1, 1)]),
            422,
            "validation",
        ),
        (
            product_body("huge", "X", "EUR", &[("X-4", 100_000_000, 1)]),
            422,
            "validation",
        ),
        (
            product_body("neg-stock", "X", "EUR", &[("X-5", 1, -1)]),
            422,
            "validation",
        ),
        (
            json!({"slug": "x", "name": "X", "price": 5}),
            422,
            "validation",
        ),
        (json!({"slug": "x"}), 422, "validation"),
        (
            json!({"slug": "x", "name": "X", "category_id": "00000000-0000-0000-0000-000000000009"}),
            422,
            "validation",
        ),
        (
            json!({"slug": "x", "name": "X", "images": [{"url": "javascript:alert(1)", "alt": "x"}]}),
            422,
            "validation",
        ),
        (
            json!({"slug": "x", "name": "X", "images": [{"url": "/a.png", "alt": ""}]}),
            422,
            "validation",
        ),
        (
            json!({"slug": "mixed", "name": "Mixed", "variants": [
            {"sku": "M-1", "title": "A", "price": {"amount": 1, "currency": "EUR"}},
            {"sku": "M-2", "title": "B", "price": {"amount": 1, "currency": "USD"}}]}),
            422,
            "validation",
        ),
    ];
    for (body, status, problem_type) in cases {
        let response = app
            .admin(Method::POST, "/admin/products")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(response, status, problem_type).await;
    }
    // Only the first product exists: failed creations left nothing behind, not even variants.
    let mut conn = app.db();
    let variants: i64 = shop_api::db::schema::variants::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(variants, 2);
    let products: i64 = shop_api::db::schema::products::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(products, 1);
}

#[tokio::test]
async fn products_and_variants_are_updated() {
    let app = spawn_app().await;
    let product = app
        .create_product(product_body("mug", "Mug", "EUR", &[("MUG-1", 1200, 5)]))
        .await;
    let id = product["id"].as_str().unwrap();
    let (_, category) = app
        .admin_json(
            Method::POST,
            "/admin/categories",
            &json!({"slug": "home", "name": "Home"}),
        )
        .await;

    let (status, updated) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/products/{id}"),
            &json!({"name": "Big Mug", "category_id": category["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Big Mug");
    assert_eq!(updated["slug"], "mug");
    assert_eq!(updated["category_id"], category["id"]);
    let (_, cleared) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/products/{id}"),
            &json!({"category_id": null}),
        )
        .await;
    assert_eq!(cleared["category_id"], Value::Null);
    assert_eq!(cleared["name"], "Big Mug");
    assert_eq!(app.get_json("/products/mug").await["name"], "Big Mug");

    let (status, variant) = app
        .admin_json(
            Method::POST,
            &format!("/admin/products/{id}/variants"),
            &json!({"sku": "MUG-2", "title": "Large", "price": {"amount": 1500, "currency": "EUR"}, "stock_on_hand": 2}),
        )
        .await;
    assert_eq!(status, 201, "{variant}");
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("/admin/products/{id}/variants"),
            &json!({"sku": "MUG-3", "title": "Dollar", "price": {"amount": 1500, "currency": "USD"}}),
        )
        .await;
    assert_eq!(status, 422);
    let variant_id = variant["id"].as_str().unwrap();
    let (status, repriced) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant_id}"),
            &json!({"price": {"amount": 1450, "currency": "EUR"}, "title": "XL"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(repriced["price"]["amount"], 1450);
    assert_eq!(repriced["title"], "XL");
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant_id}"),
            &json!({"price": {"amount": 1450, "currency": "GBP"}}),
        )
        .await;
    assert_eq!(status, 422);

    let missing = "00000000-0000-0000-0000-0000000000aa";
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/admin/products/{missing}"),
            json!({"name": "X"}),
        ),
        (
            Method::GET,
            format!("/admin/products/{missing}"),
            Value::Null,
        ),
        (
            Method::PATCH,
            format!("/admin/variants/{missing}"),
            json!({"title": "X"}),
        ),
        (
            Method::POST,
            format!("/admin/products/{missing}/variants"),
            json!({"sku": "Z", "title": "Z", "price": {"amount": 1, "currency": "EUR"}}),
        ),
        (
            Method::GET,
            "/admin/products/not-a-uuid".to_owned(),
            Value::Null,
        ),
    ] {
        let response = app.admin(method, &path).json(&body).send().await.unwrap();
        assert_problem(response, 404, "not-found").await;
    }

    let admin_view = app
        .admin(Method::GET, &format!("/admin/products/{id}"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(admin_view["variants"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn stock_adjustments_never_go_below_reservations() {
    let app = spawn_app().await;
    let product = app
        .create_product(product_body("lamp", "Lamp", "EUR", &[("LAMP-1", 4000, 5)]))
        .await;
    let variant_id = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/admin/variants/{variant_id}/stock");

    let (status, variant) = app
        .admin_json(Method::POST, &path, &json!({"delta": 3}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(variant["stock_on_hand"], 8);
    let (_, variant) = app
        .admin_json(Method::POST, &path, &json!({"delta": -2}))
        .await;
    assert_eq!(variant["stock_on_hand"], 6);
    let (_, variant) = app
        .admin_json(Method::POST, &path, &json!({"on_hand": 10}))
        .await;
    assert_eq!(variant["stock_on_hand"], 10);
    assert_eq!(variant["available"], 10);

    // A pending checkout holds 4 units.
    {
        use shop_api::db::schema::variants::dsl as v;
        let id: uuid::Uuid = variant_id.parse().unwrap();
        diesel::update(v::variants.find(id))
            .set(v::stock_reserved.eq(4))
            .execute(&mut app.db())
            .unwrap();
    }
    let response = app
        .admin(Method::POST, &path)
        .json(&json!({"on_hand": 3}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("4 units reserved"),
        "{problem}"
    );
    let response = app
        .admin(Method::POST, &path)
        .json(&json!({"delta": -7}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 409, "conflict").await;
    let (status, variant) = app
        .admin_json(Method::POST, &path, &json!({"delta": -6}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(variant["stock_on_hand"], 4);
    assert_eq!(variant["available"], 0);
    assert_eq!(app.get_json("/products/lamp").await["in_stock"], false);

    for body in [
        json!({}),
        json!({"delta": 1, "on_hand": 1}),
        json!({"on_hand": -1}),
        json!({"delta": 2_000_000}),
        json!({"delta": 1.5}),
    ] {
        let response = app
            .admin(Method::POST, &path)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(response, 422, "validation").await;
    }
    let missing = "/admin/variants/00000000-0000-0000-0000-0000000000bb/stock";
    let response = app
        .admin(Method::POST, missing)
        .json(&json!({"delta": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not-found").await;
}
