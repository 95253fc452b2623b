//! Test harness: each test gets its own database, copied from a template that was migrated once,
//! and the real application listening on a free port, configured through the same settings code
//! that production uses.

use std::collections::HashMap;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};
use shop_api::settings::Settings;
use shop_api::startup::Application;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef-0123456789";
pub const STRIPE_SECRET_KEY: &str = "sk_test_shop0123456789";
pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_shop_test_0123456789";

/// The localstripe server that `scripts/test` starts; override with `LOCALSTRIPE_URL`.
pub fn localstripe_url() -> String {
    std::env::var("LOCALSTRIPE_URL").unwrap_or_else(|_| "http://127.0.0.1:8420".to_owned())
}

/// The server to test against, without a database name; override with `TEST_DATABASE_URL`.
fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

pub fn database_url(name: &str) -> String {
    format!("{}/{name}", server_url())
}

pub fn maintenance() -> PgConnection {
    PgConnection::establish(&database_url("postgres"))
        .expect("PostgreSQL must be running (see README: the test command starts it)")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The migrations' content decides the template's name, so a changed migration builds a new one.
fn migrations_digest() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut entries: Vec<_> = walk(&dir);
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&path).expect("read migration"));
    }
    hasher.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Creates the migrated template once per schema version; concurrent test processes serialise on
