//! What the storefront needs at run time, so nothing environment-specific is baked into its bundle.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::currency::Currency;
use crate::domain::pricing::TaxMode;
use crate::mail::Mailer;
use crate::payments::Payments;
use crate::services::customers::Accounts;

#[derive(Debug, Serialize, ToSchema)]
pub struct StorefrontConfig {
    /// Stripe publishable key; `null` when payments are not configured.
    #[schema(example = "pk_test_51Hxxxxxxxx")]
    pub stripe_publishable_key: Option<String>,
    /// Where to load Stripe.js from.
    #[schema(example = "https://js.stripe.com/endive/stripe.js")]
    pub stripe_js_url: String,
    /// ISO 4217 code of the shop's currency.
    #[schema(example = "EUR")]
    pub currency: String,
    /// Decimal places of the currency's minor unit.
    #[schema(example = 2)]
    pub currency_exponent: u8,
    /// Whether the prices shown include tax (EU style) or tax is added at checkout (US style).
    pub prices_include_tax: bool,
    /// Payments go to a fake Stripe server through the shop's demo Stripe.js: no real money
    /// moves, and the storefront says so.
    pub demo_payments: bool,
    /// Whether the shop sends email (receipts, shipping notices, order lookup links); without
    /// it the storefront promises none.
    pub emails_enabled: bool,
    /// Whether shoppers can create accounts (sign-up needs email to confirm the address).
    pub accounts_enabled: bool,
}

pub fn config(
    payments: &Payments,
    mailer: &Mailer,
    accounts: &Accounts,
    currency: Currency,
    tax_mode: TaxMode,
) -> StorefrontConfig {
    StorefrontConfig {
        stripe_publishable_key: payments.publishable_key.clone(),
        stripe_js_url: payments.js_url.clone(),
        currency: currency.code().to_owned(),
        currency_exponent: currency.exponent(),
        prices_include_tax: tax_mode == TaxMode::Inclusive,
        demo_payments: payments.demo,
        emails_enabled: mailer.enabled(),
        accounts_enabled: accounts.enabled(),
    }
}
