//! The carts of accounts: one live cart per account (a partial unique index), opened by a secret
//! the service derives, and what a guest cart hands over when it joins one.

use diesel::prelude::*;
use uuid::Uuid;

use super::carts::CartRow;
use super::schema::carts;
use crate::domain::status::CartStatus;

/// The account's cart that is not closed (open, or locked by a checkout), expired or not, locked
/// until the transaction ends.
pub fn lock_account_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
) -> QueryResult<Option<CartRow>> {
    carts::table
        .filter(carts::customer_id.eq(customer_id))
        .filter(carts::status.ne(CartStatus::Closed))
        .select(CartRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Makes the cart the account's, opened by `secret_hash` from now on.
pub fn set_owner(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_id: Uuid,
    secret_hash: &[u8],
) -> QueryResult<CartRow> {
    diesel::update(carts::table.find(cart_id))
        .set((
            carts::customer_id.eq(customer_id),
            carts::secret_hash.eq(secret_hash),
        ))
        .returning(CartRow::as_returning())
        .get_result(conn)
}

/// Changes the secret of the account's live cart, so that one handed out before stops working.
pub fn rekey_account_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
    secret_hash: &[u8],
) -> QueryResult<usize> {
    diesel::update(
        carts::table
            .filter(carts::customer_id.eq(customer_id))
            .filter(carts::status.ne(CartStatus::Closed)),
    )
    .set(carts::secret_hash.eq(secret_hash))
    .execute(conn)
}

pub fn delete_cart(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<usize> {
    diesel::delete(carts::table.find(cart_id)).execute(conn)
}

/// Moves the guest cart's promotion code and addresses to the account's cart where it has none.
pub fn take_over_details(conn: &mut PgConnection, from: &CartRow, to: &CartRow) -> QueryResult<()> {
    if to.shipping_address.is_none() && from.shipping_address.is_some() {
        diesel::update(carts::table.find(to.id))
            .set((
                carts::shipping_address.eq(&from.shipping_address),
                carts::billing_address.eq(&from.billing_address),
                carts::shipping_rate_id.eq(from.shipping_rate_id),
            ))
            .execute(conn)?;
    }
    if to.promotion_id.is_none() && from.promotion_id.is_some() {
        diesel::update(carts::table.find(to.id))
            .set(carts::promotion_id.eq(from.promotion_id))
            .execute(conn)?;
    }
    Ok(())
}
