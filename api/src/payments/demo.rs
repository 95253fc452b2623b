//! What the demo Stripe.js asks of Stripe on the shopper's behalf. Real Stripe.js confirms a
//! PaymentIntent from the browser with the publishable key; the fake Stripe server only lets the
//! secret key do so, so in demo mode the API relays these calls, and only with Stripe's own test
//! payment methods, which can never move real money.

use serde::Serialize;
use stripe::RequestStrategy;
use stripe_client_core::{RequestBuilder, StripeMethod};
use stripe_core::payment_intent::{ConfirmPaymentIntent, UpdatePaymentIntent};

use super::{Intent, PaymentError, Payments};
use crate::metrics::StripeOperation;

/// The 3-D Secure step as the fake Stripe server takes it: the shopper approved or declined.
#[derive(Serialize)]
struct Authentication<'a> {
    client_secret: &'a str,
    success: bool,
}

impl Payments {
    /// Sets the payment method on the PaymentIntent, then confirms it, as Stripe.js does.
    pub async fn demo_confirm(
        &self,
        intent_id: &str,
        payment_method: &str,
    ) -> Result<Intent, PaymentError> {
        let update = UpdatePaymentIntent::new(intent_id).payment_method(payment_method);
        self.send::<Intent>(StripeOperation::DemoConfirm, &update, RequestStrategy::Once)
            .await?;
        let confirm = ConfirmPaymentIntent::new(intent_id);
        self.send(
            StripeOperation::DemoConfirm,
            &confirm,
            RequestStrategy::Once,
        )
        .await
    }

    /// Ends the fake Stripe server's 3-D Secure step.
    pub async fn demo_authenticate(
        &self,
        intent_id: &str,
        client_secret: &str,
        success: bool,
    ) -> Result<Intent, PaymentError> {
        let client = self.client(StripeOperation::DemoAuthenticate)?;
        let authentication = Authentication {
            client_secret,
            success,
        };
        self.bounded(StripeOperation::DemoAuthenticate, || {
            RequestBuilder::new(
                StripeMethod::Post,
                format!("/payment_intents/{intent_id}/_authenticate"),
            )
            .form(&authentication)
            .customize::<Intent>()
            .send(client)
        })
        .await
    }
}
