//! The data layer: the connection pool, embedded migrations, and one module of queries per resource.
//! Diesel is synchronous, so every query runs on the blocking thread pool through [`run`].

pub mod account_carts;
pub mod admin_products;
pub mod audit;
pub mod carts;
pub mod catalog;
pub mod checkout_sessions;
pub mod customer_addresses;
pub mod customer_orders;
pub mod customers;
pub mod emails;
pub mod erasure;
pub mod fulfillments;
pub mod listings;
pub mod login_failures;
pub mod order_table;
pub mod orders;
mod prepared;
pub mod product_search;
pub mod promotions;
pub mod refunds;
pub mod reports;
pub mod schema;
pub(crate) mod sessions;
pub mod shipping;
pub mod staff;
pub mod stock;
pub mod stripe_events;
pub mod tax_rates;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::event::{CheckoutEvent, HandleEvent, TimeoutEvent};
use diesel::r2d2::{ConnectionManager, CustomizeConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use secrecy::ExposeSecret;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::settings::Settings;

type Connections = diesel::r2d2::Pool<ConnectionManager<PgConnection>>;
pub type PooledConnection = diesel::r2d2::PooledConnection<ConnectionManager<PgConnection>>;

/// The connection pool, which counts its waits and time-outs into the process's metrics.
#[derive(Clone)]
pub struct Pool {
    connections: Connections,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("state", &self.connections.state())
            .finish()
    }
}

impl Pool {
    /// A connection, waiting at most `DATABASE_TIMEOUT_MS` for one; the wait is counted.
    pub fn get(&self) -> Result<PooledConnection, diesel::r2d2::PoolError> {
        let _waiting = self.metrics.waiting_for_connection();
        self.connections.get()
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Copies the pool's occupancy into the metrics, for a scrape.
    pub fn record_state(&self) {
        let state = self.connections.state();
        self.metrics.pool_state(
            state.connections - state.idle_connections,
            state.idle_connections,
            self.connections.max_size(),
        );
    }
}

/// r2d2's own account of each checkout and time-out, which sees the wait inside the pool.
#[derive(Debug)]
struct PoolEvents(Arc<Metrics>);

impl HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: CheckoutEvent) {
        self.0.connection_acquired(event.duration());
    }

    fn handle_timeout(&self, _event: TimeoutEvent) {
        self.0.connection_timed_out();
    }
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Bounds every statement, so a stuck query turns into a 503 instead of a hung worker.
#[derive(Debug)]
struct SessionDefaults {
    statement_timeout: Duration,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionDefaults {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&format!(
            "SET statement_timeout = {}; SET idle_in_transaction_session_timeout = 60000",
            self.statement_timeout.as_millis()
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Builds the pool lazily: the service starts (and reports not-ready) while the database is down,
/// and connects once it is back.
pub fn build_pool(settings: &Settings, metrics: Arc<Metrics>) -> Pool {
    let manager = ConnectionManager::<PgConnection>::new(settings.database_url.expose_secret());
    let connections = diesel::r2d2::Pool::builder()
        .max_size(settings.database_pool_size)
        .min_idle(Some(1))
        .connection_timeout(settings.database_timeout)
        .connection_customizer(Box::new(SessionDefaults {
            statement_timeout: Duration::from_secs(5),
        }))
        .event_handler(Box::new(PoolEvents(metrics.clone())))
        .build_unchecked(manager);
    Pool {
        connections,
        metrics,
    }
}

#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(String);

/// Applies pending migrations; returns the versions applied. Processes starting together on one
/// database (replicas, a rolling upgrade) take turns on an advisory lock: the first applies what is
/// pending, the others then find nothing left to do. Neither the wait nor a long migration is cut
/// short by the pool's statement timeout, which is restored afterwards.
pub fn migrate(conn: &mut PgConnection) -> Result<Vec<String>, MigrationError> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        statement_timeout: String,
    }
    let failed = |e: diesel::result::Error| MigrationError(e.to_string());
    let timeout = diesel::sql_query("SHOW statement_timeout")
        .get_result::<Setting>(conn)
        .map_err(failed)?
        .statement_timeout;
    let key = Job::Migrations as i64;
    conn.batch_execute(&format!(
        "SET statement_timeout = 0; SELECT pg_advisory_lock({key})"
    ))
    .map_err(failed)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect())
        .map_err(|e| MigrationError(e.to_string()));
    let restored = diesel::sql_query(
        "SELECT pg_advisory_unlock($1), set_config('statement_timeout', $2, false)",
    )
    .bind::<diesel::sql_types::BigInt, _>(key)
    .bind::<Text, _>(&timeout)
    .execute(conn);
    let applied = applied?;
    restored.map_err(failed)?;
    Ok(applied)
}

