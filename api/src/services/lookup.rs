//! Orders found from any device: the shopper asks for a link by email, and the signed link (valid
//! 30 minutes) lists that address's paid orders and opens each of them. Asking always answers the
//! same, so it never tells whether an address has orders; a link that is forged, altered or
//! expired answers 404, as an unknown one would.

use chrono::Utc;
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::emails::{self as queries, NewEmail};
use crate::db::{self, Pool};
use crate::domain::email;
use crate::domain::lookup::{self, LOOKUP_VALID_SECS};
use crate::domain::status::EmailKind;
use crate::error::ApiError;
use crate::mail::{LookupLink, Payload};
use crate::services::orders::{self, Order};

/// One lookup link per address per minute, however many clients ask for it.
const RESEND_AFTER_SECS: i32 = 60;

/// What signs the links, and the storefront page they open.
#[derive(Clone)]
pub struct OrderLookup {
    secret: Option<SecretString>,
    shop_url: String,
}

impl OrderLookup {
    pub fn new(secret: Option<SecretString>, shop_url: &str) -> OrderLookup {
        OrderLookup {
            secret,
            shop_url: shop_url.to_owned(),
        }
    }

    /// The address a token opens, if it is genuine and current.
    fn email_of(&self, token: &str) -> Result<String, ApiError> {
        let not_found = || ApiError::NotFound("no such link, or it has expired".into());
        let secret = self.secret.as_ref().ok_or_else(not_found)?;
        lookup::verify(
            secret.expose_secret().as_bytes(),
            token,
            Utc::now().timestamp(),
        )
        .ok_or_else(not_found)
    }
}

/// The orders a lookup link shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundOrders {
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// Paid orders, newest first (the 100 newest).
    pub orders: Vec<Order>,
}

/// Mails `email` a link to its orders, if it has paid orders and none was mailed in the last
/// minute. Answers the same whether or not it did.
pub async fn request(pool: &Pool, lookup: &OrderLookup, address: &str) -> Result<(), ApiError> {
    let address = email::parse(address).map_err(|e| ApiError::invalid("email", e))?;
    let Some(secret) = lookup.secret.as_ref() else {
        return Ok(());
    };
    let key = address.to_lowercase();
    let expires_at = Utc::now().timestamp() + LOOKUP_VALID_SECS;
    let token = lookup::sign(secret.expose_secret().as_bytes(), &key, expires_at);
    let payload = Payload::OrderLookup(LookupLink {
        url: format!("{}/orders/find#token={token}", lookup.shop_url),
        valid_minutes: u32::try_from(LOOKUP_VALID_SECS / 60).unwrap_or(30),
    });
    let payload = serde_json::to_value(&payload)
        .map_err(|e| ApiError::Internal(format!("email payload: {e}")))?;
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let has_orders = !crate::db::orders::paid_orders_of(conn, &key, 1)?.is_empty();
            if has_orders
                && !queries::sent_within(conn, EmailKind::OrderLookup, &key, RESEND_AFTER_SECS)?
            {
                queries::insert(
                    conn,
                    &NewEmail {
                        order_id: None,
                        customer_id: None,
                        kind: EmailKind::OrderLookup,
                        recipient: &address,
                        payload,
                        resent_from: None,
                    },
                )?;
            }
            Ok(())
        })
    })
    .await
}

/// The paid orders of the address a link was made for.
pub async fn found(
    pool: &Pool,
    lookup: &OrderLookup,
    token: &str,
) -> Result<FoundOrders, ApiError> {
    let email = lookup.email_of(token)?;
    db::run(pool, move |conn| {
        let orders = orders::paid_orders_of(conn, &email)?;
        Ok(FoundOrders { email, orders })
    })
    .await
}

/// One of those orders.
pub async fn order(
    pool: &Pool,
    lookup: &OrderLookup,
    order_id: Uuid,
    token: &str,
) -> Result<Order, ApiError> {
    // A bad link reads exactly as a missing order does.
    let email = lookup
        .email_of(token)
        .map_err(|_| ApiError::NotFound("no such order".into()))?;
    db::run(pool, move |conn| {
        orders::paid_order_of(conn, order_id, &email)
    })
    .await
}
