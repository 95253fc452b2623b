//! Stripe: keys, where its API is, and the demo mode that can never meet a live key.

use std::time::Duration;

use secrecy::ExposeSecret;

use super::parse::{parse_flag, parse_in_range};
use super::{DEMO_STRIPE_JS_PATH, RawSettings, SettingsError, StripeSettings};

impl RawSettings {
    pub(super) fn stripe(&self) -> Result<StripeSettings, SettingsError> {
        let api_base = self.stripe_api_base.trim_end_matches('/').to_owned();
        if !(api_base.starts_with("https://") || api_base.starts_with("http://")) {
            return Err(SettingsError(
                "STRIPE_API_BASE must be an http(s) URL".into(),
            ));
        }
        let secret_key = self
            .stripe_secret_key
            .clone()
            .filter(|k| !k.expose_secret().is_empty());
        let publishable_key = self
            .stripe_publishable_key
            .clone()
            .filter(|k| !k.is_empty());
        let demo = parse_flag("DEMO_PAYMENTS", &self.demo_payments)?;
        let live = secret_key.as_ref().is_some_and(|k| {
            let k = k.expose_secret();
            k.starts_with("sk_live_") || k.starts_with("rk_live_")
        }) || publishable_key
            .as_deref()
            .is_some_and(|k| k.starts_with("pk_live_"));
        if demo && live {
            return Err(SettingsError(
                "DEMO_PAYMENTS is on with a live Stripe key: demo payments must never meet real money; \
                 use test keys (sk_test_, pk_test_) or turn DEMO_PAYMENTS off"
                    .into(),
            ));
        }
        Ok(StripeSettings {
            secret_key,
            publishable_key,
            webhook_secret: self
                .stripe_webhook_secret
                .clone()
                .filter(|k| !k.expose_secret().is_empty()),
            api_base,
            timeout: Duration::from_millis(parse_in_range(
                "STRIPE_TIMEOUT_MS",
                &self.stripe_timeout_ms,
                100,
                120_000,
            )?),
            js_url: if demo {
                DEMO_STRIPE_JS_PATH.to_owned()
            } else {
                self.stripe_js_url.clone()
            },
            demo,
        })
    }
}
