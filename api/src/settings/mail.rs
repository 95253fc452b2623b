//! Transactional email: where it is sent from and through, and how hard a failed one is retried.
//! Without `SMTP_URL` email is off: the outbox still records each message, and marks it skipped.

use std::time::Duration;

use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};

use super::parse::parse_in_range;
use super::{RawSettings, SettingsError};

/// A shorter secret could be guessed by trying forged links.
const MIN_LOOKUP_SECRET_LEN: usize = 32;

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://` (STARTTLS when the server offers it) or `smtps://` (TLS from the start), with
    /// any credentials in it; `None` turns email off.
    pub smtp_url: Option<SecretString>,
    pub from: Option<Mailbox>,
    /// Signs the links that show a shopper their orders on any device; required with email.
    pub lookup_secret: Option<SecretString>,
    /// What the emails call the shop, and where their links point.
    pub shop_name: String,
    pub shop_url: String,
    /// Failed sends of one message before it is marked failed for the admin to see.
    pub max_attempts: i32,
    /// The first retry's delay; each next one doubles it, up to an hour.
    pub retry_base: Duration,
    /// How often each API process looks for email to send.
    pub poll_interval: Duration,
}

impl MailSettings {
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some()
    }
}

impl RawSettings {
    pub(super) fn mail(&self) -> Result<MailSettings, SettingsError> {
        let smtp_url = self
            .smtp_url
            .clone()
            .filter(|url| !url.expose_secret().is_empty());
        if let Some(url) = &smtp_url
            && !["smtp://", "smtps://"]
                .iter()
                .any(|scheme| url.expose_secret().starts_with(scheme))
        {
            return Err(SettingsError(
                "SMTP_URL must be an smtp:// or smtps:// URL".into(),
            ));
        }
        let from = self
            .mail_from
            .as_deref()
            .filter(|from| !from.is_empty())
            .map(|from| {
                from.parse::<Mailbox>().map_err(|e| {
                    SettingsError(format!(
                        "MAIL_FROM must be an address such as \"Shop <shop@example.com>\": {e}"
                    ))
                })
            })
            .transpose()?;
        if smtp_url.is_some() && from.is_none() {
            return Err(SettingsError(
                "MAIL_FROM is required when SMTP_URL is set".into(),
            ));
        }
        let lookup_secret = self
            .order_lookup_secret
            .clone()
            .filter(|secret| !secret.expose_secret().is_empty());
        match &lookup_secret {
            Some(secret) if secret.expose_secret().len() < MIN_LOOKUP_SECRET_LEN => {
                return Err(SettingsError(format!(
                    "ORDER_LOOKUP_SECRET must be at least {MIN_LOOKUP_SECRET_LEN} characters"
                )));
            }
            None if smtp_url.is_some() => {
                return Err(SettingsError(format!(
                    "ORDER_LOOKUP_SECRET (at least {MIN_LOOKUP_SECRET_LEN} characters) is required \
                     when SMTP_URL is set"
                )));
            }
            _ => {}
        }
        let shop_url = self.shop_url.trim_end_matches('/').to_owned();
        if !(shop_url.starts_with("https://") || shop_url.starts_with("http://"))
            || shop_url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(SettingsError(
                "SHOP_URL must be the storefront's http(s) URL".into(),
            ));
        }
        let shop_name = self.shop_name.trim().to_owned();
        if shop_name.is_empty()
            || shop_name.chars().count() > 100
            || shop_name.chars().any(char::is_control)
        {
            return Err(SettingsError(
                "SHOP_NAME must be 1 to 100 characters".into(),
            ));
        }
        Ok(MailSettings {
            smtp_url,
            from,
            lookup_secret,
            shop_name,
            shop_url,
            max_attempts: parse_in_range("EMAIL_MAX_ATTEMPTS", &self.email_max_attempts, 1, 100)?,
            retry_base: Duration::from_secs(parse_in_range(
                "EMAIL_RETRY_BASE_SECS",
                &self.email_retry_base_secs,
                1,
                3600,
            )?),
            poll_interval: Duration::from_millis(parse_in_range(
                "EMAIL_POLL_INTERVAL_MS",
                &self.email_poll_interval_ms,
                50,
                60_000,
            )?),
        })
    }
}
