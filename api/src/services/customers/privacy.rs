//! The shopper's rights over their data (GDPR Art. 15, 17, 20): a JSON export of everything the
//! shop holds about the account, and erasure, which deletes the account and anonymises its
//! orders, keeping their totals and lines for the accounts the law requires the shop to keep.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::addresses::CustomerAddress;
use super::{CustomerPrincipal, CustomerView, sessions};
use crate::db::customers as queries;
use crate::db::{self, Pool, customer_addresses, customer_orders, emails, erasure};
use crate::domain::staff::ActorKind;
use crate::domain::status::{EmailKind, EmailStatus, FulfillmentStatus, OrderStatus};
use crate::error::ApiError;
use crate::services::audit::{self, AuditEntry};
use crate::services::auth::login::SessionRules;
use crate::services::orders::{Order, OrderRows, order_view};

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecord {
    #[schema(example = "marketing_email")]
    pub purpose: String,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
}

/// An email as the export lists it; its contents are left out, since they hold live links.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEmail {
    pub id: Uuid,
    pub kind: EmailKind,
    pub recipient: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSession {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The address the session was opened from.
    pub client_addr: String,
}

/// Everything the shop holds about an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerExport {
    pub exported_at: DateTime<Utc>,
    pub profile: CustomerView,
    /// Every change of consent, oldest first.
    pub consents: Vec<ConsentRecord>,
    pub addresses: Vec<CustomerAddress>,
    /// The account's orders in every state, and any placed with its address; newest first.
    pub orders: Vec<Order>,
    /// Oldest first.
    pub emails: Vec<ExportedEmail>,
    pub sessions: Vec<ExportedSession>,
}

pub async fn export(pool: &Pool, customer_id: Uuid) -> Result<CustomerExport, ApiError> {
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let account = queries::find(conn, customer_id)?.ok_or(ApiError::SignInRequired)?;
            let orders = customer_orders::all_orders(conn, customer_id, &account.email)?;
            let order_ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
            let emails = emails::of_account(conn, customer_id, &account.email, &order_ids)?;
            Ok(CustomerExport {
                exported_at: Utc::now(),
                consents: queries::consents(conn, customer_id)?
                    .into_iter()
                    .map(|c| ConsentRecord {
                        purpose: c.purpose,
                        granted: c.granted,
                        recorded_at: c.recorded_at,
                    })
                    .collect(),
                addresses: customer_addresses::list(conn, customer_id)?
                    .into_iter()
                    .map(CustomerAddress::from)
                    .collect(),
                orders: OrderRows::read_all(conn, orders)?
                    .into_iter()
                    .map(order_view)
                    .collect(),
                emails: emails
                    .into_iter()
                    .map(|e| ExportedEmail {
                        id: e.id,
                        kind: e.kind,
                        recipient: e.recipient,
                        status: e.status,
                        created_at: e.created_at,
                        sent_at: e.sent_at,
                    })
                    .collect(),
                sessions: queries::sessions_of(conn, customer_id)?
                    .into_iter()
                    .map(|s| ExportedSession {
                        created_at: s.created_at,
                        last_seen_at: s.last_seen_at,
                        client_addr: s.client_addr,
                    })
                    .collect(),
                profile: account.into(),
            })
        })
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "violet kettle harbour lamp"}))]
pub struct ErasureInput {
    /// The account's password, asked again: erasure cannot be undone.
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

/// Whether an order still needs its buyer: to pay, or to be shipped to.
fn open(status: OrderStatus, fulfillment: FulfillmentStatus) -> bool {
    match status {
        OrderStatus::PendingPayment => true,
        OrderStatus::Paid | OrderStatus::NeedsReview | OrderStatus::PartiallyRefunded => {
            fulfillment != FulfillmentStatus::Fulfilled
        }
        OrderStatus::Cancelled | OrderStatus::Refunded => false,
    }
}

/// Erases the account, given its password: its orders, and the finished ones placed with its
/// address, are anonymised, and it is deleted with its sessions, links, addresses, consents, cart
/// and email. Refused while an order of the account is still to be paid or shipped. Recorded in
/// the audit log, by the account's id, never its address.
pub async fn erase(
    pool: &Pool,
    rules: SessionRules,
    principal: &CustomerPrincipal,
    input: ErasureInput,
    client_addr: String,
) -> Result<(), ApiError> {
    let id = principal.id;
    let checked =
        sessions::check_password(pool, &rules, &client_addr, input.password, move |conn| {
            Ok(queries::find(conn, id)?)
        })
        .await?;
    let erased = db::run(pool, move |conn| {
        conn.transaction(|conn| {
            let Some(account) = sessions::settle(conn, &rules, &checked, &client_addr)? else {
                return Ok(false);
            };
            customer_orders::claim_paid_orders(conn, account.id, &account.email)?;
            let orders = erasure::orders_of_account(conn, account.id, &account.email)?;
            let owned = |order: &erasure::ErasableOrder| order.customer_id == Some(account.id);
            // Only the account's own orders hold erasure back: anyone can start a checkout with
            // an address. Another's order still under way keeps its address until it is done.
            let unfinished: Vec<Uuid> = orders
                .iter()
                .filter(|order| owned(order) && open(order.status, order.fulfillment))
                .map(|order| order.id)
                .collect();
            if !unfinished.is_empty() {
                return Err(ApiError::AccountHasOpenOrders {
                    detail: format!(
                        "{} of your orders are still to be paid or shipped; the account can be \
                         deleted once they are delivered or cancelled",
                        unfinished.len()
                    ),
                    order_ids: unfinished,
                });
            }
            let ids: Vec<Uuid> = orders
                .iter()
                .filter(|order| !open(order.status, order.fulfillment))
                .map(|order| order.id)
                .collect();
            let anonymised = erasure::anonymise_orders(conn, &ids)?;
            erasure::delete_lookup_emails(conn, &account.email)?;
            audit::write(
                conn,
                &AuditEntry {
                    actor_kind: ActorKind::Customer,
                    actor_id: Some(account.id),
                    actor_label: "customer".to_owned(),
                    operation: "erase_customer".to_owned(),
                    target_type: Some("customer"),
                    target_id: Some(account.id.to_string()),
                    client_addr: client_addr.clone(),
                    status: 204,
                    summary: serde_json::json!({ "orders_anonymised": anonymised }),
                },
            )?;
            queries::delete(conn, account.id)?;
            Ok(true)
        })
    })
    .await?;
    if erased {
        Ok(())
    } else {
        Err(ApiError::invalid("password", "is not your password"))
    }
}
