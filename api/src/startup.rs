//! Builds the service exactly as production runs it; tests use the same path with port 0.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::{Method, header};
use actix_web::middleware::{ErrorHandlers, Logger, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::db::{self, Pool};
use crate::error;
use crate::http::admin::AdminToken;
use crate::http::client::TrustedProxies;
use crate::http::cookie::{self, CustomerCookie, SessionCookie};
use crate::http::fallback;
use crate::http::request_id::{X_REQUEST_ID, request_id};
use crate::openapi;
use crate::payments::Payments;
use crate::routes;
use crate::seed;
use crate::services::carts::CartConfig;
use crate::services::customers::{Accounts, housekeeping};
use crate::services::emails::{self, RetryRules};
use crate::services::lookup::OrderLookup;
use crate::services::staff::sessions::SessionRules;
use crate::services::{Mailer, sweeps};
use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("database unavailable at start-up: {0}")]
    Database(String),
    #[error(transparent)]
    Migration(#[from] db::MigrationError),
    #[error("Stripe client: {0}")]
    Payments(#[from] crate::payments::PaymentError),
    #[error("email: {0}")]
    Mail(String),
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Connects, migrates, binds and prepares the server; `run_until_stopped` serves.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let payments = Payments::new(&settings.stripe)?;
        if settings.stripe.secret_key.is_none() {
            log::warn!("STRIPE_SECRET_KEY is unset: checkout answers 503 until it is configured");
        }
        let mailer = Mailer::from_settings(&settings.mail).map_err(StartupError::Mail)?;
        if mailer.enabled() {
            log::info!("email: on, sent as {}", mailer.sender());
        } else {
            log::info!(
                "email: off (no SMTP_URL); the outbox records each message and marks it skipped"
            );
        }
        let pool = db::build_pool(&settings);
        let migrating = pool.clone();
        let demo_catalog = settings
            .seed_demo_catalog
            .then(|| settings.image_origins.clone());
        let (applied, seeded) = web::block(move || {
            let mut conn = migrating
                .get()
                .map_err(|e| StartupError::Database(e.to_string()))?;
            let applied = db::migrate(&mut conn).map_err(StartupError::from)?;
            crate::services::auth::secrets::warm_up();
            // Idempotent: each replica may try, and what exists is left as it is.
            let seeded = demo_catalog
                .map(|origins| seed::seed(&mut conn, seed::DEMO_CATALOG, &origins))
                .transpose()
                .map_err(|e| StartupError::Database(format!("seeding the demo catalog: {e}")))?;
            Ok::<_, StartupError>((applied, seeded))
        })
        .await
        .map_err(|e| StartupError::Database(e.to_string()))??;
        if !applied.is_empty() {
            log::info!("applied migrations: {}", applied.join(", "));
        }
        if let Some(report) = seeded {
            log::info!(
                "demo catalog: {} categories, {} products, {} variants, {} shipping zones, {} \
                 countries' tax rates added",
                report.categories,
                report.products,
                report.variants,
                report.shipping_zones,
                report.tax_rates
            );
        }

        let address = format!("{}:{}", settings.host, settings.port);
        let listener = TcpListener::bind(&address).map_err(|source| StartupError::Bind {
            address: address.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { address, source })?
            .port();
        spawn_cart_sweeper(pool.clone(), settings.carts.sweep_interval);
        spawn_account_sweeper(pool.clone(), &settings);
        let payments = web::Data::new(payments);
        spawn_order_sweeper(
            pool.clone(),
            payments.clone(),
            settings.order_sweep_interval,
            settings.reconcile_after,
        );
        spawn_email_sender(
            pool.clone(),
            mailer.clone(),
            RetryRules {
                max_attempts: settings.mail.max_attempts,
                base_delay: settings.mail.retry_base,
            },
            settings.mail.poll_interval,
        );
        let server = serve(listener, pool, payments, web::Data::new(mailer), &settings).map_err(
            |source| StartupError::Bind {
                address: format!("{}:{port}", settings.host),
                source,
            },
        )?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from outside: for embedders (the tests) that end it before their process.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Deletes expired carts every `interval`, for as long as the runtime lives.
fn spawn_cart_sweeper(pool: Pool, interval: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let sweep = db::exclusively(&pool, db::Job::CartSweep, || {
                db::run(&pool, |conn| Ok(db::carts::delete_expired(conn)?))
            });
            match sweep.await {
                Ok(Some(0) | None) => {}
                Ok(Some(deleted)) => log::info!("deleted {deleted} expired cart(s)"),
                Err(err) => log::warn!("cart sweep failed: {err}"),
            }
        }
    });
}

/// Runs the accounts' housekeeping every `ACCOUNT_SWEEP_INTERVAL_SECS`, one process at a time.
fn spawn_account_sweeper(pool: Pool, settings: &Settings) {
    let rules = SessionRules::from(settings.customers);
    let housekeeping = settings.accounts;
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(housekeeping.sweep_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let sweep = db::exclusively(&pool, db::Job::AccountSweep, || {
                housekeeping::sweep(&pool, rules, housekeeping.guest_order_retention_years)
            });
            match sweep.await {
                Ok(Some(swept)) if swept.anonymised > 0 || swept.unconfirmed > 0 => log::info!(
                    "accounts: {} unconfirmed sign-up(s) forgotten, {} guest order(s) anonymised",
                    swept.unconfirmed,
                    swept.anonymised
                ),
                Ok(_) => {}
                Err(err) => log::warn!("account sweep failed: {err}"),
            }
        }
    });
}

/// Sends the outbox's due email every `interval`, in every process: the row locks share the
/// work out.
fn spawn_email_sender(
    pool: Pool,
    mailer: Mailer,
    rules: RetryRules,
    interval: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = emails::send_due(&pool, &mailer, rules).await {
                log::warn!("email sender: {err}");
            }
        }
    });
}

