//! Promotions through the admin API.

use reqwest::Method;
use serde_json::{Value, json};

use super::create_promotion;
use crate::helpers::{assert_problem, eur, spawn_app};

#[tokio::test]
async fn promotions_are_created_listed_changed_and_deleted() {
    let app = spawn_app().await;
    let summer = create_promotion(
        &app,
        json!({"code": " summer-10 ", "percent_off_bp": 1000, "min_subtotal": eur(5000),
               "max_redemptions": 100, "once_per_email": true}),
    )
    .await;
    assert_eq!(summer["code"], "SUMMER-10", "stored upper case");
    assert_eq!(summer["percent_off_bp"], 1000);
    assert_eq!(summer["amount_off"], Value::Null);
    assert_eq!(summer["redemptions"], 0);
    assert_eq!(summer["active"], true);
    let five = create_promotion(&app, json!({"code": "FIVE", "amount_off": eur(500)})).await;
    assert_eq!(five["amount_off"]["amount"], 500);

    let (_, list) = app
        .admin_json(Method::GET, "/admin/promotions", &Value::Null)
        .await;
    let codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["FIVE", "SUMMER-10"], "newest first");

    let path = format!("/admin/promotions/{}", summer["id"].as_str().unwrap());
    let (status, changed) = app
        .admin_json(
            Method::PATCH,
            &path,
            &json!({"active": false, "min_subtotal": null, "ends_at": "2030-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["active"], false);
    assert_eq!(changed["min_subtotal"], Value::Null);
    assert_eq!(changed["ends_at"], "2030-01-01T00:00:00Z");
    let (_, read) = app.admin_json(Method::GET, &path, &Value::Null).await;
    assert_eq!(read, changed);

    let deleted = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let gone = app.admin(Method::GET, &path).send().await.unwrap();
    assert_problem(gone, 404, "not-found").await;
}

#[tokio::test]
async fn promotions_refuse_bad_fields_naming_them() {
    let app = spawn_app().await;
    create_promotion(&app, json!({"code": "TAKEN", "percent_off_bp": 500})).await;
    for (body, field) in [
        (json!({"code": "no", "percent_off_bp": 500}), "code"),
        (json!({"code": "HAS SPACE", "percent_off_bp": 500}), "code"),
        (
            json!({"code": "BOTH", "percent_off_bp": 500, "amount_off": eur(100)}),
            "percent_off_bp",
        ),
        (json!({"code": "NEITHER"}), "percent_off_bp"),
        (
            json!({"code": "PCT", "percent_off_bp": 0}),
            "percent_off_bp",
        ),
        (
            json!({"code": "PCT", "percent_off_bp": 10001}),
            "percent_off_bp",
        ),
        (
            json!({"code": "USD", "amount_off": {"amount": 500, "currency": "USD"}}),
            "amount_off",
        ),
        (json!({"code": "ZERO", "amount_off": eur(0)}), "amount_off"),
        (
            json!({"code": "MIN", "percent_off_bp": 5, "min_subtotal": {"amount": 1, "currency": "GBP"}}),
            "min_subtotal",
        ),
        (
            json!({"code": "MAX", "percent_off_bp": 5, "max_redemptions": 0}),
            "max_redemptions",
        ),
        (
            json!({"code": "WINDOW", "percent_off_bp": 5, "starts_at": "2030-01-02T00:00:00Z",
                   "ends_at": "2030-01-01T00:00:00Z"}),
            "ends_at",
        ),
        (
            json!({"code": "EXTRA", "percent_off_bp": 5, "free_shipping": true}),
            "free_shipping",
        ),
    ] {
        let response = app
            .admin(Method::POST, "/admin/promotions")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, 422, "validation").await;
        assert_eq!(problem["field"], field, "{body}: {problem}");
    }
    let duplicate = app
        .admin(Method::POST, "/admin/promotions")
        .json(&json!({"code": "taken", "amount_off": eur(100)}))
        .send()
        .await
        .unwrap();
    assert_problem(duplicate, 409, "conflict").await;
    let anonymous = app
        .request(Method::GET, "/admin/promotions")
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
}
