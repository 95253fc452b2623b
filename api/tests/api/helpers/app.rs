//! The application under test: started as production starts it, on a free port and a database of
//! its own, and the HTTP client that talks to it.

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use shop_api::settings::Settings;
use shop_api::startup::Application;

use super::postgres::{create_test_database, database_url, drop_test_database};
use super::stripe::{STRIPE_WEBHOOK_SECRET, localstripe_url, own_stripe_key};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef-0123456789";

pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served, apart from the API.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub db_name: String,
    /// The app's own account at the Stripe stand-in, so that its webhooks carry its payments only.
    pub stripe_key: String,
    server: actix_web::dev::ServerHandle,
    /// The free rate checkouts use unless a test sets up shipping of its own (see `delivery`).
    pub(super) default_rate: tokio::sync::OnceCell<String>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The workers run on threads of their own, which outlive the test's runtime unless told
        // to stop; stopped first, their pools do not reconnect to the database dropped next.
        drop(self.server.stop(false));
        drop_test_database(&self.db_name);
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app with extra (or, with an empty value, removed) environment variables.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let db_name = create_test_database();

    let mut vars: HashMap<String, String> = [
        ("DATABASE_URL", database_url(&db_name)),
        ("HOST", "127.0.0.1".to_owned()),
        ("PORT", "0".to_owned()),
        ("METRICS_PORT", "0".to_owned()),
        ("WORKERS", "2".to_owned()),
        ("DATABASE_POOL_SIZE", "4".to_owned()),
        ("DATABASE_TIMEOUT_MS", "1000".to_owned()),
        ("ADMIN_API_TOKEN", ADMIN_TOKEN.to_owned()),
        ("STRIPE_SECRET_KEY", own_stripe_key()),
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
    let stripe_key = vars.get("STRIPE_SECRET_KEY").cloned().unwrap_or_default();
    let settings = Settings::from_env_map(vars).expect("test settings are valid");
    let app = Application::build(settings).await.expect("app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        metrics_address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db_name,
        stripe_key,
        server,
        default_rate: tokio::sync::OnceCell::new(),
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

    /// `/metrics`, from its own port, in Prometheus's text format.
    pub async fn scrape_metrics(&self) -> String {
        let address = self.metrics_address.as_ref().expect("metrics are on");
        let response = reqwest::get(format!("{address}/metrics")).await.unwrap();
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        response.text().await.unwrap()
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
            let no_image_origins = shop_api::domain::catalog::ImageOrigins::default();
            shop_api::seed::seed(&mut conn, shop_api::seed::DEMO_CATALOG, &no_image_origins)
                .expect("seed")
        })
        .await
        .expect("seed task");
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
