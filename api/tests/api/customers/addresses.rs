use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Shopper, TestApp, address, assert_problem, fresh_address, spawn_mailing_app};

async fn add(app: &TestApp, shopper: &Shopper, body: Value) -> reqwest::Response {
    app.as_shopper(shopper, Method::POST, "/customers/me/addresses")
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn book(app: &TestApp, shopper: &Shopper) -> Vec<(String, bool, bool)> {
    let book: Value = app
        .as_shopper(shopper, Method::GET, "/customers/me/addresses")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    book["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["address"]["country"].as_str().unwrap().to_owned(),
                a["default_shipping"].as_bool().unwrap(),
                a["default_billing"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_address_book_has_one_default_of_each_kind() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let first = add(&app, &shopper, json!({"address": address("FR")})).await;
    assert_eq!(first.status(), 201);
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    let first: Value = first.json().await.unwrap();
    assert!(location.ends_with(first["id"].as_str().unwrap()));
    assert_eq!(
        book(&app, &shopper).await,
        [("FR".into(), true, true)],
        "the first is both defaults"
    );

    let second = add(
        &app,
        &shopper,
        json!({"address": address("DE"), "default_shipping": true}),
    )
    .await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(
        book(&app, &shopper).await,
        [("FR".into(), false, true), ("DE".into(), true, false)]
    );
    // Moving the billing default, and changing the address itself.
    let path = format!("/customers/me/addresses/{}", second["id"].as_str().unwrap());
    let moved = app
        .as_shopper(&shopper, Method::PATCH, &path)
        .json(&json!({"default_billing": true, "address": address("IT")}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    assert_eq!(
        book(&app, &shopper).await,
        [("FR".into(), false, false), ("IT".into(), true, true)]
    );
    let deleted = app
        .as_shopper(&shopper, Method::DELETE, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(book(&app, &shopper).await, [("FR".into(), false, false)]);

    // Every wrong field at once, named within the address.
    let mut wrong = address("FR");
    wrong["postal_code"] = json!("!!");
    wrong["name"] = json!(" ");
    let refused = assert_problem(
        add(&app, &shopper, json!({"address": wrong})).await,
        422,
        "validation",
    )
    .await;
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["address.name", "address.postal_code"]);

    // Another's address is nobody's.
    let eve = app.confirmed_shopper(&fresh_address(), 0).await;
    let adas = format!("/customers/me/addresses/{}", first["id"].as_str().unwrap());
    for method in [Method::PATCH, Method::DELETE] {
        let response = app
            .as_shopper(&eve, method, &adas)
            .json(&json!({"default_shipping": true}))
            .send()
            .await
            .unwrap();
        assert_problem(response, 404, "not-found").await;
    }
    assert_eq!(book(&app, &shopper).await.len(), 1);
}

#[tokio::test]
async fn an_address_book_holds_twenty_addresses() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    for _ in 0..20 {
        assert_eq!(
            add(&app, &shopper, json!({"address": address("FR")}))
                .await
                .status(),
            201
        );
    }
    let full = assert_problem(
        add(&app, &shopper, json!({"address": address("FR")})).await,
        422,
        "validation",
    )
    .await;
    assert!(full["detail"].as_str().unwrap().contains("at most 20"));
}
