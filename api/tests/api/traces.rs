//! OpenTelemetry traces: with an OTLP endpoint named, each request is a server span named by its
//! route template and carrying its request id, and each Stripe call is its child; sent over
//! OTLP/HTTP to a collector (played here by a small HTTP server that keeps what it receives).

use std::io::{BufReader, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::raw_http::read_request;
use crate::helpers::{cart_with, checkout, spawn_app_with, tee};

/// A collector that answers every POST with 200 and keeps the JSON bodies.
fn collector() -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1/traces", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = kept.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                while let Some((_, body)) = read_request(&mut reader) {
                    if let Ok(json) = serde_json::from_slice(&body) {
                        kept.lock().unwrap().push(json);
                    }
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                    if reader.get_mut().write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, received)
}

/// Every span received so far, with its service's name.
fn spans(received: &Mutex<Vec<Value>>) -> Vec<(String, Value)> {
    let mut spans = Vec::new();
    for body in received.lock().unwrap().iter() {
        for resource in body["resourceSpans"].as_array().into_iter().flatten() {
            let service = attribute(&resource["resource"], "service.name")
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                for span in scope["spans"].as_array().into_iter().flatten() {
                    spans.push((service.clone(), span.clone()));
                }
            }
        }
    }
    spans
}

/// An attribute's value, whatever its type (integers come as strings in OTLP's JSON).
fn attribute(holder: &Value, key: &str) -> Option<Value> {
    holder["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["key"] == key)
        .and_then(|a| a["value"].as_object()?.values().next().cloned())
}

async fn span_named(received: &Mutex<Vec<Value>>, name: &str) -> (String, Value) {
    let started = Instant::now();
    loop {
        if let Some(found) = spans(received).into_iter().find(|(_, s)| s["name"] == name) {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no span {name} in {:?}",
            spans(received)
                .iter()
                .map(|(_, s)| s["name"].clone())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn requests_and_their_stripe_calls_are_spans_of_one_trace() {
    let (url, received) = collector();
    let app = spawn_app_with(&[
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", &url),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
        ("OTEL_SERVICE_NAME", "shop-api-under-test"),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
    ])
    .await;
    let variant = tee(&app, 3).await;
    let response = app
        .request(reqwest::Method::GET, "/products/tee")
        .header("x-request-id", "trace-me-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let (service, product) = span_named(&received, "GET /api/v1/products/{slug_or_id}").await;
    assert_eq!(service, "shop-api-under-test");
    assert_eq!(product["kind"], 2, "a server span");
    assert_eq!(
        attribute(&product, "shop.request_id").unwrap(),
        "trace-me-1"
    );
    assert_eq!(
        attribute(&product, "http.route").unwrap(),
        "/api/v1/products/{slug_or_id}"
    );
    assert_eq!(attribute(&product, "http.request.method").unwrap(), "GET");
    assert_eq!(
        attribute(&product, "http.response.status_code")
            .unwrap()
            .to_string()
            .trim_matches('"'),
        "200"
    );
    assert_eq!(product["traceId"].as_str().unwrap().len(), 32);

    let cart = cart_with(&app, &[(&variant, 1)]).await;
    assert_eq!(checkout(&app, &cart, "k").await.status(), 201);
    let (_, server) = span_named(&received, "POST /api/v1/checkout/sessions").await;
    let (_, stripe) = span_named(&received, "stripe create_intent").await;
    assert_eq!(stripe["kind"], 3, "a client span");
    assert_eq!(stripe["traceId"], server["traceId"]);
    assert_eq!(stripe["parentSpanId"], server["spanId"]);
    assert_eq!(
        attribute(&stripe, "stripe.operation").unwrap(),
        "create_intent"
    );
    // Each request is a trace of its own.
    assert_ne!(server["traceId"], product["traceId"]);
}
