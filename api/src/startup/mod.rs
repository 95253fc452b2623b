//! Builds the service exactly as production runs it; tests use the same path with port 0.

mod jobs;
mod metrics_server;

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::{Method, header};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::db::{self, Pool};
use crate::error;
use crate::http::admin::AdminToken;
use crate::http::client::TrustedProxies;
use crate::http::cookie::{self, CustomerCookie, SessionCookie};
use crate::http::fallback;
use crate::http::observe::observe;
use crate::http::request_id::{X_REQUEST_ID, request_id};
use crate::metrics::Metrics;
use crate::openapi;
use crate::payments::Payments;
use crate::routes;
use crate::seed;
use crate::services::Mailer;
use crate::services::carts::CartConfig;
use crate::services::customers::Accounts;
use crate::services::lookup::OrderLookup;
use crate::services::staff::sessions::SessionRules;
use crate::settings::Settings;
use crate::telemetry::{Tracer, Tracing};

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
    #[error("traces: {0}")]
    Tracing(String),
    #[error(
        "the database needs {0} migration(s) that this process may not apply \
         (MIGRATE_ON_START=false): run `shop-api migrate` first"
    )]
    Outdated(usize),
}

pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<(u16, Server)>,
    tracing: Option<Tracing>,
}

impl Application {
    /// Connects, migrates, binds and prepares the server; `run_until_stopped` serves.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let metrics = Metrics::new();
        let tracing = settings
            .traces
            .as_ref()
            .map(Tracing::start)
            .transpose()
            .map_err(StartupError::Tracing)?;
        if let Some(traces) = &settings.traces {
            log::info!("traces: on, to {}", traces.endpoint);
        }
        let tracer = tracing.as_ref().map(Tracing::tracer).unwrap_or_default();
        let payments = Payments::new(&settings.stripe, metrics.clone(), tracer.clone())?;
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
        let pool = db::build_pool(&settings, metrics.clone());
        let migrating = pool.clone();
        let migrate_on_start = settings.migrate_on_start;
        let demo_catalog = settings
            .seed_demo_catalog
            .then(|| settings.image_origins.clone());
        let (applied, seeded) = web::block(move || {
            let mut conn = migrating
                .get()
                .map_err(|e| StartupError::Database(e.to_string()))?;
            let applied = if migrate_on_start {
                db::migrate(&mut conn).map_err(StartupError::from)?
            } else {
                match db::pending_migrations(&mut conn)? {
                    0 => Vec::new(),
                    pending => return Err(StartupError::Outdated(pending)),
                }
            };
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

        let (listener, port) = bind(&settings.host, settings.port)?;
        let metrics_server = settings
            .metrics_port
            .map(|port| {
                let (listener, port) = bind(&settings.host, port)?;
                let server = metrics_server::serve(listener, pool.clone()).map_err(|source| {
                    StartupError::Bind {
                        address: format!("{}:{port}", settings.host),
                        source,
                    }
                })?;
                Ok::<_, StartupError>((port, server))
            })
            .transpose()?;
        let payments = web::Data::new(payments);
        jobs::spawn_all(&pool, payments.clone(), mailer.clone(), &settings);
        let server = serve(
            listener,
            pool,
            payments,
            web::Data::new(mailer),
            metrics,
            tracer,
            &settings,
        )
        .map_err(|source| StartupError::Bind {
            address: format!("{}:{port}", settings.host),
            source,
        })?;
        Ok(Application {
            port,
            server,
            metrics: metrics_server,
            tracing,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where `/metrics` is served, unless `METRICS_PORT=off`.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Stops the server from outside: for embedders (the tests) that end it before their process.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the API's server stops (a signal, or its handle), then stops the metrics.
    /// Then sends the last spans.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = match self.metrics {
            None => self.server.await,
            Some((_, metrics)) => {
                let metrics_handle = metrics.handle();
                let server = self.server;
                let api = async move {
                    let served = server.await;
                    metrics_handle.stop(true).await;
                    served
                };
                tokio::join!(api, metrics).0
            }
        };
        if let Some(tracing) = self.tracing {
            // Blocks on the exporter's thread: off the runtime's.
            let _ = tokio::task::spawn_blocking(move || tracing.shutdown()).await;
        }
        served
    }
}

fn bind(host: &str, port: u16) -> Result<(TcpListener, u16), StartupError> {
    let address = format!("{host}:{port}");
    let listener = TcpListener::bind(&address).map_err(|source| StartupError::Bind {
        address: address.clone(),
        source,
    })?;
    let port = listener
        .local_addr()
        .map_err(|source| StartupError::Bind { address, source })?
        .port();
    Ok((listener, port))
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
    metrics: Arc<Metrics>,
    tracer: Tracer,
    settings: &Settings,
) -> std::io::Result<Server> {
    let metrics = web::Data::from(metrics);
    let tracer = web::Data::new(tracer);
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
            .wrap(from_fn(observe))
            .app_data(metrics.clone())
            .app_data(tracer.clone())
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
