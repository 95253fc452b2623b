//! Several API processes on one database, as Kubernetes runs them: each background job's pass
//! runs in one process at a time, every outbox email is sent once, and the settings a cluster
//! needs (no migration at start, JSON logs) behave.

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::helpers::raw_http::read_request;
use crate::helpers::{
    LOOKUP_SECRET, cart_with, checkout, database_url, fresh_address, inbox, mail_sink_smtp,
    spawn_app_with, tee,
};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `shop-api serve` process, killed when dropped.
struct Process {
    child: Child,
    port: u16,
    metrics_port: u16,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    fn start(db_name: &str, vars: &[(&str, &str)], stderr: Stdio) -> Self {
        let (port, metrics_port) = (free_port(), free_port());
        let mut command = Command::new(env!("CARGO_BIN_EXE_shop-api"));
        command
            .env_clear()
            .env("RUST_LOG", "off")
            .env("DATABASE_URL", database_url(db_name))
            .env("PORT", port.to_string())
            .env("METRICS_PORT", metrics_port.to_string())
            .env("WORKERS", "1")
            .envs(vars.iter().copied())
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(stderr);
        Process {
            child: command.spawn().unwrap(),
            port,
            metrics_port,
        }
    }

    async fn ready(&self) {
        let started = Instant::now();
        let url = format!("http://127.0.0.1:{}/api/v1/health/ready", self.port);
        while !reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{url} never ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn metric(&self, series: &str) -> f64 {
        let text = reqwest::get(format!("http://127.0.0.1:{}/metrics", self.metrics_port))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {series} in:\n{text}"))
    }
}

/// A Stripe that takes `delay` over every request and remembers how many were ever in flight at
/// once: two order sweeps at the same time would ask it together.
fn watching_stripe(delay: Duration) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (in_flight, most, total) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (most_seen, calls) = (most.clone(), total.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (in_flight, most, total) = (in_flight.clone(), most.clone(), total.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let Some((first, _)) = read_request(&mut reader) else {
                    return;
                };
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                total.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(delay);
                in_flight.fetch_sub(1, Ordering::SeqCst);
                // The PaymentIntent still waits for its shopper: the order stays pending, and
                // every pass asks about it again.
                let id = first
                    .split('/')
                    .nth(3)
                    .unwrap_or("pi_x")
                    .split([' ', '?'])
                    .next()
                    .unwrap_or("pi_x")
                    .to_owned();
                let json = format!(
                    r#"{{"id":"{id}","object":"payment_intent","status":"requires_payment_method","amount":1,"currency":"eur","metadata":{{}},"data":[],"has_more":false}}"#
                );
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes());
            });
        }
    });
    (address, most_seen, calls)
}

async fn sum(processes: &[Process], series: &str) -> f64 {
    let mut total = 0.0;
    for process in processes {
        total += process.metric(series).await;
    }
    total
}

