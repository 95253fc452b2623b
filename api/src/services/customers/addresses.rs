//! The account's address book, any country (the cart's shipping address still has to be one the
//! shop ships to): at most 20 addresses, one default for shipping and one for billing, which
//! checkout preselects. An account's first address becomes both defaults.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::customer_addresses::{self as queries, AddressChanges, AddressRow};
use crate::db::{self, Pool};
use crate::domain::address::{self, Address, AddressInput};
use crate::error::{ApiError, FieldError};
use crate::services::patches::some;

/// The most addresses one account keeps.
pub const MAX_ADDRESSES: usize = 20;

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerAddress {
    pub id: Uuid,
    pub address: Address,
    pub default_shipping: bool,
    pub default_billing: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AddressRow> for CustomerAddress {
    fn from(row: AddressRow) -> CustomerAddress {
        CustomerAddress {
            id: row.id,
            address: row.address,
            default_shipping: row.default_shipping,
            default_billing: row.default_billing,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressBook {
    /// Oldest first.
    pub items: Vec<CustomerAddress>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAddressInput {
    pub address: AddressInput,
    /// Makes it the address checkout preselects for shipping, instead of the one before.
    #[serde(default)]
    pub default_shipping: bool,
    /// Likewise for billing.
    #[serde(default)]
    pub default_billing: bool,
}

/// Only the fields present change. `true` makes the address a default instead of the one
/// before; `false` leaves the account without that default.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressPatchInput {
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub address: Option<AddressInput>,
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub default_shipping: Option<bool>,
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub default_billing: Option<bool>,
}

/// Every wrong field at once, named within `address` (`address.postal_code`).
fn checked(input: &AddressInput) -> Result<Address, ApiError> {
    address::address(input, |_| true).map_err(|wrong| {
        ApiError::InvalidFields(
            wrong
                .into_iter()
                .map(|invalid| FieldError {
                    field: format!("address.{}", invalid.field).into(),
                    message: invalid.message,
                })
                .collect(),
        )
    })
}

fn no_address(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("your address book has no address {id}"))
}

pub async fn list(pool: &Pool, customer_id: Uuid) -> Result<AddressBook, ApiError> {
    let rows = db::run(pool, move |conn| Ok(queries::list(conn, customer_id)?)).await?;
    Ok(AddressBook {
        items: rows.into_iter().map(CustomerAddress::from).collect(),
    })
}

pub async fn add(
    pool: &Pool,
    customer_id: Uuid,
    input: NewAddressInput,
) -> Result<CustomerAddress, ApiError> {
    let address = checked(&input.address)?;
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            // The account's row lock keeps two additions from both passing the limit.
            crate::db::customers::lock(conn, customer_id)?.ok_or(ApiError::SignInRequired)?;
            let existing = queries::list(conn, customer_id)?;
            if existing.len() >= MAX_ADDRESSES {
                return Err(ApiError::unprocessable(format!(
                    "an address book holds at most {MAX_ADDRESSES} addresses; delete one first"
                )));
            }
            let shipping = input.default_shipping || !existing.iter().any(|a| a.default_shipping);
            let billing = input.default_billing || !existing.iter().any(|a| a.default_billing);
            queries::clear_defaults(conn, customer_id, None, shipping, billing)?;
            Ok(queries::insert(conn, customer_id, &address, shipping, billing)?.into())
        })
    })
    .await
}

pub async fn update(
    pool: &Pool,
    customer_id: Uuid,
    id: Uuid,
    input: AddressPatchInput,
) -> Result<CustomerAddress, ApiError> {
    let address = input.address.as_ref().map(checked).transpose()?;
    let (shipping, billing) = (input.default_shipping, input.default_billing);
    db::run(pool, move |conn| {
        conn.transaction(|conn| {
            crate::db::customers::lock(conn, customer_id)?.ok_or(ApiError::SignInRequired)?;
            queries::clear_defaults(
                conn,
                customer_id,
                Some(id),
                shipping == Some(true),
                billing == Some(true),
            )?;
            let changes = AddressChanges {
                address,
                default_shipping: shipping,
                default_billing: billing,
            };
            queries::update(conn, customer_id, id, &changes)?
                .map(CustomerAddress::from)
                .ok_or_else(|| no_address(id))
        })
    })
    .await
}

pub async fn delete(pool: &Pool, customer_id: Uuid, id: Uuid) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        match queries::delete(conn, customer_id, id)? {
            0 => Err(no_address(id)),
            _ => Ok(()),
        }
    })
    .await
}
