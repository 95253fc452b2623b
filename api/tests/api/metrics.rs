//! `/metrics`: on its own port, in Prometheus's text format, with a series for each thing an
//! operator watches, labelled by route template; and nowhere on the API's port.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{
    STRIPE_WEBHOOK_SECRET, TestApp, assert_problem, cart_with, checkout, deliver, intent_id, pay,
    signed, spawn_app, spawn_app_with, tee,
};

/// The value of the sample named exactly `series` (name and labels, as Prometheus prints them).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn value(text: &str, series: &str) -> f64 {
    sample(text, series).unwrap_or_else(|| panic!("no sample {series} in:\n{text}"))
}

async fn eventually_scraped(app: &TestApp, series: &str, at_least: f64) -> String {
    let started = Instant::now();
    loop {
        let text = app.scrape_metrics().await;
        if sample(&text, series).is_some_and(|v| v >= at_least) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{series} never reached {at_least}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The metric names the dashboard and the alert rules read (deploy/monitoring/metrics.txt).
fn documented_metrics() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/monitoring/metrics.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split_whitespace().next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status() {
    let app = spawn_app().await;
    let product = app
        .create_product(crate::helpers::product_body(
            "metric-mug",
            "Mug",
            "EUR",
            &[("MUG-M", 1200, 5)],
        ))
        .await;
    for _ in 0..3 {
        assert_eq!(app.get("/products/metric-mug").await.status(), 200);
    }
    assert_eq!(app.get("/no/such/thing").await.status(), 404);
    let text = app.scrape_metrics().await;

    let route = r#"route="/api/v1/products/{slug_or_id}""#;
    assert_eq!(
        value(
            &text,
            &format!(r#"shop_http_requests_total{{method="GET",{route},status="200"}}"#)
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            &format!(r#"shop_http_request_duration_seconds_count{{method="GET",{route}}}"#)
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            &format!(
                r#"shop_http_request_duration_seconds_bucket{{method="GET",{route},le="+Inf"}}"#
            )
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            r#"shop_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &text,
            r#"shop_http_requests_total{method="POST",route="/api/v1/admin/products",status="201"}"#
        ),
        1.0
    );
    // Never the raw path: a series per product, order or typo would grow without bound.
    assert!(!text.contains("metric-mug"), "{text}");
    assert!(!text.contains("/no/such/thing"), "{text}");
    assert!(!text.contains(product["id"].as_str().unwrap()));
}

#[tokio::test]
async fn the_scrape_carries_every_series_the_dashboard_and_alerts_read() {
    let app = spawn_app().await;
    // A route's series exist once it has been asked for.
    assert_eq!(app.get("/health/live").await.status(), 200);
    let text = eventually_scraped(
        &app,
        r#"shop_job_runs_total{outcome="ok",task="cart_sweep"}"#,
        1.0,
    )
    .await;
    let exposed: BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .map(|line| line.split_whitespace().next().unwrap().to_owned())
        .collect();
    let documented = documented_metrics();
    assert!(documented.len() >= 17, "{documented:?}");
    let missing: Vec<_> = documented.difference(&exposed).collect();
    assert!(
        missing.is_empty(),
        "documented but not exposed: {missing:?}"
    );
    let undocumented: Vec<_> = exposed.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "exposed but not documented: {undocumented:?}"
    );
    assert_eq!(value(&text, "shop_db_pool_max_connections"), 4.0);
    let open = value(&text, r#"shop_db_pool_connections{state="idle"}"#)
        + value(&text, r#"shop_db_pool_connections{state="in_use"}"#);
    assert!((1.0..=4.0).contains(&open), "{open} connections");
    assert!(
        value(
            &text,
            r#"shop_job_last_success_timestamp_seconds{task="cart_sweep"}"#
        ) > 1.7e9
    );
}

#[tokio::test]
async fn checkouts_stripe_calls_and_webhooks_are_counted() {
    let app = spawn_app().await;
    let variant = tee(&app, 2).await;
    let cart = cart_with(&app, &[(&variant, 2)]).await;
    let other = cart_with(&app, &[(&variant, 1)]).await;
    let session = checkout(&app, &cart, "k1").await;
    assert_eq!(session.status(), 201);
    let session: serde_json::Value = session.json().await.unwrap();
    // The stock is held by the first checkout: the second cart finds none left.
    assert_problem(
        checkout(&app, &other, "k2").await,
        409,
        "insufficient-stock",
    )
    .await;

    pay(&intent_id(&session), "pm_card_visa").await;
    let created = chrono::Utc::now().timestamp() - 30;
    let body = json!({
        "id": "evt_metrics_paid", "object": "event", "type": "payment_intent.succeeded",
        "created": created,
        "data": {"object": {
            "id": intent_id(&session), "object": "payment_intent",
            "amount": session["amount"]["amount"], "currency": "eur", "status": "succeeded",
            "metadata": {"order_id": session["order_id"]},
        }},
    })
    .to_string();
    let signature = signed(&body, STRIPE_WEBHOOK_SECRET, chrono::Utc::now().timestamp());
    for _ in 0..2 {
        assert_eq!(deliver(&app, &body, Some(&signature)).await.status(), 200);
    }
    assert_eq!(deliver(&app, &body, Some("t=1,v1=00")).await.status(), 400);

    let text = app.scrape_metrics().await;
    assert_eq!(
        value(&text, r#"shop_checkout_outcomes_total{outcome="created"}"#),
        1.0
    );
    assert_eq!(
        value(
            &text,
            r#"shop_checkout_outcomes_total{outcome="out_of_stock"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &text,
            r#"shop_stripe_request_duration_seconds_count{operation="create_intent"}"#
        ),
        1.0
    );
    assert_eq!(
        value(&text, r#"shop_webhook_events_total{outcome="applied"}"#),
        1.0
    );
    assert_eq!(
        value(&text, r#"shop_webhook_events_total{outcome="duplicate"}"#),
        1.0
    );
    assert_eq!(
        value(&text, r#"shop_webhook_events_total{outcome="rejected"}"#),
        1.0
    );
    assert_eq!(value(&text, "shop_webhook_lag_seconds_count"), 1.0);
    let lag = value(&text, "shop_webhook_lag_seconds_sum");
    assert!((30.0..60.0).contains(&lag), "lag {lag}");
    assert_eq!(
        value(&text, r#"shop_webhook_lag_seconds_bucket{le="10"}"#),
        0.0
    );
    assert_eq!(
        value(&text, r#"shop_webhook_lag_seconds_bucket{le="60"}"#),
        1.0
    );
}

#[tokio::test]
async fn stripe_failures_are_counted_by_operation_and_kind() {
    // Nothing listens on port 9 of this host: Stripe is unreachable.
    let app = spawn_app_with(&[
        ("STRIPE_API_BASE", "http://127.0.0.1:9"),
        ("STRIPE_TIMEOUT_MS", "1000"),
    ])
    .await;
    let variant = tee(&app, 2).await;
    let cart = cart_with(&app, &[(&variant, 1)]).await;
    assert_problem(checkout(&app, &cart, "k").await, 503, "payment-unavailable").await;
    let text = app.scrape_metrics().await;
    assert_eq!(
        value(
            &text,
            r#"shop_stripe_errors_total{kind="unreachable",operation="create_intent"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &text,
            r#"shop_checkout_outcomes_total{outcome="payment_unavailable"}"#
        ),
        1.0
    );
}

#[tokio::test]
async fn the_outbox_depth_is_read_at_scrape_time() {
    let app = spawn_app().await;
    diesel::sql_query(
        "INSERT INTO emails (kind, recipient, payload, next_attempt_at, created_at) \
         VALUES ('order_lookup', 'late@example.com', '{}', now() + interval '1 hour', \
                 now() - interval '10 minutes'), \
                ('order_lookup', 'later@example.com', '{}', now() + interval '1 hour', now())",
    )
    .execute(&mut app.db())
    .unwrap();
    let text = app.scrape_metrics().await;
    assert_eq!(value(&text, "shop_email_outbox_depth"), 2.0);
    let oldest = value(&text, "shop_email_outbox_oldest_seconds");
    assert!((600.0..660.0).contains(&oldest), "oldest {oldest}");
}

#[tokio::test]
async fn the_metrics_are_not_served_on_the_api_port() {
    let app = spawn_app().await;
    for path in ["/metrics", "/api/v1/metrics"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            !response
                .text()
                .await
                .unwrap()
                .contains("shop_http_requests_total")
        );
    }
    // And the metrics port serves nothing else.
    let address = app.metrics_address.as_ref().unwrap();
    let response = reqwest::get(format!("{address}/api/v1/products"))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn metrics_can_be_turned_off() {
    let app = spawn_app_with(&[("METRICS_PORT", "off")]).await;
    assert!(app.metrics_address.is_none());
}

#[tokio::test]
async fn waits_for_a_connection_and_their_time_outs_are_counted() {
    use shop_api::metrics::Metrics;
    use shop_api::settings::Settings;

    let db_name = crate::helpers::create_test_database();
    let settings = Settings::from_env_map(
        [
            ("DATABASE_URL", crate::helpers::database_url(&db_name)),
            ("DATABASE_POOL_SIZE", "1".to_owned()),
            ("DATABASE_TIMEOUT_MS", "200".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    )
    .unwrap();
    let metrics = Metrics::new();
    let pool = shop_api::db::build_pool(&settings, metrics.clone());
    let (held, text) = tokio::task::spawn_blocking(move || {
        let held = pool.get().unwrap();
        assert!(pool.get().is_err(), "the only connection is taken");
        pool.record_state();
        (held, metrics.render())
    })
    .await
    .unwrap();
    drop(held);
    assert_eq!(value(&text, "shop_db_pool_timeouts_total"), 1.0);
    assert_eq!(value(&text, "shop_db_pool_waiting"), 0.0);
    assert_eq!(value(&text, "shop_db_pool_wait_seconds_count"), 1.0);
    assert_eq!(
        value(&text, r#"shop_db_pool_connections{state="in_use"}"#),
        1.0
    );
    assert_eq!(value(&text, "shop_db_pool_max_connections"), 1.0);
    crate::helpers::drop_test_database(&db_name);
}
