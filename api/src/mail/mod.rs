//! Sending email over SMTP. Messages are rendered from the outbox's payloads and sent through a
//! pooled, blocking lettre transport, called from the blocking pool like the database. Every
//! message's Message-ID is derived from its outbox row, so a message sent twice (a process died
//! after the server took it but before the row was marked) is recognisable as one.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::PoolConfig;
use lettre::{Message, SmtpTransport, Transport};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::settings::MailSettings;

mod messages;

pub use self::messages::{
    AccountLinks, CancellationNotice, LookupLink, Payload, Receipt, ReceiptLine, RefundNotice,
    Rendered, ShipmentNotice, Shop,
};

/// Longest one SMTP conversation may take before the send counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message itself cannot be built (a recipient that is no address): retrying is useless.
    #[error("{0}")]
    Invalid(String),
    /// The server or the network failed; a later attempt may succeed.
    #[error("{0}")]
    Transport(String),
}

/// Where email goes, or `None` when email is off.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<SmtpTransport>,
    from: Option<Mailbox>,
    shop: Shop,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("enabled", &self.enabled())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> Result<Mailer, String> {
        let transport = match &settings.smtp_url {
            Some(url) => Some(
                SmtpTransport::from_url(url.expose_secret())
                    // lettre's error names the URL's part at fault, never its credentials.
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(PoolConfig::new().max_size(4))
                    .build(),
            ),
            None => None,
        };
        Ok(Mailer {
            transport,
            from: settings.from.clone(),
            shop: Shop {
                name: settings.shop_name.clone(),
                url: settings.shop_url.clone(),
            },
        })
    }

    pub fn enabled(&self) -> bool {
        self.transport.is_some()
    }

    /// The address the email comes from, for the start-up log.
    pub fn sender(&self) -> String {
        self.from
            .as_ref()
            .map_or_else(|| "nobody".to_owned(), ToString::to_string)
    }

    /// The Message-ID of the outbox row `id`: the same however often it is sent.
    pub fn message_id(&self, id: Uuid) -> String {
        let domain = self
            .from
            .as_ref()
            .map_or("shop.invalid", |from| from.email.domain());
        format!("<{}@{domain}>", id.simple())
    }

    /// Renders and sends one message; blocks until the server has taken it or refused it.
    pub fn send(&self, id: Uuid, recipient: &str, payload: &Payload) -> Result<(), MailError> {
        let (Some(transport), Some(from)) = (&self.transport, &self.from) else {
            return Err(MailError::Transport("email is off".into()));
        };
        let to: Mailbox = recipient
            .parse()
            .map_err(|e| MailError::Invalid(format!("recipient: {e}")))?;
        let rendered = payload
            .render(&self.shop)
            .map_err(|e| MailError::Invalid(format!("template: {e}")))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(rendered.subject)
            .message_id(Some(self.message_id(id)))
            .header(header::Date::now())
            .multipart(MultiPart::alternative_plain_html(
                rendered.text,
                rendered.html,
            ))
            .map_err(|e| MailError::Invalid(format!("message: {e}")))?;
        // A refusal the server calls permanent is retried all the same: it is as often the
        // shop's configuration (credentials, sender) as the recipient, and the operator can fix
        // the former before the attempts run out.
        transport
            .send(&message)
            .map(drop)
            .map_err(|e| MailError::Transport(e.to_string()))
    }
}
