//! Settings: built-in defaults < an optional TOML file (`APP_CONFIG_FILE`) < the environment.
//!
//! Operators set the plain variables they expect (`DATABASE_URL`, `PORT`, `ADMIN_API_TOKEN`, ...);
//! an `APP_` prefix (`APP_PORT`) overrides the plain name. Secrets are `SecretString`, so they
//! never reach a log line or `Debug` output.

use std::collections::HashMap;
use std::time::Duration;

use config::{Config, Environment, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use ipnet::IpNet;

use crate::domain::catalog::ImageOrigins;
use crate::domain::money::Currency;
use crate::domain::pricing::TaxMode;

mod accounts;
mod carts;
mod mail;
mod parse;
mod sessions;
mod stripe;
mod traces;

pub use self::accounts::AccountHousekeeping;
pub use self::carts::{CartSettings, CheckoutSettings};
pub use self::mail::MailSettings;
pub use self::sessions::SessionSettings;
pub use self::traces::{TraceProtocol, TraceSettings};

use self::parse::{parse_flag, parse_in_range, parse_networks, parse_origins, read_secret_files};

/// Everything the service reads at start-up, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    /// Where Prometheus scrapes `/metrics` (`METRICS_PORT`, on `HOST`); `None` with `off`.
    pub metrics_port: Option<u16>,
    /// Apply pending migrations at start (`MIGRATE_ON_START`); off where a release step runs
    /// `shop-api migrate` first, and then a process refuses to start on an outdated schema.
    pub migrate_on_start: bool,
    pub workers: Option<usize>,
    pub database_url: SecretString,
    pub database_pool_size: u32,
    pub database_timeout: Duration,
    pub max_body_bytes: usize,
    /// Stripe's events can be far larger than any shopper's request.
    pub webhook_max_body_bytes: usize,
    pub cors_allowed_origins: Vec<String>,
    /// Where product images may come from besides the shop itself; nginx's CSP allows the same.
    pub image_origins: ImageOrigins,
    pub admin_api_token: Option<SecretString>,
    pub shop_currency: Currency,
    /// Whether catalog prices include tax (`PRICES_INCLUDE_TAX`, EU style, the default) or
    /// exclude it (US style).
    pub tax_mode: TaxMode,
    pub carts: CartSettings,
    /// Load the demo catalog at start (`SEED_DEMO_CATALOG`), as `shop-api seed` does: for the
    /// Compose demo, whose newcomer has no other way to fill the shop.
    pub seed_demo_catalog: bool,
    /// How long a checkout holds stock while waiting for payment.
    pub reservation_ttl: Duration,
    pub checkout: CheckoutSettings,
    /// Peers (nginx) whose `X-Real-IP` names the client.
    pub trusted_proxies: Vec<IpNet>,
    /// How often pending orders are reconciled with Stripe and expired reservations released.
    pub order_sweep_interval: Duration,
    /// A pending order is reconciled once its webhook is this late.
    pub reconcile_after: Duration,
    pub stripe: StripeSettings,
    pub mail: MailSettings,
    pub staff: SessionSettings,
    /// Shoppers' accounts, which are on whenever email is.
    pub customers: SessionSettings,
    pub accounts: AccountHousekeeping,
    /// OpenTelemetry traces over OTLP, when an endpoint is named.
    pub traces: Option<TraceSettings>,
}

#[derive(Debug, Clone)]
pub struct StripeSettings {
    pub secret_key: Option<SecretString>,
    pub publishable_key: Option<String>,
    pub webhook_secret: Option<SecretString>,
    pub api_base: String,
    /// Longest a call to Stripe may take, retries included.
    pub timeout: Duration,
    /// Where the storefront loads Stripe.js from.
    pub js_url: String,
    /// The storefront pays through the shop's own demo Stripe.js, against a fake Stripe server:
    /// a newcomer can buy without a Stripe account, and no real money can move.
    pub demo: bool,
}

