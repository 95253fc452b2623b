use reqwest::Method;
use serde_json::{Value, json};
use shop_api::domain::staff::Role;

use crate::helpers::{STAFF_PASSWORD, product_body, spawn_app};

#[tokio::test]
async fn every_admin_write_and_login_is_in_the_audit_log() {
    let app = spawn_app().await;
    let owner = app.staff_of(Role::Owner).await;
    let manager_key = app.api_key_of(Role::Manager).await;
    let viewer = app.staff_of(Role::Viewer).await;
    let started = chrono::Utc::now();

    let product = app
        .as_staff(&owner, Method::POST, "/admin/products")
        .json(&product_body(
            "wool-hat",
            "Wool Hat",
            "EUR",
            &[("HAT-S", 2500, 4)],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(product.status(), 201);
    let product: Value = product.json().await.unwrap();
    let product_id = product["id"].as_str().unwrap();
    let renamed = app
        .request(Method::PATCH, &format!("/admin/products/{product_id}"))
        .bearer_auth(&manager_key)
        .json(&json!({"name": "Warm Wool Hat"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let denied = app
        .as_staff(
            &viewer,
            Method::DELETE,
            &format!("/admin/products/{product_id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    app.try_login(
        owner.body["label"].as_str().unwrap(),
        "not my password at all",
    )
    .await;
    let changed = app
        .as_staff(&viewer, Method::POST, "/admin/session/password")
        .json(&json!({"current_password": STAFF_PASSWORD, "new_password": "an entirely new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    // Reads are not recorded.
    app.as_staff(&owner, Method::GET, "/admin/orders")
        .send()
        .await
        .unwrap();

    let log: Value = app
        .as_staff(
            &owner,
            Method::GET,
            &format!("/admin/audit-events?target={product_id}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let steps: Vec<(String, String, u64)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap().to_owned(),
                e["actor"]["kind"].as_str().unwrap().to_owned(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("deactivate_product".to_owned(), "staff".to_owned(), 403),
            ("update_product".to_owned(), "api_key".to_owned(), 200),
            ("create_product".to_owned(), "staff".to_owned(), 201),
        ]
    );
    let update = &log["items"][1];
    assert_eq!(update["summary"], json!({"name": "Warm Wool Hat"}));
    assert_eq!(update["actor"]["label"], "manager key");
    assert_eq!(update["target_type"], "product");
    assert_eq!(update["client_addr"], "127.0.0.1");
    let create = &log["items"][2];
    assert_eq!(create["actor"]["id"], owner.body["id"]);
    assert_eq!(create["summary"]["slug"], "wool-hat");

    // By actor: the viewer's password change, secrets left out, and its denied delete.
    let viewer_id = viewer.body["id"].as_str().unwrap();
    let theirs: Value = app
        .as_staff(
            &owner,
            Method::GET,
            &format!("/admin/audit-events?actor={viewer_id}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations: Vec<&str> = theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        ["change_password", "deactivate_product", "login"]
    );
    assert_eq!(
        theirs["items"][0]["summary"],
        json!({"current_password": "[redacted]", "new_password": "[redacted]"})
    );
    let everything = serde_json::to_string(&theirs).unwrap();
    assert!(!everything.contains(STAFF_PASSWORD) && !everything.contains("entirely new"));

    // By time: only what happened since the writes began, and the failed login among it.
    let since = started.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let recent: Value = app
        .as_staff(
            &owner,
            Method::GET,
            &format!("/admin/audit-events?limit=100&from={since}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations: Vec<&str> = recent["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        [
            "change_password",
            "login_failed",
            "deactivate_product",
            "update_product",
            "create_product"
        ]
    );
    assert_eq!(recent["items"][1]["actor"]["kind"], "anonymous");
    assert_eq!(recent["items"][1]["actor"]["label"], owner.body["label"]);
    let paged: Value = app
        .as_staff(
            &owner,
            Method::GET,
            &format!("/admin/audit-events?limit=2&page=2&from={since}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(paged["total"], 5);
    assert_eq!(paged["total_pages"], 3);
    assert_eq!(paged["items"][0]["operation"], "deactivate_product");
}
