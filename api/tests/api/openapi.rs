use std::path::PathBuf;

use serde_json::Value;

use crate::helpers::spawn_app;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn committed_document_matches_the_code() {
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    let generated = shop_api::openapi::document_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -p shop-api -- openapi openapi/openapi.json` and commit it"
    );
}

#[test]
fn document_describes_every_admin_operation_as_secured() {
    let doc: Value = serde_json::from_str(&shop_api::openapi::document_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut admin_operations = 0;
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let operation_id = operation["operationId"].as_str().unwrap().to_owned();
            assert!(
                operation_ids.insert(operation_id),
                "duplicate operationId at {method} {path}"
            );
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            if path.starts_with("/api/v1/admin/") {
                admin_operations += 1;
                if operation["operationId"] == "log_in" {
                    assert_eq!(operation["security"], serde_json::json!([]));
                    continue;
                }
                assert_eq!(
                    operation["security"],
                    serde_json::json!([{"admin_token": []}, {"admin_session": []}]),
                    "{method} {path}"
                );
                assert!(operation["responses"]["401"].is_object(), "{method} {path}");
            }
        }
    }
    assert_eq!(admin_operations, 47);
    for path in [
        "/api/v1/products",
        "/api/v1/products/{slug_or_id}",
        "/api/v1/categories",
        "/api/v1/health/ready",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
}

// Its viewer, /api/docs, is a page of the web build that nginx serves (web/e2e/api-docs.e2e.test.mjs).
#[tokio::test]
async fn the_document_is_served() {
    let app = spawn_app().await;
    let served = app.get("/openapi.json").await;
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.text().await.unwrap(),
        shop_api::openapi::document_json()
    );
}
