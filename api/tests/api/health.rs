use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn liveness_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/health/live").await["status"], "ok");
    assert_eq!(app.get_json("/health/ready").await["status"], "ready");
}

#[tokio::test]
async fn readiness_fails_fast_when_the_database_is_gone() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health/ready").await.status(), 200);
    let mut admin = crate::helpers::maintenance();
    admin
        .batch_execute(&format!("DROP DATABASE \"{}\" WITH (FORCE)", app.db_name))
        .unwrap();
    let started = Instant::now();
    let response = app.get("/health/ready").await;
    assert_problem(response, 503, "unavailable").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(app.get("/health/live").await.status(), 200);
    let response = app.get("/products").await;
    assert_eq!(response.headers().get("retry-after").unwrap(), "2");
    assert_problem(response, 503, "unavailable").await;
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let app = spawn_app().await;
    let echoed = app
        .request(reqwest::Method::GET, "/health/live")
        .header("x-request-id", "edge-1234.abc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        echoed.headers().get("x-request-id").unwrap(),
        "edge-1234.abc"
    );

    let made = app.get("/health/live").await;
    let id = made
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));

    for hostile in ["a b", "x\"y", &"z".repeat(65), "<script>"] {
        let response = app
            .request(reqwest::Method::GET, "/health/live")
            .header("x-request-id", hostile)
            .send()
            .await
            .unwrap();
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap();
        assert_ne!(id, hostile);
        assert_eq!(id.len(), 32);
    }

    // Error responses carry it too.
    let missing = app.get("/nothing").await;
    assert!(missing.headers().get("x-request-id").is_some());
}

#[tokio::test]
async fn the_api_rides_out_a_database_restart() {
    let cluster = crate::helpers::ThrowawayCluster::start();
    let url = cluster.url();
    let app =
        crate::helpers::spawn_app_with(&[("DATABASE_URL", &url), ("DATABASE_TIMEOUT_MS", "1000")])
            .await;
    app.create_product(crate::helpers::product_body(
        "mug",
        "Mug",
        "EUR",
        &[("MUG-1", 1200, 3)],
    ))
    .await;
    assert_eq!(app.get_json("/products").await["total"], 1);

    cluster.down();
    let started = Instant::now();
    assert_problem(app.get("/health/ready").await, 503, "unavailable").await;
    assert_problem(app.get("/products").await, 503, "unavailable").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answers took {:?}",
        started.elapsed()
    );
    assert_eq!(app.get("/health/live").await.status(), 200);

    cluster.up();
    let started = Instant::now();
    while app.get("/health/ready").await.status() != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the API did not recover"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get_json("/products").await["total"], 1);
}
