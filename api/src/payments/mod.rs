//! The one place that talks to Stripe. Responses are decoded into small structs holding only the
//! fields the shop reads, so a thinner or newer response still decodes. Every creating call
//! carries an idempotency key, and every call is bounded in time.

pub mod demo;
mod error;
pub mod events;
pub mod signature;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentelemetry::KeyValue;
use opentelemetry::trace::{Span as _, SpanKind, Status, Tracer as _};
use secrecy::{ExposeSecret, SecretString};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::payment_intent::{
    CancelPaymentIntent, CreatePaymentIntent, CreatePaymentIntentShipping,
    CreatePaymentIntentShippingAddress, RetrievePaymentIntent,
};
use stripe_core::refund::{CreateRefund, ListRefund};
use uuid::Uuid;

pub use self::error::PaymentError;
use crate::domain::address::Address;
use crate::domain::money::Money;
use crate::metrics::{Metrics, StripeFailure, StripeOperation};
use crate::settings::StripeSettings;
use crate::telemetry::Tracer;

/// The order id that checkout writes into its PaymentIntent's metadata.
pub const ORDER_ID_KEY: &str = "order_id";

/// What Stripe says about a PaymentIntent, from an event or from asking it.
#[derive(Debug, Clone)]
pub struct IntentState {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    /// `succeeded`, `canceled`, `requires_payment_method`, ...
    pub status: String,
    pub error: Option<String>,
}

/// A PaymentIntent as the shop sees it.
#[derive(Debug, Clone, miniserde::Deserialize)]
pub struct Intent {
    pub id: String,
    pub client_secret: Option<String>,
    pub status: String,
    pub amount: i64,
    pub currency: String,
    pub metadata: Option<HashMap<String, String>>,
    pub last_payment_error: Option<IntentError>,
}

#[derive(Debug, Clone, miniserde::Deserialize)]
pub struct IntentError {
    pub message: Option<String>,
}

impl Intent {
    pub fn state(&self) -> IntentState {
        IntentState {
            id: self.id.clone(),
            amount: self.amount,
            currency: self.currency.clone(),
            status: self.status.clone(),
            error: self
                .last_payment_error
                .as_ref()
                .and_then(|e| e.message.clone()),
        }
    }

    pub fn order_id(&self) -> Option<Uuid> {
        self.metadata
            .as_ref()
            .and_then(|m| m.get(ORDER_ID_KEY))
            .and_then(|id| Uuid::parse_str(id).ok())
    }
}

/// A refund as Stripe reports it; `amount` is in Stripe's unit for the currency.
#[derive(Debug, Clone, miniserde::Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `canceled`.
    pub status: Option<String>,
    pub metadata: Option<HashMap<String, String>>,
}

impl Refund {
    /// The shop's refund this one was made for, if the shop made it.
    pub fn shop_refund_id(&self) -> Option<Uuid> {
        self.metadata
            .as_ref()
            .and_then(|m| m.get(REFUND_ID_KEY))
            .and_then(|id| Uuid::parse_str(id).ok())
    }
}

#[derive(Debug, Clone, miniserde::Deserialize)]
struct RefundPage {
    data: Vec<Refund>,
    has_more: bool,
}

/// The shop's refund id that every refund the shop makes carries in its metadata, so that a
/// refund whose answer was lost can be found again.
pub const REFUND_ID_KEY: &str = "refund_id";

/// The Stripe client and what the storefront needs to talk to Stripe itself.
pub struct Payments {
    client: Option<Client>,
    deadline: Duration,
    pub publishable_key: Option<String>,
    pub webhook_secret: Option<SecretString>,
    pub js_url: String,
    /// Payments go through the shop's demo Stripe.js (see [`demo`]).
    pub demo: bool,
    metrics: Arc<Metrics>,
    tracer: Tracer,
}

fn stripe_shipping(address: &Address) -> CreatePaymentIntentShipping {
    let mut shipping = CreatePaymentIntentShipping::new(
        CreatePaymentIntentShippingAddress {
            city: Some(address.city.clone()),
            country: Some(address.country.code().to_owned()),
            line1: Some(address.line1.clone()),
            line2: address.line2.clone(),
            postal_code: Some(address.postal_code.clone()),
            state: address.region.clone(),
        },
        address.name.clone(),
    );
    shipping.phone = address.phone.clone();
    shipping
}

