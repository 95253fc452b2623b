use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};
use shop_api::domain::staff::Role;
use shop_api::http::access::{Access, OPERATIONS};

use crate::helpers::{assert_problem, spawn_app};

/// Every admin operation of the OpenAPI document: method, path, operationId.
fn documented_admin_operations() -> Vec<(String, String, String)> {
    let doc: Value = serde_json::from_str(&shop_api::openapi::document_json()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/admin/") {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            operations.push((
                method.to_uppercase(),
                path.clone(),
                operation["operationId"].as_str().unwrap().to_owned(),
            ));
        }
    }
    operations
}

#[test]
fn the_access_table_has_one_row_per_documented_admin_operation() {
    let documented: BTreeSet<_> = documented_admin_operations().into_iter().collect();
    let table: BTreeSet<_> = OPERATIONS
        .iter()
        .map(|op| (op.method.to_owned(), op.path.to_owned(), op.name.to_owned()))
        .collect();
    assert_eq!(documented, table);
}

/// What the issue promises each role, written out apart from the table the server uses.
fn promised(role: Role, operation: &str, method: &str) -> bool {
    let staff_and_keys = [
        "list_staff",
        "create_staff",
        "update_staff",
        "list_api_keys",
        "create_api_key",
        "revoke_api_key",
        "list_audit_events",
    ];
    let order_reads = ["list_orders", "admin_get_order", "list_order_emails"];
    match role {
        Role::Owner => true,
        Role::Manager => !staff_and_keys.contains(&operation),
        Role::Fulfilment => order_reads.contains(&operation) || operation == "fulfill_order",
        Role::Viewer => method == "GET" && !staff_and_keys.contains(&operation),
    }
}

#[tokio::test]
async fn every_admin_operation_allows_exactly_the_roles_the_table_names() {
    let app = spawn_app().await;
    let mut keys = Vec::new();
    for role in Role::ALL {
        keys.push((*role, app.api_key_of(*role).await));
    }
    let mut checked = 0;
    for row in OPERATIONS {
        if matches!(row.access, Access::Public | Access::SignedIn) {
            continue;
        }
        let path = row
            .path
            .strip_prefix("/api/v1")
            .unwrap()
            .replace("{id}", "00000000-0000-0000-0000-000000000001")
            .replace("{email_id}", "00000000-0000-0000-0000-000000000002")
            .replace("{country}", "DE");
        for (role, key) in &keys {
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            let response = app
                .request(method, &path)
                .bearer_auth(key)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let allowed = promised(*role, row.name, row.method);
            if allowed {
                assert!(
                    ![401, 403].contains(&response.status().as_u16()),
                    "{role} may {} {}: {}",
                    row.method,
                    row.path,
                    response.text().await.unwrap()
                );
            } else {
                let problem = assert_problem(response, 403, "forbidden").await;
                assert!(
                    problem["detail"]
                        .as_str()
                        .unwrap()
                        .contains(&role.to_string())
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 4 * 40, "{checked}");
}

#[tokio::test]
async fn a_fulfilment_session_ships_but_cannot_refund() {
    let app = spawn_app().await;
    let staff = app.staff_of(Role::Fulfilment).await;
    let id = "00000000-0000-0000-0000-000000000001";
    let refund = app
        .as_staff(&staff, Method::POST, &format!("/admin/orders/{id}/refunds"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(refund, 403, "forbidden").await;
    let ship = app
        .as_staff(
            &staff,
            Method::POST,
            &format!("/admin/orders/{id}/fulfillments"),
        )
        .json(&json!({"carrier": "DHL", "tracking_number": "1"}))
        .send()
        .await
        .unwrap();
    assert!(
        ![401, 403].contains(&ship.status().as_u16()),
        "{}",
        ship.status()
    );
}
