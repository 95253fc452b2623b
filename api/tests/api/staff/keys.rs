use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use shop_api::domain::staff::Role;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn api_keys_are_shown_once_stored_as_digests_and_revocable() {
    let app = spawn_app().await;
    let owner = app.staff_of(Role::Owner).await;
    let created = app
        .as_staff(&owner, Method::POST, "/admin/api-keys")
        .json(&json!({"name": "Warehouse sync", "role": "fulfilment"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("shop_key_") && key.len() == 52, "{key}");
    assert_eq!(created["api_key"]["prefix"], key[..15]);
    assert_eq!(created["api_key"]["created_by"], owner.body["id"]);
    assert_eq!(created["api_key"]["last_used_at"], Value::Null);

    // The database holds a digest, never the key.
    let stored: Vec<u8> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bytea>(
        "(SELECT token_hash FROM api_keys)",
    ))
    .get_result(&mut app.db())
    .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&key[9..]));
    let listed = app
        .as_staff(&owner, Method::GET, "/admin/api-keys")
        .send()
        .await
        .unwrap();
    let listed = listed.text().await.unwrap();
    assert!(!listed.contains(&key[9..]), "{listed}");

    let orders = app
        .request(Method::GET, "/admin/orders")
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(orders.status(), 200);
    let listed: Value = app
        .as_staff(&owner, Method::GET, "/admin/api-keys")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed["items"][0]["last_used_at"].is_string(), "{listed}");
    let who: Value = app
        .request(Method::GET, "/admin/session")
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(who["actor_kind"], "api_key");
    assert_eq!(who["role"], "fulfilment");
    assert_eq!(who["csrf_token"], Value::Null);

    let id = created["api_key"]["id"].as_str().unwrap();
    let revoked = app
        .as_staff(&owner, Method::DELETE, &format!("/admin/api-keys/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert!(revoked["revoked_at"].is_string());
    let again: Value = app
        .as_staff(&owner, Method::DELETE, &format!("/admin/api-keys/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
    let refused = app
        .request(Method::GET, "/admin/orders")
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_problem(refused, 401, "unauthorized").await;

    // A key is no session: it cannot log out or change a password.
    let key = app.api_key_of(Role::Owner).await;
    let logout = app
        .request(Method::DELETE, "/admin/session")
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_problem(logout, 403, "session-required").await;
}

#[tokio::test]
async fn only_an_owner_manages_staff_and_keys() {
    let app = spawn_app().await;
    let manager = app.staff_of(Role::Manager).await;
    for (method, path) in [
        (Method::GET, "/admin/staff"),
        (Method::POST, "/admin/api-keys"),
        (Method::GET, "/admin/audit-events"),
    ] {
        let response = app
            .as_staff(&manager, method, path)
            .json(&json!({"name": "x", "role": "owner"}))
            .send()
            .await
            .unwrap();
        assert_problem(response, 403, "forbidden").await;
    }
    let owner = app.staff_of(Role::Owner).await;
    let invited = app
        .as_staff(&owner, Method::POST, "/admin/staff")
        .json(&json!({"email": "Grace@Shop.Example", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);
    let invited: Value = invited.json().await.unwrap();
    assert_eq!(invited["staff"]["email"], "grace@shop.example");
    assert_eq!(invited["staff"]["must_change_password"], true);
    let one_time = invited["one_time_password"].as_str().unwrap();
    let grace = app.login("grace@shop.example", one_time).await;
    assert_eq!(grace.body["role"], "viewer");
    let grace_id = invited["staff"]["id"].as_str().unwrap();
    for nothing in [
        json!({"role": null}),
        json!({"active": null}),
        json!({"role": "boss"}),
    ] {
        let refused = app
            .as_staff(&owner, Method::PATCH, &format!("/admin/staff/{grace_id}"))
            .json(&nothing)
            .send()
            .await
            .unwrap();
        assert_problem(refused, 422, "validation").await;
    }
    let taken = app
        .as_staff(&owner, Method::POST, "/admin/staff")
        .json(&json!({"email": "grace@shop.example", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_problem(taken, 409, "conflict").await;
    let bad = app
        .as_staff(&owner, Method::POST, "/admin/api-keys")
        .json(&json!({"name": " ", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(bad, 422, "validation").await["field"],
        "name"
    );
}
