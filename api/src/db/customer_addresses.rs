//! An account's address book: at most one default shipping and one default billing address, which
//! partial unique indexes enforce.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::orders::db_now;
use super::schema::customer_addresses as book;
use crate::domain::address::Address;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = book, check_for_backend(Pg))]
pub struct AddressRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub address: Address,
    pub default_shipping: bool,
    pub default_billing: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The account's addresses, oldest first.
pub fn list(conn: &mut PgConnection, customer_id: Uuid) -> QueryResult<Vec<AddressRow>> {
    book::table
        .filter(book::customer_id.eq(customer_id))
        .order((book::created_at, book::id))
        .select(AddressRow::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut PgConnection,
    customer_id: Uuid,
    address: &Address,
    default_shipping: bool,
    default_billing: bool,
) -> QueryResult<AddressRow> {
    diesel::insert_into(book::table)
        .values((
            book::customer_id.eq(customer_id),
            book::address.eq(address),
            book::default_shipping.eq(default_shipping),
            book::default_billing.eq(default_billing),
        ))
        .returning(AddressRow::as_returning())
        .get_result(conn)
}

/// What a change sets; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = book)]
pub struct AddressChanges {
    pub address: Option<Address>,
    pub default_shipping: Option<bool>,
    pub default_billing: Option<bool>,
}

pub fn update(
    conn: &mut PgConnection,
    customer_id: Uuid,
    id: Uuid,
    changes: &AddressChanges,
) -> QueryResult<Option<AddressRow>> {
    diesel::update(
        book::table
            .find(id)
            .filter(book::customer_id.eq(customer_id)),
    )
    .set((changes, book::updated_at.eq(db_now())))
    .returning(AddressRow::as_returning())
    .get_result(conn)
    .optional()
}

/// Takes the default flags off every address of the account but `keep`, before `keep` gets them.
pub fn clear_defaults(
    conn: &mut PgConnection,
    customer_id: Uuid,
    keep: Option<Uuid>,
    shipping: bool,
    billing: bool,
) -> QueryResult<()> {
    // An id no row has stands for "keep none".
    let keep = keep.unwrap_or(Uuid::nil());
    let others = || {
        book::table
            .filter(book::customer_id.eq(customer_id))
            .filter(book::id.ne(keep))
    };
    if shipping {
        diesel::update(others())
            .set(book::default_shipping.eq(false))
            .execute(conn)?;
    }
    if billing {
        diesel::update(others())
            .set(book::default_billing.eq(false))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete(conn: &mut PgConnection, customer_id: Uuid, id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        book::table
            .find(id)
            .filter(book::customer_id.eq(customer_id)),
    )
    .execute(conn)
}