/// an advisory lock.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("shop_tpl_{}", migrations_digest());
        let mut admin = maintenance();
        diesel::sql_query("SELECT pg_advisory_lock(7217001)")
            .execute(&mut admin)
            .expect("lock");
        let existing =
            diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
                .bind::<Text, _>(&name)
                .get_result::<Count>(&mut admin)
                .expect("look up template")
                .n;
        if existing == 0 {
            let building = format!("{name}_building");
            admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
                ))
                .expect("drop half-built template");
            admin
                .batch_execute(&format!("CREATE DATABASE \"{building}\""))
                .expect("create template");
            {
                let mut conn =
                    PgConnection::establish(&database_url(&building)).expect("connect template");
                shop_api::db::migrate(&mut conn).expect("migrate template");
            }
            admin
                .batch_execute(&format!(
                    "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                ))
                .expect("publish template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7217001)")
            .execute(&mut admin)
            .expect("unlock");
        name
    })
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db_name: String,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let mut admin = maintenance();
        let _ = admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.db_name
        ));
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app with extra (or, with an empty value, removed) environment variables.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let db_name = format!("shop_test_{}", uuid::Uuid::new_v4().simple());
    let template = template();
    let create = format!("CREATE DATABASE \"{db_name}\" TEMPLATE \"{template}\"");
    let mut admin = maintenance();
    // A template being copied by another test at this very moment makes CREATE DATABASE fail
    // with "being accessed by other users"; a short retry covers that race.
    let mut attempts = 0;
    while let Err(err) = admin.batch_execute(&create) {
        attempts += 1;
        assert!(attempts < 50, "cannot create test database: {err}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    let mut vars: HashMap<String, String> = [
        ("DATABASE_URL", database_url(&db_name)),
        ("HOST", "127.0.0.1".to_owned()),
        ("PORT", "0".to_owned()),
        ("WORKERS", "2".to_owned()),
        ("DATABASE_POOL_SIZE", "4".to_owned()),
        ("DATABASE_TIMEOUT_MS", "1000".to_owned()),
        ("ADMIN_API_TOKEN", ADMIN_TOKEN.to_owned()),
        ("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY.to_owned()),
        (
            "STRIPE_PUBLISHABLE_KEY",
            "pk_test_shop0123456789".to_owned(),
        ),
        ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET.to_owned()),
        ("STRIPE_API_BASE", localstripe_url()),
        ("STRIPE_TIMEOUT_MS", "5000".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (key, value) in overrides {
        if value.is_empty() {
            vars.remove(*key);
        } else {
            vars.insert((*key).to_owned(), (*value).to_owned());
        }
    }
    let settings = Settings::from_env_map(vars).expect("test settings are valid");
    let app = Application::build(settings).await.expect("app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db_name,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("json")
    }

    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(ADMIN_TOKEN)
    }

    /// Sends an admin request and returns status and JSON body.
    pub async fn admin_json(&self, method: Method, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .admin(method, path)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Creates a product through the admin API and returns it.
    pub async fn create_product(&self, body: Value) -> Value {
        let (status, product) = self
            .admin_json(Method::POST, "/admin/products", &body)
            .await;
        assert_eq!(status, 201, "create product: {product}");
        product
    }

    pub async fn seed_demo_catalog(&self) {
        let url = database_url(&self.db_name);
        tokio::task::spawn_blocking(move || {
            let mut conn = PgConnection::establish(&url).expect("connect");
            shop_api::seed::seed(&mut conn, shop_api::seed::DEMO_CATALOG).expect("seed")
        })
        .await
        .expect("seed task");
    }

    /// Points localstripe's webhooks at this app, so payments end in signed events here.
    pub async fn register_webhook(&self) {
        let response = self
            .client
            .post(format!(
                "{}/_config/webhooks/{}",
                localstripe_url(),
                self.db_name
            ))
            .form(&[
                ("url", format!("{}/api/v1/webhooks/stripe", self.address)),
                ("secret", STRIPE_WEBHOOK_SECRET.to_owned()),
            ])
            .send()
            .await
            .expect("localstripe must be running (scripts/test starts it)");
        assert!(
            response.status().is_success(),
            "register webhook: {}",
            response.status()
        );
    }

    pub fn db(&self) -> PgConnection {
        PgConnection::establish(&database_url(&self.db_name)).expect("connect test database")
    }
}

/// A product body for the admin API with one variant per `(sku, amount)` in `currency`.
pub fn product_body(
    slug: &str,
    name: &str,
    currency: &str,
    variants: &[(&str, i64, i32)],
) -> Value {
    serde_json::json!({
        "slug": slug,
        "name": name,
        "description": format!("{name} description"),
        "images": [{"url": format!("/images/products/{slug}.svg"), "alt": name}],
        "variants": variants.iter().map(|(sku, amount, stock)| serde_json::json!({
            "sku": sku,
            "title": format!("{sku} title"),
            "price": {"amount": amount, "currency": currency},
            "stock_on_hand": stock,
        })).collect::<Vec<_>>(),
    })
}

/// Asserts an RFC 9457 response and returns its body.
pub async fn assert_problem(response: Response, status: u16, problem_type: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(
        body["type"],
        format!("urn:shop:problem:{problem_type}"),
        "{body}"
    );
    assert_eq!(body["status"], status, "{body}");
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    let text = body.to_string().to_lowercase();
    for internal in [
        "diesel",
        "sql",
        "panicked",
        "backtrace",
        "postgres",
        ADMIN_TOKEN,
    ] {
        assert!(
            !text.contains(&internal.to_lowercase()),
            "{internal} leaked: {body}"
        );
    }
    body
}

/// A Stripe stand-in that answers every request after `delay`, with a PaymentIntent: for
/// timeouts and for requests still in flight when the server is asked to stop.
pub fn slow_stripe(delay: std::time::Duration) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                std::thread::sleep(delay);
                let id = format!("pi_slow{}", uuid::Uuid::new_v4().simple());
                let json = format!(
                    r#"{{"id":"{id}","object":"payment_intent","client_secret":"{id}_secret_x","status":"requires_payment_method","amount":2500,"currency":"eur","metadata":{{}}}}"#
                );
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes());
            });
        }
    });
    format!("http://{address}")
}

/// A PostgreSQL server of the test's own, on a free port, that the test may stop and start:
/// for what the API does when its database goes away and comes back.
pub struct ThrowawayCluster {
    dir: std::path::PathBuf,
    bin: std::path::PathBuf,
    pub port: u16,
}

