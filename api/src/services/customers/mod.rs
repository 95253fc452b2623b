//! Shoppers' accounts, on top of guest checkout: sign-up with an email that must be confirmed
//! before anyone can sign in, sessions kept in PostgreSQL, password reset by emailed link, and the
//! account's orders, guest orders of the confirmed address included.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::customers::CustomerRow;
use crate::domain::accounts::TokenPurpose;
use crate::domain::lookup::{self, Purpose};
use crate::error::ApiError;
use crate::services::auth::secrets;

pub mod addresses;
pub mod carts;
pub mod housekeeping;
pub mod inputs;
pub mod orders;
pub mod privacy;
pub mod profile;
pub mod registration;
pub mod reset;
pub mod sessions;

/// How long a sign-up's confirmation link works.
pub const VERIFY_VALID_SECS: i64 = 24 * 3600;
/// How long a password reset link works.
pub const RESET_VALID_SECS: i64 = 30 * 60;
/// One account email of a kind per address a minute, however many clients ask.
const RESEND_AFTER_SECS: i32 = 60;

/// What accounts need besides the database: the secret that signs their emailed links, and the
/// storefront whose pages those links open. Accounts are off without email, since nobody could
/// confirm an address.
#[derive(Clone)]
pub struct Accounts {
    secret: Option<SecretString>,
    shop_url: String,
}

impl Accounts {
    /// `secret` is the order lookup secret: links are signed under a label of their own purpose,
    /// so one secret serves both without a link of one kind ever working as another.
    pub fn new(secret: Option<SecretString>, shop_url: &str, mail_enabled: bool) -> Accounts {
        Accounts {
            secret: secret.filter(|_| mail_enabled),
            shop_url: shop_url.to_owned(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.secret.is_some()
    }

    /// Refuses every account operation while accounts are off, as a route that does not exist.
    pub fn require(&self) -> Result<&SecretString, ApiError> {
        self.secret
            .as_ref()
            .ok_or_else(|| ApiError::NotFound("this shop has no customer accounts".into()))
    }

    fn purpose(purpose: TokenPurpose) -> (Purpose, &'static str) {
        match purpose {
            TokenPurpose::VerifyEmail => (Purpose::VerifyEmail, "verify"),
            TokenPurpose::ResetPassword => (Purpose::ResetPassword, "reset"),
        }
    }

    /// The storefront link that hands `token_id` back, signed; the token rides in the fragment,
    /// which browsers send to no server.
    fn link(
        &self,
        purpose: TokenPurpose,
        token_id: Uuid,
        expires_at: i64,
    ) -> Result<String, ApiError> {
        let secret = self.require()?;
        let (purpose, page) = Self::purpose(purpose);
        let token = lookup::sign_for(
            secret.expose_secret().as_bytes(),
            purpose,
            &token_id.to_string(),
            expires_at,
        );
        Ok(format!("{}/account/{page}#token={token}", self.shop_url))
    }

    /// The secret of the account's cart: derived, never stored, the same on every device until
    /// the password changes.
    fn cart_secret(&self, account: &CustomerRow, cart_id: Uuid) -> Result<String, ApiError> {
        let secret = self.require()?;
        Ok(lookup::derive(
            secret.expose_secret().as_bytes(),
            Purpose::AccountCart,
            &format!(
                "{}\n{}\n{cart_id}",
                account.id,
                account.password_changed_at.timestamp_micros()
            ),
        ))
    }

    fn page(&self, page: &str) -> String {
        format!("{}/account/{page}", self.shop_url)
    }

    /// The token row a link names, if the link is genuine and current.
    fn token_of(&self, purpose: TokenPurpose, token: &str) -> Result<Uuid, ApiError> {
        let secret = self.require()?;
        let (purpose, _) = Self::purpose(purpose);
        lookup::verify_for(
            secret.expose_secret().as_bytes(),
            purpose,
            token,
            Utc::now().timestamp(),
        )
        .and_then(|subject| subject.parse().ok())
        .ok_or(ApiError::LinkInvalid)
    }
}

/// Retires the account cart's secret handed out so far, whose derivation follows the password:
/// the next `POST /customers/me/cart` hands out the new one.
pub(crate) fn retire_cart_secret(
    conn: &mut diesel::PgConnection,
    customer_id: Uuid,
) -> Result<(), ApiError> {
    let unusable = crate::services::carts::secret_digest(&secrets::random_token()?);
    crate::db::account_carts::rekey_account_cart(conn, customer_id, &unusable)?;
    Ok(())
}

/// A shopper with a live session.
#[derive(Debug, Clone)]
pub struct CustomerPrincipal {
    pub id: Uuid,
    pub email: String,
    /// The session's cookie, which its CSRF token is derived from.
    pub session: String,
}

/// An account as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: Uuid,
    #[schema(example = "ada@example.com")]
    pub email: String,
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub marketing_consent: MarketingConsent,
    pub created_at: DateTime<Utc>,
}

/// Whether the shopper agreed to marketing email, and when they last said so.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketingConsent {
    pub granted: bool,
    pub changed_at: Option<DateTime<Utc>>,
}

impl From<CustomerRow> for CustomerView {
    fn from(row: CustomerRow) -> CustomerView {
        CustomerView {
            id: row.id,
            email: row.email,
            name: row.name,
            email_verified_at: row.email_verified_at,
            marketing_consent: MarketingConsent {
                granted: row.marketing_consent,
                changed_at: row.marketing_consent_at,
            },
            created_at: row.created_at,
        }
    }
}