/// Heals lost webhooks and releases expired reservations, every `interval`.
fn spawn_order_sweeper(
    pool: Pool,
    payments: web::Data<Payments>,
    interval: std::time::Duration,
    reconcile_after: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let pass = db::exclusively(&pool, db::Job::OrderSweep, || async {
                if let Err(err) = sweeps::reconcile(&pool, &payments, reconcile_after).await {
                    log::warn!("order reconciliation failed: {err}");
                }
                match sweeps::clean_up_stray_intents(&pool, &payments).await {
                    Ok(0) => {}
                    Ok(cleaned) => log::info!("cancelled {cleaned} stray PaymentIntent(s)"),
                    Err(err) => log::warn!("stray PaymentIntent clean-up failed: {err}"),
                }
                sweeps::expire_reservations(&pool, &payments).await
            });
            match pass.await {
                Ok(None) => {}
                Ok(Some(report)) if report.is_empty() => {}
                Ok(Some(report)) => log::info!("reservation expiry: {report}"),
                Err(err) => log::warn!("reservation expiry failed: {err}"),
            }
        }
    });
}

fn cors(allowed_origins: &[String]) -> Cors {
    // Same-origin browsers send an Origin header on POST too; refusing unlisted origins here would
    // break the storefront behind nginx. The browser enforces CORS from the headers we omit.
    let mut cors = Cors::default()
        .block_on_origin_mismatch(false)
        .allowed_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::IF_MATCH,
            header::HeaderName::from_static("cart-secret"),
            header::HeaderName::from_static("order-secret"),
            header::HeaderName::from_static("lookup-token"),
            header::HeaderName::from_static("idempotency-key"),
            X_REQUEST_ID,
        ])
        .expose_headers([header::ETAG, X_REQUEST_ID])
        .max_age(3600);
    for origin in allowed_origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

fn serve(
    listener: TcpListener,
    pool: Pool,
    payments: web::Data<Payments>,
    mailer: web::Data<Mailer>,
    settings: &Settings,
) -> std::io::Result<Server> {
    let currency = web::Data::new(settings.shop_currency);
    let tax_mode = web::Data::new(settings.tax_mode);
    let checkout_rules = web::Data::new(crate::services::checkout::CheckoutRules {
        hold: settings.checkout.hold,
        reservation_ttl: settings.reservation_ttl,
        max_units_per_variant: settings.checkout.max_units_per_variant,
        max_open_per_client: settings.checkout.max_open_per_client,
        tax_mode: settings.tax_mode,
    });
    let trusted_proxies = web::Data::new(TrustedProxies(settings.trusted_proxies.clone()));
    let pool = web::Data::new(pool);
    let admin_token = web::Data::new(AdminToken::new(settings.admin_api_token.as_ref()));
    let session_cookie = web::Data::new(SessionCookie {
        kind: &cookie::STAFF,
        secure: settings.staff.cookie_secure,
        rules: SessionRules::from(settings.staff),
    });
    let customer_cookie = web::Data::new(CustomerCookie(SessionCookie {
        kind: &cookie::CUSTOMER,
        secure: settings.customers.cookie_secure,
        rules: SessionRules::from(settings.customers),
    }));
    let (spec, routes) = openapi::served();
    let (spec, routes) = (web::Data::new(spec), web::Data::new(routes));
    let cart_config = web::Data::new(CartConfig::from_settings(settings));
    let image_origins = web::Data::new(settings.image_origins.clone());
    let lookup = web::Data::new(OrderLookup::new(
        settings.mail.lookup_secret.clone(),
        &settings.mail.shop_url,
    ));
    let accounts = web::Data::new(Accounts::new(
        settings.mail.lookup_secret.clone(),
        &settings.mail.shop_url,
        settings.mail.enabled(),
    ));
    let origins = settings.cors_allowed_origins.clone();
    let body_limit = settings.max_body_bytes;
    let demo_payments = settings.stripe.demo;
    if demo_payments {
        log::warn!("DEMO_PAYMENTS is on: the storefront pays through the demo Stripe.js");
    }
    let webhook_limit = web::Data::new(crate::routes::webhooks::BodyLimit(
        settings.webhook_max_body_bytes,
    ));

    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(cors(&origins))
            .wrap(ErrorHandlers::new().default_handler(error::ensure_problem))
            .wrap(from_fn(request_id))
            .wrap(
                Logger::new("%{method}xi %U %s %Dms rid=%{x-request-id}o")
                    .custom_request_replace("method", |req| req.method().to_string()),
            )
            .app_data(
                web::JsonConfig::default()
                    .limit(body_limit)
                    .error_handler(error::json_error),
            )
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .app_data(pool.clone())
            .app_data(admin_token.clone())
            .app_data(session_cookie.clone())
            .app_data(customer_cookie.clone())
            .app_data(spec.clone())
            .app_data(routes.clone())
            .app_data(cart_config.clone())
            .app_data(payments.clone())
            .app_data(mailer.clone())
            .app_data(currency.clone())
            .app_data(tax_mode.clone())
            .app_data(checkout_rules.clone())
            .app_data(trusted_proxies.clone())
            .app_data(webhook_limit.clone())
            .app_data(image_origins.clone())
            .app_data(lookup.clone())
            .app_data(accounts.clone())
            .service(
                web::scope("/api/v1")
                    .configure(routes::serve)
                    .route("/openapi.json", web::get().to(openapi_json)),
            )
            .configure(|cfg| {
                if demo_payments {
                    routes::demo::configure(cfg);
                }
            })
            .default_service(web::to(fallback::not_found))
    })
    .shutdown_timeout(30)
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

async fn openapi_json(spec: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.get_ref().clone())
}
