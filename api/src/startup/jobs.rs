//! The background jobs every API process starts: the sweeps, each run by one process at a time
//! under its advisory lock, and the email sender, whose row locks share the outbox out. Each pass
//! is counted in the metrics (`skipped` when another process held the lock), so that an alert can
//! tell a job that stopped succeeding anywhere.

use std::time::Duration;

use actix_web::web;

use crate::db::{self, Pool};
use crate::error::ApiError;
use crate::metrics::{JobName, JobOutcome};
use crate::payments::Payments;
use crate::services::customers::housekeeping;
use crate::services::emails::{self, RetryRules};
use crate::services::staff::sessions::SessionRules;
use crate::services::{Mailer, sweeps};
use crate::settings::Settings;

/// Starts every job on the current runtime, for as long as it lives.
pub fn spawn_all(pool: &Pool, payments: web::Data<Payments>, mailer: Mailer, settings: &Settings) {
    spawn_cart_sweeper(pool.clone(), settings.carts.sweep_interval);
    spawn_account_sweeper(pool.clone(), settings);
    spawn_order_sweeper(
        pool.clone(),
        payments,
        settings.order_sweep_interval,
        settings.reconcile_after,
    );
    spawn_email_sender(
        pool.clone(),
        mailer,
        RetryRules {
            max_attempts: settings.mail.max_attempts,
            base_delay: settings.mail.retry_base,
        },
        settings.mail.poll_interval,
    );
}

fn every(interval: Duration) -> tokio::time::Interval {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks
}

/// Counts a pass of an exclusive job: `None` is another process's turn.
fn count<T>(pool: &Pool, job: JobName, pass: &Result<Option<T>, ApiError>) {
    let outcome = match pass {
        Ok(Some(_)) => JobOutcome::Ok,
        Ok(None) => JobOutcome::Skipped,
        Err(_) => JobOutcome::Failed,
    };
    pool.metrics().job(job, outcome);
}

/// Deletes expired carts every `interval`.
fn spawn_cart_sweeper(pool: Pool, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = every(interval);
        loop {
            ticks.tick().await;
            let sweep = db::exclusively(&pool, db::Job::CartSweep, || {
                db::run(&pool, |conn| Ok(db::carts::delete_expired(conn)?))
            })
            .await;
            count(&pool, JobName::CartSweep, &sweep);
            match sweep {
                Ok(Some(0) | None) => {}
                Ok(Some(deleted)) => log::info!("deleted {deleted} expired cart(s)"),
                Err(err) => log::warn!("cart sweep failed: {err}"),
            }
        }
    });
}

/// Runs the accounts' housekeeping every `ACCOUNT_SWEEP_INTERVAL_SECS`.
fn spawn_account_sweeper(pool: Pool, settings: &Settings) {
    let rules = SessionRules::from(settings.customers);
    let housekeeping = settings.accounts;
    tokio::spawn(async move {
        let mut ticks = every(housekeeping.sweep_interval);
        loop {
            ticks.tick().await;
            let sweep = db::exclusively(&pool, db::Job::AccountSweep, || {
                housekeeping::sweep(&pool, rules, housekeeping.guest_order_retention_years)
            })
            .await;
            count(&pool, JobName::AccountSweep, &sweep);
            match sweep {
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

/// Sends the outbox's due email every `interval`, in every process.
fn spawn_email_sender(pool: Pool, mailer: Mailer, rules: RetryRules, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = every(interval);
        loop {
            ticks.tick().await;
            match emails::send_due(&pool, &mailer, rules).await {
                Ok(_) => pool.metrics().job(JobName::EmailSender, JobOutcome::Ok),
                Err(err) => {
                    pool.metrics().job(JobName::EmailSender, JobOutcome::Failed);
                    log::warn!("email sender: {err}");
                }
            }
        }
    });
}

/// Heals lost webhooks and releases expired reservations, every `interval`. A pass that could not
/// do all three counts as failed.
fn spawn_order_sweeper(
    pool: Pool,
    payments: web::Data<Payments>,
    interval: Duration,
    reconcile_after: Duration,
) {
    tokio::spawn(async move {
        let mut ticks = every(interval);
        loop {
            ticks.tick().await;
            let pass = db::exclusively(&pool, db::Job::OrderSweep, || async {
                let reconciled = sweeps::reconcile(&pool, &payments, reconcile_after).await;
                if let Err(err) = &reconciled {
                    log::warn!("order reconciliation failed: {err}");
                }
                let cleaned = sweeps::clean_up_stray_intents(&pool, &payments).await;
                match &cleaned {
                    Ok(0) => {}
                    Ok(cleaned) => log::info!("cancelled {cleaned} stray PaymentIntent(s)"),
                    Err(err) => log::warn!("stray PaymentIntent clean-up failed: {err}"),
                }
                let report = sweeps::expire_reservations(&pool, &payments).await?;
                if !report.is_empty() {
                    log::info!("reservation expiry: {report}");
                }
                reconciled?;
                cleaned?;
                Ok(())
            })
            .await;
            count(&pool, JobName::OrderSweep, &pass);
            if let Err(err) = pass {
                log::warn!("order sweep failed: {err}");
            }
        }
    });
}