/// How many migrations the database lacks, for a process that may not apply them itself.
pub fn pending_migrations(conn: &mut PgConnection) -> Result<usize, MigrationError> {
    conn.pending_migrations(MIGRATIONS)
        .map(|pending| pending.len())
        .map_err(|e| MigrationError(e.to_string()))
}

/// Runs `work` with a pooled connection on the blocking thread pool.
pub async fn run<T, F>(pool: &Pool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}

/// What one API process at a time does, however many share the database: the background jobs and
/// the migrations. Each is a PostgreSQL advisory lock's key.
#[derive(Debug, Clone, Copy)]
#[repr(i64)]
pub enum Job {
    CartSweep = 7_217_101,
    OrderSweep = 7_217_102,
    Migrations = 7_217_103,
    AccountSweep = 7_217_104,
}

/// Runs `work` only if no other process is running the same job: a session-level advisory lock
/// is held on one pooled connection for the duration. `None` when another process has it.
pub async fn exclusively<T, Fut>(
    pool: &Pool,
    job: Job,
    work: impl FnOnce() -> Fut,
) -> Result<Option<T>, ApiError>
where
    Fut: Future<Output = Result<T, ApiError>>,
{
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Bool};
    let key = job as i64;
    let lock_pool = pool.clone();
    let (mut conn, locked) = web::block(move || -> Result<_, ApiError> {
        let mut conn = lock_pool.get()?;
        let locked = diesel::select(
            diesel::dsl::sql::<Bool>("pg_try_advisory_lock(")
                .bind::<BigInt, _>(key)
                .sql(")"),
        )
        .get_result::<bool>(&mut conn)?;
        Ok((conn, locked))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))??;
    if !locked {
        return Ok(None);
    }
    let outcome = work().await;
    let unlocked = web::block(move || {
        diesel::select(
            diesel::dsl::sql::<Bool>("pg_advisory_unlock(")
                .bind::<BigInt, _>(key)
                .sql(")"),
        )
        .get_result::<bool>(&mut conn)
    })
    .await;
    if !matches!(unlocked, Ok(Ok(true))) {
        log::error!("could not release the lock of job {job:?}: {unlocked:?}");
    }
    outcome.map(Some)
}

/// What the client should hear when a write trips a constraint, by constraint name.
fn constraint_violation(constraint: &str) -> Option<ApiError> {
    let error = match constraint {
        "products_slug_key" => ApiError::Conflict("a product with this slug already exists".into()),
        "categories_slug_key" => {
            ApiError::Conflict("a category with this slug already exists".into())
        }
        "variants_sku_key" => ApiError::Conflict("a variant with this SKU already exists".into()),
        "products_category_id_fkey" => ApiError::invalid("category_id", "no such category"),
        "variants_reserved_within_stock" => ApiError::Conflict(
            "stock on hand cannot go below the units reserved by pending checkouts".into(),
        ),
        "promotions_code_key" => {
            ApiError::Conflict("a promotion with this code already exists".into())
        }
        "promotions_within_limit" => ApiError::invalid(
            "max_redemptions",
            "is below the redemptions the promotion has had",
        ),
        "promotions_window" => ApiError::invalid("ends_at", "must be after starts_at"),
        "staff_email_idx" => {
            ApiError::Conflict("a staff member with this email already exists".into())
        }
        "promotion_redemptions_promotion_id_fkey" => ApiError::Conflict(
            "orders used this promotion: deactivate it instead of deleting it".into(),
        ),
        _ => return None,
    };
    Some(error)
}

// The data layer turns its own failures into the API's problems: a lost connection or a timeout is
// a 503, a named constraint is the client's conflict, anything else is the server's fault.
impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => ApiError::Unavailable(info.message().to_owned()),
            Error::DatabaseError(
                DatabaseErrorKind::UniqueViolation
                | DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::CheckViolation,
                info,
            ) => info
                .constraint_name()
                .and_then(constraint_violation)
                .unwrap_or_else(|| ApiError::Internal(info.message().to_owned())),
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("statement timeout") =>
            {
                ApiError::Unavailable(info.message().to_owned())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database pool: {err}"))
    }
}
