//! The orders of an account: guest orders claimed once the address is verified, and the account's
//! own orders, paged.

use diesel::prelude::*;
use uuid::Uuid;

use super::orders::{OrderRow, lower};
use super::schema::{customers, orders};

/// Attaches the paid guest orders placed with `email` (lower case) to the account. Called only
/// once the account's address is verified. An anonymised order never matches: its address is
/// replaced.
pub fn claim_paid_orders(
    conn: &mut PgConnection,
    customer_id: Uuid,
    email: &str,
) -> QueryResult<usize> {
    diesel::update(
        orders::table
            .filter(orders::customer_id.is_null())
            .filter(orders::paid_at.is_not_null())
            .filter(lower(orders::email).eq(email)),
    )
    .set(orders::customer_id.eq(customer_id))
    .execute(conn)
}

/// Attaches a newly paid guest order to the verified account of its address, if there is one.
pub fn attach_to_verified_customer(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<usize> {
    let Some(email) = orders::table
        .find(order_id)
        .filter(orders::customer_id.is_null())
        .select(lower(orders::email))
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(0);
    };
    let owner = customers::table
        .filter(customers::email.eq(&email))
        .filter(customers::email_verified_at.is_not_null())
        .select(customers::id)
        .first::<Uuid>(conn)
        .optional()?;
    match owner {
        Some(customer_id) => diesel::update(orders::table.find(order_id))
            .set(orders::customer_id.eq(customer_id))
            .execute(conn),
        None => Ok(0),
    }
}

/// A page of the account's paid orders, newest first, and how many there are in all.
pub fn paid_orders(
    conn: &mut PgConnection,
    customer_id: Uuid,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<OrderRow>, i64)> {
    let owned = || {
        orders::table
            .filter(orders::customer_id.eq(customer_id))
            .filter(orders::paid_at.is_not_null())
    };
    let total = owned().count().get_result(conn)?;
    let rows = owned()
        .order((orders::created_at.desc(), orders::id))
        .limit(limit)
        .offset(offset)
        .select(OrderRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The account's paid order with this id, if it is theirs.
pub fn paid_order(
    conn: &mut PgConnection,
    customer_id: Uuid,
    order_id: Uuid,
) -> QueryResult<Option<OrderRow>> {
    orders::table
        .find(order_id)
        .filter(orders::customer_id.eq(customer_id))
        .filter(orders::paid_at.is_not_null())
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

/// Every order of the account, whatever its state, and any placed with its confirmed address:
/// what an export of the account's data lists. Newest first.
pub fn all_orders(
    conn: &mut PgConnection,
    customer_id: Uuid,
    email: &str,
) -> QueryResult<Vec<OrderRow>> {
    orders::table
        .filter(
            orders::customer_id
                .eq(customer_id)
                .or(lower(orders::email).eq(email)),
        )
        .order((orders::created_at.desc(), orders::id))
        .select(OrderRow::as_select())
        .load(conn)
}