/// Where the demo Stripe.js is served, by the API itself.
pub const DEMO_STRIPE_JS_PATH: &str = "/api/demo/stripe.js";

/// One line that names the offending setting; start-up prints it and exits.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct SettingsError(String);

/// The raw shape as the sources provide it; field names are the lower-cased variable names.
#[derive(Deserialize)]
struct RawSettings {
    host: String,
    port: String,
    metrics_port: String,
    migrate_on_start: String,
    workers: Option<String>,
    database_url: Option<SecretString>,
    database_pool_size: String,
    database_timeout_ms: String,
    max_body_bytes: String,
    webhook_max_body_bytes: String,
    cors_allowed_origins: String,
    image_origins: String,
    admin_api_token: Option<SecretString>,
    shop_currency: String,
    prices_include_tax: String,
    seed_demo_catalog: String,
    cart_ttl_secs: String,
    cart_sweep_interval_secs: String,
    cart_max_line_quantity: String,
    stripe_secret_key: Option<SecretString>,
    stripe_publishable_key: Option<String>,
    stripe_webhook_secret: Option<SecretString>,
    stripe_api_base: String,
    stripe_timeout_ms: String,
    stripe_js_url: String,
    demo_payments: String,
    reservation_ttl_secs: String,
    reservation_hold_secs: String,
    checkout_max_units_per_variant: String,
    checkout_max_open_per_client: String,
    api_trusted_proxies: String,
    order_sweep_interval_secs: String,
    reconcile_after_secs: String,
    smtp_url: Option<SecretString>,
    order_lookup_secret: Option<SecretString>,
    mail_from: Option<String>,
    shop_name: String,
    shop_url: String,
    email_max_attempts: String,
    email_retry_base_secs: String,
    email_poll_interval_ms: String,
    admin_cookie_secure: String,
    admin_session_idle_secs: String,
    admin_session_max_secs: String,
    admin_lock_after_failures: String,
    admin_lock_secs: String,
    admin_login_client_limit: String,
    admin_login_window_secs: String,
    customer_cookie_secure: String,
    customer_session_idle_secs: String,
    customer_session_max_secs: String,
    customer_lock_after_failures: String,
    customer_lock_secs: String,
    customer_login_client_limit: String,
    customer_login_window_secs: String,
    account_sweep_interval_secs: String,
    guest_order_retention_years: String,
    otel_exporter_otlp_endpoint: Option<String>,
    otel_exporter_otlp_traces_endpoint: Option<String>,
    otel_exporter_otlp_protocol: Option<String>,
    otel_exporter_otlp_timeout: Option<String>,
    otel_service_name: Option<String>,
    otel_bsp_schedule_delay: Option<String>,
}

/// Shorter admin tokens are refused: the token is the only thing between the internet and the catalog.
const MIN_ADMIN_TOKEN_LEN: usize = 32;

impl Settings {
    /// Reads the process environment (and the file it may name).
    pub fn load() -> Result<Self, SettingsError> {
        Self::from_env_map(std::env::vars().collect())
    }

