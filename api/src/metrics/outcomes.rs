//! What the metrics count by: the jobs, and how a checkout, a webhook, an email or a job pass
//! ended; each a closed set, so a label can never take a value from a request.

use std::time::Duration;

/// A background job, by the name its series carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobName {
    CartSweep,
    OrderSweep,
    AccountSweep,
    EmailSender,
}

impl JobName {
    pub fn label(self) -> &'static str {
        match self {
            JobName::CartSweep => "cart_sweep",
            JobName::OrderSweep => "order_sweep",
            JobName::AccountSweep => "account_sweep",
            JobName::EmailSender => "email_sender",
        }
    }
}

/// How one pass of a job ended; `Skipped` when another process held the job's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Ok,
    Failed,
    Skipped,
}

/// How a checkout request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutOutcome {
    Created,
    OutOfStock,
    Refused,
    PaymentUnavailable,
    Failed,
}

/// What became of a webhook delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    Applied,
    Duplicate,
    Ignored,
    Rejected,
}

/// What became of an email the sender took from the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailOutcome {
    Sent,
    Failed,
    Skipped,
}

/// The outbox as the database holds it at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxDepth {
    pub waiting: i64,
    pub oldest: Duration,
}