impl Payments {
    pub fn new(
        settings: &StripeSettings,
        metrics: Arc<Metrics>,
        tracer: Tracer,
    ) -> Result<Self, PaymentError> {
        let client = settings
            .secret_key
            .as_ref()
            .map(|key| {
                ClientBuilder::new(key.expose_secret())
                    .url(&settings.api_base)
                    .timeout(settings.timeout)
                    .build()
            })
            .transpose()?;
        Ok(Payments {
            client,
            deadline: settings.timeout,
            publishable_key: settings.publishable_key.clone(),
            webhook_secret: settings.webhook_secret.clone(),
            js_url: settings.js_url.clone(),
            demo: settings.demo,
            metrics,
            tracer,
        })
    }

    /// How long after an order's creation its PaymentIntent call can still be in flight.
    pub fn deadline_since_creation(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.deadline).unwrap_or(chrono::Duration::seconds(60))
            + chrono::Duration::seconds(1)
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    fn client(&self, operation: StripeOperation) -> Result<&Client, PaymentError> {
        self.client.as_ref().ok_or_else(|| {
            self.metrics.stripe_call(
                operation,
                Duration::ZERO,
                Some(StripeFailure::NotConfigured),
            );
            PaymentError::NotConfigured
        })
    }

    /// Sends `request` as `operation`, made anew for each attempt (see [`Payments::bounded`]).
    async fn send<T: miniserde::Deserialize>(
        &self,
        operation: StripeOperation,
        request: &impl StripeRequest,
        strategy: RequestStrategy,
    ) -> Result<T, PaymentError> {
        let client = self.client(operation)?;
        self.bounded(operation, || {
            request
                .build()
                .customize::<T>()
                .request_strategy(strategy.clone())
                .send(client)
        })
        .await
    }

    /// Bounds the whole call, retries and all, and counts it as `operation`; with tracing on, it
    /// is a client span, the child of the request's. An attempt that could not open a connection
    /// sent nothing, so it is made again whatever the call: a Stripe host that a container's
    /// resolver misses once in a while (under podman, musl races the networks' name servers
    /// against the host's, which knows no `stripe`) must not turn a shopper away.
    async fn bounded<T, F>(
        &self,
        operation: StripeOperation,
        attempt: impl Fn() -> F,
    ) -> Result<T, PaymentError>
    where
        F: Future<Output = Result<T, StripeError>>,
    {
        let mut span = self.tracer.0.as_ref().map(|tracer| {
            tracer
                .span_builder(format!("stripe {}", operation.label()))
                .with_kind(SpanKind::Client)
                .with_attributes([KeyValue::new("stripe.operation", operation.label())])
                .start(tracer)
        });
        let started = Instant::now();
        let call = async {
            let mut pauses = RECONNECT_PAUSES.iter();
            loop {
                match attempt().await {
                    Err(err) if never_connected(&err) => {
                        let Some(pause) = pauses.next() else {
                            return Err(err);
                        };
                        log::warn!("Stripe {}: no connection, trying again", operation.label());
                        self.metrics.stripe_reconnect(operation);
                        tokio::time::sleep(*pause).await;
                    }
                    outcome => return outcome,
                }
            }
        };
        let outcome = match tokio::time::timeout(self.deadline, call).await {
            Ok(result) => result.map_err(PaymentError::from),
            Err(_) => Err(PaymentError::Unreachable("timed out".into())),
        };
        let error = outcome.as_ref().err().map(PaymentError::kind);
        if let Some(span) = span.as_mut() {
            if let Some(failure) = error {
                span.set_attribute(KeyValue::new("error.type", failure.label()));
                span.set_status(Status::error(failure.label()));
            }
            span.end();
        }
        self.metrics
            .stripe_call(operation, started.elapsed(), error);
        outcome
    }