    /// Reads the given variables instead of the process environment, so tests need not mutate it.
    pub fn from_env_map(mut vars: HashMap<String, String>) -> Result<Self, SettingsError> {
        read_secret_files(&mut vars)?;
        let mut builder = Config::builder()
            .set_default("host", "127.0.0.1")
            .and_then(|b| b.set_default("port", "8080"))
            .and_then(|b| b.set_default("metrics_port", "9464"))
            .and_then(|b| b.set_default("migrate_on_start", "true"))
            .and_then(|b| b.set_default("database_pool_size", "10"))
            .and_then(|b| b.set_default("database_timeout_ms", "3000"))
            .and_then(|b| b.set_default("max_body_bytes", "65536"))
            .and_then(|b| b.set_default("webhook_max_body_bytes", "1048576"))
            .and_then(|b| b.set_default("cors_allowed_origins", ""))
            .and_then(|b| b.set_default("image_origins", ""))
            .and_then(|b| b.set_default("shop_currency", "EUR"))
            .and_then(|b| b.set_default("prices_include_tax", "true"))
            .and_then(|b| b.set_default("seed_demo_catalog", "false"))
            .and_then(|b| b.set_default("cart_ttl_secs", "604800"))
            .and_then(|b| b.set_default("cart_sweep_interval_secs", "300"))
            .and_then(|b| b.set_default("cart_max_line_quantity", "99"))
            .and_then(|b| b.set_default("stripe_api_base", "https://api.stripe.com"))
            .and_then(|b| b.set_default("stripe_timeout_ms", "10000"))
            .and_then(|b| b.set_default("stripe_js_url", "https://js.stripe.com/endive/stripe.js"))
            .and_then(|b| b.set_default("demo_payments", "false"))
            .and_then(|b| b.set_default("reservation_ttl_secs", "1800"))
            .and_then(|b| b.set_default("reservation_hold_secs", "600"))
            .and_then(|b| b.set_default("checkout_max_units_per_variant", "10"))
            .and_then(|b| b.set_default("checkout_max_open_per_client", "3"))
            .and_then(|b| b.set_default("api_trusted_proxies", ""))
            .and_then(|b| b.set_default("order_sweep_interval_secs", "60"))
            .and_then(|b| b.set_default("reconcile_after_secs", "300"))
            .and_then(|b| b.set_default("shop_name", "Shop"))
            .and_then(|b| b.set_default("shop_url", "http://localhost:8080"))
            .and_then(|b| b.set_default("email_max_attempts", "8"))
            .and_then(|b| b.set_default("email_retry_base_secs", "30"))
            .and_then(|b| b.set_default("email_poll_interval_ms", "1000"))
            .and_then(|b| b.set_default("admin_cookie_secure", "true"))
            .and_then(|b| b.set_default("admin_session_idle_secs", "1800"))
            .and_then(|b| b.set_default("admin_session_max_secs", "43200"))
            .and_then(|b| b.set_default("admin_lock_after_failures", "5"))
            .and_then(|b| b.set_default("admin_lock_secs", "900"))
            .and_then(|b| b.set_default("admin_login_client_limit", "20"))
            .and_then(|b| b.set_default("admin_login_window_secs", "900"))
            .and_then(|b| b.set_default("customer_cookie_secure", "true"))
            .and_then(|b| b.set_default("customer_session_idle_secs", "604800"))
            .and_then(|b| b.set_default("customer_session_max_secs", "2592000"))
            .and_then(|b| b.set_default("customer_lock_after_failures", "5"))
            .and_then(|b| b.set_default("customer_lock_secs", "60"))
            .and_then(|b| b.set_default("customer_login_client_limit", "30"))
            .and_then(|b| b.set_default("customer_login_window_secs", "900"))
            .and_then(|b| b.set_default("account_sweep_interval_secs", "3600"))
            .and_then(|b| b.set_default("guest_order_retention_years", ""))
            .map_err(|e| SettingsError(e.to_string()))?;

        if let Some(path) = vars.get("APP_CONFIG_FILE").filter(|p| !p.is_empty()) {
            builder = builder.add_source(File::new(path, FileFormat::Toml).required(true));
        }
        let plain: HashMap<String, String> = vars
            .iter()
            .filter(|(k, _)| !k.starts_with("APP_"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let raw: RawSettings = builder
            .add_source(Environment::default().source(Some(plain)))
            .add_source(
                Environment::with_prefix("APP")
                    .prefix_separator("_")
                    .source(Some(vars)),
            )
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| SettingsError(e.to_string()))?;
        raw.validate()
    }
}

impl RawSettings {
    fn validate(self) -> Result<Settings, SettingsError> {
        let stripe = self.stripe()?;
        let mail = self.mail()?;
        let staff = self.staff()?;
        let customers = self.customers()?;
        let reservation_ttl = Duration::from_secs(parse_in_range(
            "RESERVATION_TTL_SECS",
            &self.reservation_ttl_secs,
            60,
            7 * 24 * 3600,
        )?);
        let carts = self.carts()?;
        let checkout = self.checkout(reservation_ttl)?;
        let accounts = self.accounts()?;
        let traces = self.traces()?;
        let database_url = self
            .database_url
            .filter(|url| !url.expose_secret().is_empty())
            .ok_or_else(|| SettingsError("DATABASE_URL is required".into()))?;
        if !database_url.expose_secret().starts_with("postgres://")
            && !database_url.expose_secret().starts_with("postgresql://")
        {
            return Err(SettingsError(
                "DATABASE_URL must be a postgres:// or postgresql:// URL".into(),
            ));
        }
        let admin_api_token = self
            .admin_api_token
            .filter(|token| !token.expose_secret().is_empty());
        if let Some(token) = &admin_api_token
            && token.expose_secret().len() < MIN_ADMIN_TOKEN_LEN
        {
            return Err(SettingsError(format!(
                "ADMIN_API_TOKEN must be at least {MIN_ADMIN_TOKEN_LEN} characters"
            )));
        }
        let shop_currency = Currency::parse(&self.shop_currency)
            .ok()
            .filter(Currency::stripe_supported)
            .ok_or_else(|| {
                SettingsError(format!(
                    "SHOP_CURRENCY must be an ISO 4217 code that Stripe takes, got {:?}",
                    self.shop_currency
                ))
            })?;
        let cors_allowed_origins = parse_origins(&self.cors_allowed_origins)?;
        let image_origins = ImageOrigins::parse(&self.image_origins)
            .map_err(|e| SettingsError(format!("IMAGE_ORIGINS: {e}")))?;
        let workers = self
            .workers
            .filter(|w| !w.is_empty())
            .map(|w| parse_in_range::<usize>("WORKERS", &w, 1, 256))
            .transpose()?;
        Ok(Settings {
            host: self.host,
            port: parse_in_range("PORT", &self.port, 0, u16::MAX)?,
            metrics_port: match self.metrics_port.trim() {
                "off" => None,
                port => Some(parse_in_range("METRICS_PORT", port, 0, u16::MAX)?),
            },
            migrate_on_start: parse_flag("MIGRATE_ON_START", &self.migrate_on_start)?,
            workers,
            database_url,
            database_pool_size: parse_in_range(
                "DATABASE_POOL_SIZE",
                &self.database_pool_size,
                1,
                512,
            )?,
            database_timeout: Duration::from_millis(parse_in_range(
                "DATABASE_TIMEOUT_MS",
                &self.database_timeout_ms,
                100,
                60_000,
            )?),
            max_body_bytes: parse_in_range("MAX_BODY_BYTES", &self.max_body_bytes, 1024, 16 << 20)?,
            webhook_max_body_bytes: parse_in_range(
                "WEBHOOK_MAX_BODY_BYTES",
                &self.webhook_max_body_bytes,
                65536,
                16 << 20,
            )?,
            cors_allowed_origins,
            image_origins,
            admin_api_token,
            shop_currency,
            tax_mode: if parse_flag("PRICES_INCLUDE_TAX", &self.prices_include_tax)? {
                TaxMode::Inclusive
            } else {
                TaxMode::Exclusive
            },
            seed_demo_catalog: parse_flag("SEED_DEMO_CATALOG", &self.seed_demo_catalog)?,
            carts,
            reservation_ttl,
            checkout,
            trusted_proxies: parse_networks("API_TRUSTED_PROXIES", &self.api_trusted_proxies)?,
            order_sweep_interval: Duration::from_secs(parse_in_range(
                "ORDER_SWEEP_INTERVAL_SECS",
                &self.order_sweep_interval_secs,
                1,
                3600,
            )?),
            reconcile_after: Duration::from_secs(parse_in_range(
                "RECONCILE_AFTER_SECS",
                &self.reconcile_after_secs,
                0,
                24 * 3600,
            )?),
            stripe,
            mail,
            staff,
            customers,
            accounts,
            traces,
        })
    }
}

#[cfg(test)]
mod tests;