impl ThrowawayCluster {
    pub fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries under /usr/lib/postgresql")
            .flatten()
            .map(|entry| entry.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists())
            .max()
            .expect("initdb");
        let dir = std::env::temp_dir().join(format!("shop-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("cluster dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = ThrowawayCluster { dir, bin, port };
        if Self::as_root() {
            // initdb refuses to run as root; the cluster belongs to the postgres user.
            let status = std::process::Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cluster.dir)
                .status()
                .expect("chown");
            assert!(status.success());
        }
        cluster.run(
            "initdb",
            &["-A", "trust", "-U", "postgres", "--no-sync", "-D"],
        );
        cluster.up();
        cluster
    }

    fn as_root() -> bool {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.starts_with(b"0"))
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if Self::as_root() {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            std::process::Command::new(&program)
        };
        let output = command.args(args).arg(&self.dir).output().expect(tool);
        assert!(
            output.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        self.run(
            "pg_ctl",
            &["-w", "-l", "/dev/null", "-o", &options, "start", "-D"],
        );
    }

    pub fn down(&self) {
        self.run("pg_ctl", &["-w", "-m", "fast", "stop", "-D"]);
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for ThrowawayCluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(self.bin.join("pg_ctl"))
            .args(["-m", "immediate", "stop", "-D"])
            .arg(&self.dir)
            .output();
        if Self::as_root() {
            let _ = std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"))
                .args(["-m", "immediate", "stop", "-D"])
                .arg(&self.dir)
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Tells the Stripe stand-in (`scripts/fake_stripe.py`) to misbehave for matching requests: see
/// that script for the rule's fields.
pub async fn stripe_rule(rule: serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/_config/rules", localstripe_url()))
        .json(&rule)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)");
    assert!(response.status().is_success(), "stripe rule: {rule}");
}

/// A Stripe secret key of the test's own, so that rules for it touch no other test.
pub fn own_stripe_key() -> String {
    format!("sk_test_{}", uuid::Uuid::new_v4().simple())
}

/// GET from the Stripe server with the tests' secret key, as the dashboard would see it.
pub async fn stripe_get(path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", localstripe_url()))
        .basic_auth(STRIPE_SECRET_KEY, Some(""))
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)")
        .json()
        .await
        .expect("Stripe answers JSON")
}

/// POSTs a form to the Stripe server with the tests' secret key, as Stripe.js or the dashboard
/// would, and answers what Stripe said: the object, or its error (a declined card is one).
pub async fn stripe_post(path: &str, form: &[(&str, &str)]) -> Value {
    reqwest::Client::new()
        .post(format!("{}{path}", localstripe_url()))
        .basic_auth(STRIPE_SECRET_KEY, Some(""))
        .form(form)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)")
        .json()
        .await
        .expect("Stripe answers JSON")
}

/// Changes fields of an object the Stripe stand-in holds, as Stripe's own processing would (a
/// refund that fails at the bank).
pub async fn stripe_set(object_id: &str, fields: Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/_config/objects/{object_id}", localstripe_url()))
        .json(&fields)
        .send()
        .await
        .expect("the Stripe stand-in must be running (scripts/test starts it)");
    assert!(response.status().is_success(), "set {object_id}: {fields}");
}

/// Every PaymentIntent the Stripe server holds whose metadata names one of `order_ids`.
pub async fn stripe_intents_of(order_ids: &[String]) -> Vec<Value> {
    let mut found = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = "/v1/payment_intents?limit=100".to_owned();
        if let Some(after) = &after {
            path.push_str(&format!("&starting_after={after}"));
        }
        let page = stripe_get(&path).await;
        let data = page["data"].as_array().cloned().unwrap_or_default();
        for intent in &data {
            let order = intent["metadata"]["order_id"].as_str().unwrap_or_default();
            if order_ids.iter().any(|id| id == order) {
                found.push(intent.clone());
            }
        }
        if page["has_more"] != true || data.is_empty() {
            return found;
        }
        after = data
            .last()
            .and_then(|i| i["id"].as_str())
            .map(str::to_owned);
    }
}