    /// Creates the PaymentIntent for an order. The idempotency key is derived from the order, so
    /// a retry can never charge twice.
    /// Asks for `total` for the order; `shipping` is where it goes, which Stripe's fraud checks
    /// and the Dashboard use. The idempotency key is the order's, so every call for one order
    /// must send the same parameters.
    pub async fn create_intent(
        &self,
        order_id: Uuid,
        total: Money,
        shipping: Option<&Address>,
    ) -> Result<Intent, PaymentError> {
        let currency = total
            .currency()
            .code()
            .to_ascii_lowercase()
            .parse::<stripe_types::Currency>()
            .unwrap_or_else(|never| match never {});
        let amount = total.to_stripe().map_err(|e| PaymentError::Refused {
            status: 422,
            message: e.to_string(),
        })?;
        let mut request = CreatePaymentIntent::new(amount, currency).metadata(HashMap::from([(
            ORDER_ID_KEY.to_owned(),
            order_id.to_string(),
        )]));
        if let Some(address) = shipping {
            request = request.shipping(stripe_shipping(address));
        }
        let strategy = idempotent(&format!("order-{order_id}-intent"))?;
        self.send(StripeOperation::CreateIntent, &request, strategy)
            .await
    }

    pub async fn retrieve_intent(&self, intent_id: &str) -> Result<Intent, PaymentError> {
        let request = RetrievePaymentIntent::new(intent_id);
        self.send(
            StripeOperation::RetrieveIntent,
            &request,
            RequestStrategy::Once,
        )
        .await
    }

    pub async fn cancel_intent(&self, intent_id: &str) -> Result<Intent, PaymentError> {
        let request = CancelPaymentIntent::new(intent_id);
        let strategy = idempotent(&format!("{intent_id}-cancel"))?;
        self.send(StripeOperation::CancelIntent, &request, strategy)
            .await
    }

    /// Refunds `amount` for the shop's refund `refund_id`, which also makes the idempotency key and
    /// the metadata that [`Payments::refunds`] finds it by.
    pub async fn refund(
        &self,
        intent_id: &str,
        amount: Money,
        refund_id: Uuid,
    ) -> Result<Refund, PaymentError> {
        let amount = amount.to_stripe().map_err(|e| PaymentError::Refused {
            status: 422,
            message: e.to_string(),
        })?;
        let request = CreateRefund::new()
            .payment_intent(intent_id)
            .amount(amount)
            .metadata(HashMap::from([(
                REFUND_ID_KEY.to_owned(),
                refund_id.to_string(),
            )]));
        let strategy = idempotent(&format!("refund-{refund_id}"))?;
        self.send(StripeOperation::Refund, &request, strategy).await
    }

    /// Every refund of a PaymentIntent, as Stripe holds them now.
    pub async fn refunds(&self, intent_id: &str) -> Result<Vec<Refund>, PaymentError> {
        let mut refunds: Vec<Refund> = Vec::new();
        loop {
            let mut request = ListRefund::new().payment_intent(intent_id).limit(100);
            if let Some(last) = refunds.last() {
                request = request.starting_after(last.id.clone());
            }
            let page: RefundPage = self
                .send(
                    StripeOperation::ListRefunds,
                    &request,
                    RequestStrategy::Once,
                )
                .await?;
            let done = !page.has_more || page.data.is_empty();
            refunds.extend(page.data);
            if done {
                return Ok(refunds);
            }
        }
    }
}

/// The pauses before each new attempt at a call whose connection could not be opened.
const RECONNECT_PAUSES: [Duration; 2] = [Duration::from_millis(100), Duration::from_millis(400)];

/// Whether the attempt failed before anything reached Stripe: hyper's client reports a failure
/// of its connector (the name, the TCP connection, the TLS handshake) as its `Connect` kind, and
/// async-stripe keeps only that error's text.
fn never_connected(err: &StripeError) -> bool {
    matches!(err, StripeError::ClientError(cause) if cause == "client error (Connect)")
}

fn idempotent(key: &str) -> Result<RequestStrategy, PaymentError> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| PaymentError::Refused {
            status: 500,
            message: format!("idempotency key: {e}"),
        })
}
