//! Shipping rates: added to a zone, changed, deleted with it, and every amount in the shop's
//! currency.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_with};

use super::{create_rate, create_zone, eur, refused};

#[tokio::test]
async fn rates_are_added_changed_and_deleted_with_their_zone() {
    let app = spawn_app().await;
    let zone = create_zone(&app, "Europe", &["FR", "DE"]).await;
    let zone_path = format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap());
    let express = create_rate(
        &app,
        &zone,
        json!({"name": "Express", "price": eur(1500), "position": 2, "active": false}),
    )
    .await;
    let standard = create_rate(
        &app,
        &zone,
        json!({"name": "Standard", "price": eur(495), "free_above": eur(5000), "per_item": eur(100)}),
    )
    .await;
    assert_eq!(standard["zone_id"], zone["id"]);
    assert_eq!(standard["name"], "Standard");
    assert_eq!(
        standard["price"],
        json!({"amount": 495, "currency": "EUR", "decimal": "4.95"})
    );
    assert_eq!(standard["free_above"]["amount"], 5000);
    assert_eq!(standard["per_item"]["amount"], 100);
    assert_eq!(standard["active"], true);
    assert_eq!(standard["position"], 0);
    assert_eq!(express["free_above"], Value::Null);
    assert_eq!(express["per_item"], Value::Null);
    assert_eq!(express["active"], false);

    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(read["rates"], json!([standard, express]), "by position");
    let (_, list) = app
        .admin_json(Method::GET, "/admin/shipping-zones", &Value::Null)
        .await;
    assert_eq!(list["items"][0]["rates"], read["rates"]);

    let standard_path = format!("/admin/shipping-rates/{}", standard["id"].as_str().unwrap());
    let (status, changed) = app
        .admin_json(
            Method::PATCH,
            &standard_path,
            &json!({"price": eur(595), "free_above": null, "active": false}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["price"]["amount"], 595);
    assert_eq!(changed["free_above"], Value::Null, "null clears");
    assert_eq!(changed["per_item"]["amount"], 100, "absent keeps");
    assert_eq!(changed["active"], false);
    assert_eq!(changed["name"], "Standard");
    let (status, changed) = app
        .admin_json(
            Method::PATCH,
            &standard_path,
            &json!({"per_item": null, "free_above": eur(0), "name": "Post", "position": 5}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["per_item"], Value::Null);
    assert_eq!(changed["free_above"]["amount"], 0);
    assert_eq!(changed["name"], "Post");
    assert_eq!(changed["price"]["amount"], 595);

    let response = app
        .admin(Method::DELETE, &standard_path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    for method in [Method::PATCH, Method::DELETE] {
        refused(&app, method, &standard_path, &json!({}), 404, "not-found").await;
    }
    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(read["rates"].as_array().unwrap().len(), 1);

    // A zone takes its rates with it.
    let response = app.admin(Method::DELETE, &zone_path).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let express_path = format!("/admin/shipping-rates/{}", express["id"].as_str().unwrap());
    refused(
        &app,
        Method::PATCH,
        &express_path,
        &json!({}),
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn rates_refuse_other_currencies_negative_amounts_and_bad_fields() {
    let app = spawn_app().await;
    let zone = create_zone(&app, "Europe", &["FR"]).await;
    let rates_path = format!(
        "/admin/shipping-zones/{}/rates",
        zone["id"].as_str().unwrap()
    );
    let usd = json!({"amount": 495, "currency": "USD"});
    let cases = [
        (json!({"name": "S", "price": usd}), "price"),
        (json!({"name": "S", "price": eur(-1)}), "price"),
        (json!({"name": "S", "price": eur(100_000_000)}), "price"),
        (
            json!({"name": "S", "price": {"amount": 1, "currency": "XYZ"}}),
            "price",
        ),
        (json!({"name": "S"}), "price"),
        (
            json!({"name": "S", "price": eur(495), "free_above": usd}),
            "free_above",
        ),
        (
            json!({"name": "S", "price": eur(495), "free_above": eur(-5000)}),
            "free_above",
        ),
        (
            json!({"name": "S", "price": eur(495), "per_item": usd}),
            "per_item",
        ),
        (
            json!({"name": "S", "price": eur(495), "per_item": eur(-100)}),
            "per_item",
        ),
        (
            json!({"name": "S", "price": eur(495), "position": -1}),
            "position",
        ),
        (
            json!({"name": "S", "price": eur(495), "position": 10_001}),
            "position",
        ),
        (json!({"name": "", "price": eur(495)}), "name"),
        (json!({"price": eur(495)}), "name"),
        (
            json!({"name": "S", "price": eur(495), "zone_id": zone["id"]}),
            "zone_id",
        ),
    ];
    for (body, field) in &cases {
        let problem = refused(&app, Method::POST, &rates_path, body, 422, "validation").await;
        assert_eq!(problem["field"], *field, "{body}: {problem}");
    }
    let problem = refused(
        &app,
        Method::POST,
        &rates_path,
        &json!({"name": "S", "price": usd}),
        422,
        "validation",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("EUR"),
        "says which currency: {problem}"
    );
    let zone_path = format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap());
    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(read["rates"], json!([]), "nothing was written");

    let rate = create_rate(&app, &zone, json!({"name": "Standard", "price": eur(495)})).await;
    let rate_path = format!("/admin/shipping-rates/{}", rate["id"].as_str().unwrap());
    let patches = [
        (json!({"price": usd}), "price"),
        (json!({"price": eur(-1)}), "price"),
        (json!({"free_above": usd}), "free_above"),
        (json!({"per_item": eur(-1)}), "per_item"),
        (json!({"position": 10_001}), "position"),
        (json!({"name": " "}), "name"),
        (json!({"currency": "USD"}), "currency"),
    ];
    for (body, field) in &patches {
        let problem = refused(&app, Method::PATCH, &rate_path, body, 422, "validation").await;
        assert_eq!(problem["field"], *field, "{body}: {problem}");
    }
    let as_array = json!(["Express", eur(995), null, null, true, 1]);
    refused(
        &app,
        Method::POST,
        &rates_path,
        &as_array,
        422,
        "validation",
    )
    .await;
    refused(
        &app,
        Method::PATCH,
        &rate_path,
        &as_array,
        422,
        "validation",
    )
    .await;
    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(
        read["rates"],
        json!([rate]),
        "refused writes change nothing"
    );
}

#[tokio::test]
async fn rates_are_in_the_configured_shop_currency() {
    let app = spawn_app_with(&[("SHOP_CURRENCY", "KWD")]).await;
    let zone = create_zone(&app, "Gulf", &["KW", "BH"]).await;
    let rates_path = format!(
        "/admin/shipping-zones/{}/rates",
        zone["id"].as_str().unwrap()
    );
    let kwd = |amount: i64| json!({"amount": amount, "currency": "KWD"});
    let problem = refused(
        &app,
        Method::POST,
        &rates_path,
        &json!({"name": "Standard", "price": eur(495)}),
        422,
        "validation",
    )
    .await;
    assert_eq!(problem["field"], "price");
    assert!(
        problem["detail"].as_str().unwrap().contains("KWD"),
        "{problem}"
    );
    // Stripe takes dinars only in multiples of ten fils.
    let problem = refused(
        &app,
        Method::POST,
        &rates_path,
        &json!({"name": "Standard", "price": kwd(1500), "per_item": kwd(255)}),
        422,
        "validation",
    )
    .await;
    assert_eq!(problem["field"], "per_item");
    let rate = create_rate(
        &app,
        &zone,
        json!({"name": "Standard", "price": kwd(1500), "free_above": kwd(20_000)}),
    )
    .await;
    assert_eq!(rate["price"]["decimal"], "1.500");
    assert_eq!(rate["free_above"]["currency"], "KWD");
}
