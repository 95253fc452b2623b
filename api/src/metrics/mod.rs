//! The process's Prometheus metrics, served on their own port (`METRICS_PORT`) that nginx never
//! proxies. One registry per server rather than the crate's global one, so that every server in a
//! process (the tests start many) counts only its own work.
//!
//! Every label value comes from a closed set (route templates, operation and job names), never
//! from a request, so a client cannot grow the series without bound.

mod outcomes;

use std::sync::Arc;
use std::time::Duration;

use prometheus::{
    Encoder, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const LAG_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
];

pub use self::outcomes::{
    CheckoutOutcome, EmailOutcome, JobName, JobOutcome, OutboxDepth, StripeFailure,
    StripeOperation, WebhookOutcome,
};

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    pool_waiting: IntGauge,
    pool_wait: Histogram,
    pool_timeouts: IntCounter,
    stripe_duration: HistogramVec,
    stripe_errors: IntCounterVec,
    stripe_reconnects: IntCounterVec,
    webhook_lag: Histogram,
    webhook_events: IntCounterVec,
    checkout_outcomes: IntCounterVec,
    job_runs: IntCounterVec,
    job_last_success: GaugeVec,
    outbox_depth: IntGauge,
    outbox_oldest: Gauge,
    emails: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn histogram(name: &str, help: &str, buckets: &[f64]) -> HistogramOpts {
    HistogramOpts::new(name, help).buckets(buckets.to_vec())
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let registry = Registry::new();
        let metrics = Metrics {
            http_requests: IntCounterVec::new(
                Opts::new("shop_http_requests_total", "HTTP requests answered"),
                &["method", "route", "status"],
            )
            .expect("valid metric"),
            http_duration: HistogramVec::new(
                histogram(
                    "shop_http_request_duration_seconds",
                    "Time from a request's arrival to its answer",
                    LATENCY_BUCKETS,
                ),
                &["method", "route"],
            )
            .expect("valid metric"),
            pool_connections: IntGaugeVec::new(
                Opts::new(
                    "shop_db_pool_connections",
                    "Database connections in the pool",
                ),
                &["state"],
            )
            .expect("valid metric"),
            pool_max: IntGauge::new(
                "shop_db_pool_max_connections",
                "The pool's size (DATABASE_POOL_SIZE)",
            )
            .expect("valid metric"),
            pool_waiting: IntGauge::new(
                "shop_db_pool_waiting",
                "Requests waiting for a database connection",
            )
            .expect("valid metric"),
            pool_wait: Histogram::with_opts(histogram(
                "shop_db_pool_wait_seconds",
                "Time spent waiting for a database connection",
                LATENCY_BUCKETS,
            ))
            .expect("valid metric"),
            pool_timeouts: IntCounter::new(
                "shop_db_pool_timeouts_total",
                "Waits for a database connection that ran out (DATABASE_TIMEOUT_MS)",
            )
            .expect("valid metric"),
            stripe_duration: HistogramVec::new(
                histogram(
                    "shop_stripe_request_duration_seconds",
                    "Time Stripe took to answer, retries included",
                    LATENCY_BUCKETS,
                ),
                &["operation"],
            )
            .expect("valid metric"),
            stripe_errors: IntCounterVec::new(
                Opts::new("shop_stripe_errors_total", "Stripe calls that failed"),
                &["operation", "kind"],
            )
            .expect("valid metric"),
            stripe_reconnects: IntCounterVec::new(
                Opts::new(
                    "shop_stripe_reconnects_total",
                    "Stripe calls tried again because no connection could be opened",
                ),
                &["operation"],
            )
            .expect("valid metric"),
            webhook_lag: Histogram::with_opts(histogram(
                "shop_webhook_lag_seconds",
                "Time from a Stripe event's creation to the shop applying it",
                LAG_BUCKETS,
            ))
            .expect("valid metric"),
            webhook_events: IntCounterVec::new(
                Opts::new(
                    "shop_webhook_events_total",
                    "Webhook deliveries, by outcome",
                ),
                &["outcome"],
            )
            .expect("valid metric"),
            checkout_outcomes: IntCounterVec::new(
                Opts::new(
                    "shop_checkout_outcomes_total",
                    "Checkout requests, by outcome",
                ),
                &["outcome"],
            )
            .expect("valid metric"),
            job_runs: IntCounterVec::new(
                Opts::new("shop_job_runs_total", "Background job passes, by outcome"),
                // Not `job`: Prometheus's own label for the scrape, which would rename ours.
                &["task", "outcome"],
            )
            .expect("valid metric"),
            job_last_success: GaugeVec::new(
                Opts::new(
                    "shop_job_last_success_timestamp_seconds",
                    "When this process last completed a pass of the job (Unix time)",
                ),
                &["task"],
            )
            .expect("valid metric"),
            outbox_depth: IntGauge::new(
                "shop_email_outbox_depth",
                "Emails waiting to be sent, due or retrying",
            )
            .expect("valid metric"),
            outbox_oldest: Gauge::new(
                "shop_email_outbox_oldest_seconds",
                "Age of the oldest email waiting to be sent",
            )
            .expect("valid metric"),
            emails: IntCounterVec::new(
                Opts::new(
                    "shop_emails_total",
                    "Emails taken from the outbox, by outcome",
                ),
                &["outcome"],
            )
            .expect("valid metric"),
            registry,
        };
        metrics.register_all();
        metrics.prime();
        Arc::new(metrics)
    }

    fn register_all(&self) {
        let collectors: [Box<dyn prometheus::core::Collector>; 18] = [
            Box::new(self.http_requests.clone()),
            Box::new(self.http_duration.clone()),
            Box::new(self.pool_connections.clone()),
            Box::new(self.pool_max.clone()),
            Box::new(self.pool_waiting.clone()),
            Box::new(self.pool_wait.clone()),
            Box::new(self.pool_timeouts.clone()),
            Box::new(self.stripe_duration.clone()),
            Box::new(self.stripe_errors.clone()),
            Box::new(self.stripe_reconnects.clone()),
            Box::new(self.webhook_lag.clone()),
            Box::new(self.webhook_events.clone()),
            Box::new(self.checkout_outcomes.clone()),
            Box::new(self.job_runs.clone()),
            Box::new(self.job_last_success.clone()),
            Box::new(self.outbox_depth.clone()),
            Box::new(self.outbox_oldest.clone()),
            Box::new(self.emails.clone()),
        ];
        for collector in collectors {
            self.registry
                .register(collector)
                .expect("each metric is registered once");
        }
    }

    /// Creates the labelled series that alerts read, at zero: a rate over a series that has never
    /// been incremented is no rate at all, and an alert on it would never fire.
    fn prime(&self) {
        for job in JobName::ALL {
            for outcome in JobOutcome::ALL {
                self.job_runs
                    .with_label_values(&[job.label(), outcome.label()]);
            }
            self.job_last_success.with_label_values(&[job.label()]);
        }
        for outcome in CheckoutOutcome::ALL {
            self.checkout_outcomes.with_label_values(&[outcome.label()]);
        }
        for outcome in WebhookOutcome::ALL {
            self.webhook_events.with_label_values(&[outcome.label()]);
        }
        for outcome in EmailOutcome::ALL {
            self.emails.with_label_values(&[outcome.label()]);
        }
        for operation in StripeOperation::ALL {
            self.stripe_duration.with_label_values(&[operation.label()]);
            self.stripe_reconnects
                .with_label_values(&[operation.label()]);
            for failure in StripeFailure::ALL {
                self.stripe_errors
                    .with_label_values(&[operation.label(), failure.label()]);
            }
        }
        for state in ["in_use", "idle"] {
            self.pool_connections.with_label_values(&[state]);
        }
    }

    /// The registry in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut text = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut text) {
            log::error!("metrics could not be encoded: {err}");
        }
        String::from_utf8(text).unwrap_or_default()
    }

    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.http_duration
            .with_label_values(&[method, route])
            .observe(elapsed.as_secs_f64());
    }

    pub fn pool_state(&self, in_use: u32, idle: u32, max: u32) {
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(in_use.into());
        self.pool_connections
            .with_label_values(&["idle"])
            .set(idle.into());
        self.pool_max.set(max.into());
    }

    /// Counts the caller as waiting for a connection until the guard drops.
    pub fn waiting_for_connection(&self) -> WaitingGuard {
        self.pool_waiting.inc();
        WaitingGuard(self.pool_waiting.clone())
    }

    pub fn connection_acquired(&self, waited: Duration) {
        self.pool_wait.observe(waited.as_secs_f64());
    }

    pub fn connection_timed_out(&self) {
        self.pool_timeouts.inc();
    }

    /// One Stripe call: how long it took, and the kind of failure if it failed.
    pub fn stripe_call(
        &self,
        operation: StripeOperation,
        elapsed: Duration,
        failure: Option<StripeFailure>,
    ) {
        self.stripe_duration
            .with_label_values(&[operation.label()])
            .observe(elapsed.as_secs_f64());
        if let Some(failure) = failure {
            self.stripe_errors
                .with_label_values(&[operation.label(), failure.label()])
                .inc();
        }
    }

    pub fn stripe_reconnect(&self, operation: StripeOperation) {
        self.stripe_reconnects
            .with_label_values(&[operation.label()])
            .inc();
    }

    /// A webhook delivery; `lag` from the event's creation, when it was applied.
    pub fn webhook(&self, outcome: WebhookOutcome, lag: Option<Duration>) {
        self.webhook_events
            .with_label_values(&[outcome.label()])
            .inc();
        if let Some(lag) = lag {
            self.webhook_lag.observe(lag.as_secs_f64());
        }
    }

    pub fn checkout(&self, outcome: CheckoutOutcome) {
        self.checkout_outcomes
            .with_label_values(&[outcome.label()])
            .inc();
    }

    pub fn job(&self, job: JobName, outcome: JobOutcome) {
        self.job_runs
            .with_label_values(&[job.label(), outcome.label()])
            .inc();
        if outcome == JobOutcome::Ok {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            self.job_last_success
                .with_label_values(&[job.label()])
                .set(now.as_secs_f64());
        }
    }

    pub fn email(&self, outcome: EmailOutcome) {
        self.emails.with_label_values(&[outcome.label()]).inc();
    }

    pub fn outbox(&self, depth: OutboxDepth) {
        self.outbox_depth.set(depth.waiting);
        self.outbox_oldest.set(depth.oldest.as_secs_f64());
    }
}

pub struct WaitingGuard(IntGauge);

impl Drop for WaitingGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_series_before_any_traffic() {
        let text = Metrics::new().render();
        for name in [
            "shop_job_runs_total{outcome=\"failed\",task=\"order_sweep\"} 0",
            "shop_checkout_outcomes_total{outcome=\"created\"} 0",
            "shop_webhook_events_total{outcome=\"applied\"} 0",
            "shop_db_pool_waiting 0",
            "shop_email_outbox_depth 0",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
    }

    #[test]
    fn a_waiting_guard_counts_down_when_dropped() {
        let metrics = Metrics::new();
        let first = metrics.waiting_for_connection();
        let second = metrics.waiting_for_connection();
        assert!(metrics.render().contains("shop_db_pool_waiting 2"));
        drop(first);
        drop(second);
        assert!(metrics.render().contains("shop_db_pool_waiting 0"));
    }
}