#[tokio::test]
async fn three_processes_run_each_job_pass_once_and_send_each_email_once() {
    // Three orders wait for payment, made through the usual Stripe stand-in by a server whose
    // own sweep and sender do not come round again during the test.
    let app = spawn_app_with(&[
        ("ORDER_SWEEP_INTERVAL_SECS", "3600"),
        ("EMAIL_POLL_INTERVAL_MS", "60000"),
    ])
    .await;
    let variant = tee(&app, 10).await;
    for key in ["a", "b", "c"] {
        let cart = cart_with(&app, &[(&variant, 1)]).await;
        assert_eq!(checkout(&app, &cart, key).await.status(), 201);
    }
    // And thirty emails are due, to addresses of their own.
    let addresses: Vec<String> = (0..30).map(|_| fresh_address()).collect();
    for address in &addresses {
        diesel::sql_query(
            "INSERT INTO emails (kind, recipient, payload) VALUES ('order_lookup', $1, \
             '{\"kind\": \"order_lookup\", \"url\": \"https://shop.example/orders\", \"valid_minutes\": 30}')",
        )
        .bind::<diesel::sql_types::Text, _>(address)
        .execute(&mut app.db())
        .unwrap();
    }

    // Each order sweep asks Stripe about the three orders, 200 ms each: a pass takes 600 ms,
    // and each process tries every second.
    let (stripe, most_in_flight, stripe_calls) = watching_stripe(Duration::from_millis(200));
    let smtp = mail_sink_smtp();
    let vars = [
        ("STRIPE_SECRET_KEY", "sk_test_processes"),
        ("STRIPE_API_BASE", stripe.as_str()),
        ("RECONCILE_AFTER_SECS", "0"),
        ("ORDER_SWEEP_INTERVAL_SECS", "1"),
        ("CART_SWEEP_INTERVAL_SECS", "1"),
        ("SMTP_URL", smtp.as_str()),
        ("MAIL_FROM", "Test Shop <orders@shop.example>"),
        ("SHOP_URL", "https://shop.example"),
        ("ORDER_LOOKUP_SECRET", LOOKUP_SECRET),
        ("EMAIL_POLL_INTERVAL_MS", "50"),
    ];
    let processes: Vec<Process> = (0..3)
        .map(|_| Process::start(&app.db_name, &vars, Stdio::null()))
        .collect();
    for process in &processes {
        process.ready().await;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;

    let order_passes = sum(
        &processes,
        r#"shop_job_runs_total{outcome="ok",task="order_sweep"}"#,
    )
    .await;
    let order_skips = sum(
        &processes,
        r#"shop_job_runs_total{outcome="skipped",task="order_sweep"}"#,
    )
    .await;
    let cart_passes = sum(
        &processes,
        r#"shop_job_runs_total{outcome="ok",task="cart_sweep"}"#,
    )
    .await;
    let cart_skips = sum(
        &processes,
        r#"shop_job_runs_total{outcome="skipped",task="cart_sweep"}"#,
    )
    .await;
    eprintln!(
        "order sweep: {order_passes} passes, {order_skips} skipped; cart sweep: {cart_passes} \
         passes, {cart_skips} skipped; Stripe: {} calls",
        stripe_calls.load(Ordering::SeqCst)
    );
    // The processes did compete for the order sweep, and one pass ran at a time: Stripe never
    // heard from two sweeps at once, and heard about each order once per pass.
    assert!(order_passes >= 3.0 && order_skips >= 1.0);
    assert_eq!(most_in_flight.load(Ordering::SeqCst), 1);
    let calls = stripe_calls.load(Ordering::SeqCst) as f64;
    assert!(
        calls >= 3.0 * order_passes && calls <= 3.0 * (order_passes + 3.0),
        "{calls} calls"
    );
    assert!(cart_passes >= 3.0);
    assert_eq!(
        sum(
            &processes,
            r#"shop_job_runs_total{outcome="failed",task="order_sweep"}"#
        )
        .await,
        0.0
    );

    // Every email went out once, whichever process took it.
    let sent = sum(&processes, r#"shop_emails_total{outcome="sent"}"#).await;
    let failed = sum(&processes, r#"shop_emails_total{outcome="failed"}"#).await;
    assert_eq!((sent, failed), (30.0, 0.0));
    let mut received = HashMap::new();
    for address in &addresses {
        received.insert(address.clone(), inbox(address).await.len());
    }
    assert!(received.values().all(|&n| n == 1), "{received:?}");
}

#[tokio::test]
async fn a_process_that_may_not_migrate_refuses_an_outdated_schema_and_starts_after_migrate() {
    use diesel::connection::SimpleConnection;
    let name = format!("shop_outdated_{}", uuid::Uuid::new_v4().simple());
    let mut admin = crate::helpers::maintenance();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap();
    let mut refused = Process::start(&name, &[("MIGRATE_ON_START", "false")], Stdio::piped());
    let status = refused.child.wait().unwrap();
    let mut stderr = String::new();
    refused
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!status.success());
    assert!(stderr.contains("run `shop-api migrate` first"), "{stderr}");

    let migrated = Command::new(env!("CARGO_BIN_EXE_shop-api"))
        .env_clear()
        .env("DATABASE_URL", database_url(&name))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let process = Process::start(&name, &[("MIGRATE_ON_START", "false")], Stdio::null());
    process.ready().await;
    drop(process);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .unwrap();
}

#[tokio::test]
async fn json_logs_hold_one_object_per_line_and_no_email_address_or_secret() {
    let app = spawn_app_with(&[]).await;
    let log_path = std::env::temp_dir().join(format!("shop-log-{}.jsonl", uuid::Uuid::new_v4()));
    let log_file = std::fs::File::create(&log_path).unwrap();
    // RUST_LOG, off for the other processes, is given back to this one.
    let process = Process::start(
        &app.db_name,
        &[
            ("LOG_FORMAT", "json"),
            ("RUST_LOG", "info"),
            ("ADMIN_API_TOKEN", crate::helpers::ADMIN_TOKEN),
        ],
        Stdio::from(log_file),
    );
    process.ready().await;
    let base = format!("http://127.0.0.1:{}/api/v1", process.port);
    let client = reqwest::Client::new();
    let email = "secret.shopper@example.com";
    client
        .get(format!("{base}/admin/orders?q={email}"))
        .bearer_auth(crate::helpers::ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    client
        .post(format!("{base}/orders/lookup"))
        .json(&serde_json::json!({"email": email}))
        .send()
        .await
        .unwrap();
    client
        .get(format!("{base}/products/nope"))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(process);

    let log = std::fs::read_to_string(&log_path).unwrap();
    std::fs::remove_file(&log_path).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["target"] == "shop_api::request")
        .collect();
    let admin = requests
        .iter()
        .find(|line| line["route"] == "/api/v1/admin/orders")
        .unwrap_or_else(|| panic!("no admin request in {log}"));
    assert_eq!(admin["method"], "GET");
    assert_eq!(admin["status"], 200);
    assert!(admin["duration_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(admin["request_id"].as_str().unwrap().len(), 32);
    assert!(
        requests
            .iter()
            .any(|line| line["route"] == "/api/v1/products/{slug_or_id}" && line["status"] == 404)
    );
    assert!(requests.len() >= 4, "{log}");
    assert!(!log.contains(email), "{log}");
    assert!(!log.contains("secret.shopper"), "{log}");
    assert!(!log.contains(crate::helpers::ADMIN_TOKEN), "{log}");
}
