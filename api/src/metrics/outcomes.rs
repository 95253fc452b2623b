//! What the metrics count by: the jobs and Stripe's operations, and how a checkout, a webhook, an
//! email, a job pass or a Stripe call ended; each a closed set, so a label can never take a value
//! from a request.

use std::time::Duration;

/// A closed set of label values: the enum, all its values (to create each series at zero), and
/// the label each one carries.
macro_rules! labels {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}

labels! {
    /// A background job, by the name its series carry.
    JobName {
        CartSweep => "cart_sweep",
        OrderSweep => "order_sweep",
        AccountSweep => "account_sweep",
        EmailSender => "email_sender",
    }
}

labels! {
    /// How one pass of a job ended; `Skipped` when another process held the job's lock.
    JobOutcome {
        Ok => "ok",
        Failed => "failed",
        Skipped => "skipped",
    }
}

labels! {
    /// How a checkout request ended.
    CheckoutOutcome {
        Created => "created",
        OutOfStock => "out_of_stock",
        Refused => "refused",
        PaymentUnavailable => "payment_unavailable",
        Failed => "failed",
    }
}

labels! {
    /// What became of a webhook delivery.
    WebhookOutcome {
        Applied => "applied",
        Duplicate => "duplicate",
        Ignored => "ignored",
        Rejected => "rejected",
    }
}

labels! {
    /// What became of an email the sender took from the outbox.
    EmailOutcome {
        Sent => "sent",
        Failed => "failed",
        Skipped => "skipped",
    }
}

labels! {
    /// A call to Stripe's API; the two `Demo` ones only with DEMO_PAYMENTS, never in production.
    StripeOperation {
        CreateIntent => "create_intent",
        RetrieveIntent => "retrieve_intent",
        CancelIntent => "cancel_intent",
        Refund => "refund",
        ListRefunds => "list_refunds",
        DemoConfirm => "demo_confirm",
        DemoAuthenticate => "demo_authenticate",
    }
}

labels! {
    /// How a Stripe call failed.
    StripeFailure {
        NotConfigured => "not_configured",
        Unreachable => "unreachable",
        Refused => "refused",
        Unreadable => "unreadable",
    }
}

/// The outbox as the database holds it at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxDepth {
    pub waiting: i64,
    pub oldest: Duration,
}
