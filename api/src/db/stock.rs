//! How orders move stock. Stock only moves through conditional updates, so it can never be
//! oversold or go negative, and an order's `stock_state` says which move it made last.

use diesel::prelude::*;
use uuid::Uuid;

use super::orders::OrderRow;
use super::schema::{cart_lines, orders, variants};
use crate::domain::status::StockState;

/// Takes `quantity` units of a variant off what can be sold, if that many are available.
///
/// A plain read first: when a flash sale has sold out, the shoppers still arriving are refused
/// from the last committed figures, instead of each queueing on the variant's row lock behind
/// the checkouts that hold it, with a pooled connection held all the while. The conditional
/// update stays the guarantee; the read only ever refuses what it would have refused a moment
/// earlier.
pub fn reserve(conn: &mut PgConnection, variant_id: Uuid, quantity: i32) -> QueryResult<bool> {
    let available: Option<i32> = variants::table
        .find(variant_id)
        .filter(variants::active.eq(true))
        .select(variants::stock_on_hand - variants::stock_reserved)
        .first(conn)
        .optional()?;
    if available.is_none_or(|available| available < quantity) {
        return Ok(false);
    }
    diesel::update(
        variants::table
            .find(variant_id)
            .filter(variants::active.eq(true))
            .filter((variants::stock_on_hand - variants::stock_reserved).ge(quantity)),
    )
    .set(variants::stock_reserved.eq(variants::stock_reserved + quantity))
    .execute(conn)
    .map(|updated| updated == 1)
}

/// A cart line asking for more than its variant has left.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Shortfall {
    pub variant_id: Uuid,
    pub sku: String,
    pub requested: i32,
    pub available: i32,
}

/// The lines of a cart that ask for more than their (active) variant has left, by the last
/// committed figures, read without a lock; in variant order, as `reserve` is called.
pub fn cart_shortfalls(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<Vec<Shortfall>> {
    let available = variants::stock_on_hand - variants::stock_reserved;
    cart_lines::table
        .inner_join(variants::table)
        .filter(cart_lines::cart_id.eq(cart_id))
        .filter(variants::active.eq(true))
        .filter(cart_lines::quantity.gt(available))
        .select((variants::id, variants::sku, cart_lines::quantity, available))
        .order(variants::id.asc())
        .load(conn)
}

/// Gives an order's reserved units back. Returns false when the order held no reservation.
pub fn release_stock(conn: &mut PgConnection, order: &OrderRow) -> QueryResult<bool> {
    if order.stock_state != StockState::Reserved {
        return Ok(false);
    }
    for line in super::orders::order_lines(conn, order.id)? {
        diesel::update(variants::table.find(line.variant_id))
            .set(variants::stock_reserved.eq(variants::stock_reserved - line.quantity))
            .execute(conn)?;
    }
    set_stock_state(conn, order.id, StockState::Released)?;
    Ok(true)
}

/// Turns an order's reservation into a sale: the units leave stock on hand.
pub fn commit_stock(conn: &mut PgConnection, order: &OrderRow) -> QueryResult<bool> {
    if order.stock_state != StockState::Reserved {
        return Ok(false);
    }
    for line in super::orders::order_lines(conn, order.id)? {
        diesel::update(variants::table.find(line.variant_id))
            .set((
                variants::stock_reserved.eq(variants::stock_reserved - line.quantity),
                variants::stock_on_hand.eq(variants::stock_on_hand - line.quantity),
            ))
            .execute(conn)?;
    }
    set_stock_state(conn, order.id, StockState::Committed)?;
    Ok(true)
}

/// Undoes a sale that will not ship (a cancelled paid order): its units return to stock on hand.
/// Returns false when the order's units were not sold.
pub fn restock_sold(conn: &mut PgConnection, order: &OrderRow) -> QueryResult<bool> {
    if order.stock_state != StockState::Committed {
        return Ok(false);
    }
    for line in super::orders::order_lines(conn, order.id)? {
        diesel::update(variants::table.find(line.variant_id))
            .set(variants::stock_on_hand.eq(variants::stock_on_hand + line.quantity))
            .execute(conn)?;
    }
    set_stock_state(conn, order.id, StockState::Released)?;
    Ok(true)
}

/// A sale whose reservation was already released (a payment that arrived late): takes the units
/// straight off stock if they are still there. Returns false, changing nothing, when they are not.
pub fn take_released_stock(conn: &mut PgConnection, order: &OrderRow) -> QueryResult<bool> {
    if order.stock_state != StockState::Released {
        return Ok(false);
    }
    conn.transaction(|conn| {
        for line in super::orders::order_lines(conn, order.id)? {
            let taken =
                diesel::update(variants::table.find(line.variant_id).filter(
                    (variants::stock_on_hand - variants::stock_reserved).ge(line.quantity),
                ))
                .set(variants::stock_on_hand.eq(variants::stock_on_hand - line.quantity))
                .execute(conn)?;
            if taken == 0 {
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        set_stock_state(conn, order.id, StockState::Committed)?;
        Ok(true)
    })
    .or_else(|err| match err {
        diesel::result::Error::RollbackTransaction => Ok(false),
        other => Err(other),
    })
}

fn set_stock_state(conn: &mut PgConnection, order_id: Uuid, state: StockState) -> QueryResult<()> {
    diesel::update(orders::table.find(order_id))
        .set((
            orders::stock_state.eq(state),
            orders::updated_at.eq(super::orders::db_now()),
        ))
        .execute(conn)
        .map(drop)
}
