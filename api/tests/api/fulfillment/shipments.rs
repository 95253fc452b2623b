//! Shipments: only of paid orders, never more than was ordered, once per Idempotency-Key, and
//! shown to the shopper with their tracking.

use reqwest::Method;
use serde_json::json;

use super::{cancel, parcel, ship};
use crate::helpers::{
    admin_order, assert_problem, cart_with, checkout, order, paid_order, refund, spawn_app, tee,
};

#[tokio::test]
async fn a_paid_order_ships_in_parts_and_its_shopper_sees_the_tracking() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();
    let placed = order(&app, &session).await;
    assert_eq!(placed["fulfillment_status"], "unfulfilled");
    assert_eq!(placed["shipments"], json!([]));
    let line = &placed["lines"][0]["id"];

    let (status, first) = ship(&app, order_id, "s1", &parcel(line, 1)).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["order"]["fulfillment_status"], "partially_fulfilled");
    assert_eq!(first["order"]["status"], "paid", "the payment status stays");
    assert_eq!(
        first["fulfillment"]["lines"],
        json!([{"line_id": line, "quantity": 1}])
    );
    assert_eq!(first["fulfillment"]["carrier"], "La Poste");

    // A retried request answers the same shipment and ships nothing more.
    let (status, replay) = ship(&app, order_id, "s1", &parcel(line, 1)).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["fulfillment"]["id"], first["fulfillment"]["id"]);
    assert_eq!(replay["order"]["shipments"].as_array().unwrap().len(), 1);

    let (status, too_many) = ship(&app, order_id, "s2", &parcel(line, 2)).await;
    assert_eq!(status, 409, "{too_many}");
    assert_eq!(
        too_many["type"],
        "urn:shop:problem:fulfillment-exceeds-order"
    );
    assert_eq!(too_many["field"], "lines[0].quantity");

    let mut second = parcel(line, 1);
    second["carrier"] = json!("  DHL ");
    second["tracking_url"] = json!(null);
    let (status, done) = ship(&app, order_id, "s3", &second).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["order"]["fulfillment_status"], "fulfilled");
    assert_eq!(done["fulfillment"]["carrier"], "DHL");
    let (status, _) = ship(&app, order_id, "s4", &parcel(line, 1)).await;
    assert_eq!(status, 409);

    // The shopper's page shows both parcels, oldest first, with the tracking link.
    let seen = order(&app, &session).await;
    assert_eq!(seen["fulfillment_status"], "fulfilled");
    let shipments = seen["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 2);
    assert_eq!(
        shipments[0]["tracking_url"],
        "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    );
    assert_eq!(shipments[1]["tracking_url"], json!(null));
    assert_eq!(shipments[1]["lines"][0]["quantity"], 1);
    // And so does the admin's list.
    let (_, page) = app
        .admin_json(Method::GET, "/admin/orders?status=paid", &json!(null))
        .await;
    assert_eq!(page["items"][0]["shipments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_order_ships_only_once_paid_and_never_once_cancelled_or_refunded() {
    let app = spawn_app().await;
    let variant = tee(&app, 9).await;

    let cart = cart_with(&app, &[(&variant, 1)]).await;
    let pending: serde_json::Value = checkout(&app, &cart, "k").await.json().await.unwrap();
    let line = &admin_order(&app, &pending).await["lines"][0]["id"];
    let (status, body) = ship(
        &app,
        pending["order_id"].as_str().unwrap(),
        "s",
        &parcel(line, 1),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "urn:shop:problem:order-not-paid");

    let refunded = paid_order(&app, &variant, 1).await;
    let refunded_id = refunded["order_id"].as_str().unwrap();
    assert_eq!(refund(&app, refunded_id, "r", json!({})).await.0, 201);
    let line = &admin_order(&app, &refunded).await["lines"][0]["id"];
    let (status, body) = ship(&app, refunded_id, "s", &parcel(line, 1)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "urn:shop:problem:order-refunded");

    let cancelled = paid_order(&app, &variant, 1).await;
    let cancelled_id = cancelled["order_id"].as_str().unwrap();
    assert_eq!(cancel(&app, cancelled_id, "c").await.0, 200);
    let line = &admin_order(&app, &cancelled).await["lines"][0]["id"];
    let (status, body) = ship(&app, cancelled_id, "s", &parcel(line, 1)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "urn:shop:problem:order-cancelled");
}

#[tokio::test]
async fn a_shipment_names_each_bad_field() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let session = paid_order(&app, &variant, 2).await;
    let order_id = session["order_id"].as_str().unwrap();
    let line = order(&app, &session).await["lines"][0]["id"].clone();

    let path = format!("/admin/orders/{order_id}/fulfillments");
    let bad = json!({
        "lines": [{"line_id": line, "quantity": 1}],
        "carrier": " ", "tracking_number": "x\u{7}", "tracking_url": "javascript:alert(1)",
    });
    let response = app
        .admin(Method::POST, &path)
        .header("Idempotency-Key", "bad")
        .json(&bad)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["carrier", "tracking_number", "tracking_url"]);

    let stranger = uuid::Uuid::new_v4();
    let (status, body) = ship(&app, order_id, "k1", &parcel(&json!(stranger), 1)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "lines[0].line_id");
    let twice = json!({
        "lines": [{"line_id": line, "quantity": 1}, {"line_id": line, "quantity": 1}],
        "carrier": "DHL", "tracking_number": "1",
    });
    let (status, body) = ship(&app, order_id, "k2", &twice).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "lines[1].line_id");
    let (status, body) = ship(&app, order_id, "k3", &parcel(&line, 0)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "lines[0].quantity");
    let (status, body) = ship(
        &app,
        order_id,
        "k4",
        &json!({"lines": [], "carrier": "DHL", "tracking_number": "1"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "lines");

    let no_key = app
        .admin(Method::POST, &path)
        .json(&parcel(&line, 1))
        .send()
        .await
        .unwrap();
    assert_problem(no_key, 400, "invalid-request").await;
    let (status, _) = ship(
        &app,
        &uuid::Uuid::new_v4().to_string(),
        "k",
        &parcel(&line, 1),
    )
    .await;
    assert_eq!(status, 404);
    // Nothing was recorded by any of these.
    assert_eq!(
        order(&app, &session).await["fulfillment_status"],
        "unfulfilled"
    );
}

#[tokio::test]
async fn concurrent_shipments_never_send_more_than_was_ordered() {
    let app = spawn_app().await;
    let variant = tee(&app, 5).await;
    let session = paid_order(&app, &variant, 3).await;
    let order_id = session["order_id"].as_str().unwrap();
    let line = order(&app, &session).await["lines"][0]["id"].clone();
    let handles: Vec<_> = (0..10)
        .map(|n| {
            let request = app
                .admin(
                    Method::POST,
                    &format!("/admin/orders/{order_id}/fulfillments"),
                )
                .header("Idempotency-Key", format!("parcel-{n}"))
                .json(&parcel(&line, 1));
            tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(
        order(&app, &session).await["fulfillment_status"],
        "fulfilled"
    );
}
