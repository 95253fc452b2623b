//! Cart queries. Writers lock the cart row first (`lock_live_cart`), so changes to one cart are
//! serialised by PostgreSQL and none is lost, however many arrive at once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{cart_lines, carts, orders, products, variants};
use crate::domain::address::Address;
use crate::domain::currency::Currency;
use crate::domain::status::{CartStatus, OrderStatus, TaxClass};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = carts, check_for_backend(Pg))]
pub struct CartRow {
    pub id: Uuid,
    pub secret_hash: Vec<u8>,
    pub currency: Currency,
    pub status: CartStatus,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub shipping_address: Option<Address>,
    /// `None`: the billing address is the shipping address.
    pub billing_address: Option<Address>,
    pub shipping_rate_id: Option<Uuid>,
    /// The promotion code applied; one per cart.
    pub promotion_id: Option<Uuid>,
    /// The account whose cart this is; `None` for a guest's.
    pub customer_id: Option<Uuid>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cart_lines, check_for_backend(Pg))]
pub struct CartLineRow {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub variant_id: Uuid,
    pub quantity: i32,
    pub seen_unit_amount: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a cart line shows of its variant and product, read fresh from the catalog.
#[derive(Debug, Clone, Queryable)]
pub struct LineDetail {
    pub line: CartLineRow,
    pub sku: String,
    pub variant_title: String,
    pub price_amount: i64,
    pub compare_at_amount: Option<i64>,
    pub currency: Currency,
    pub stock_on_hand: i32,
    pub stock_reserved: i32,
    pub variant_active: bool,
    pub product_id: Uuid,
    pub product_slug: String,
    pub product_name: String,
    pub product_images: serde_json::Value,
    pub product_active: bool,
    pub tax_class: TaxClass,
}

fn ttl(idle_ttl: Duration) -> chrono::Duration {
    chrono::Duration::from_std(idle_ttl).unwrap_or(chrono::Duration::days(7))
}

pub fn insert_cart(
    conn: &mut PgConnection,
    secret_hash: &[u8],
    currency: Currency,
    idle_ttl: Duration,
) -> QueryResult<CartRow> {
    diesel::insert_into(carts::table)
        .values((
            carts::secret_hash.eq(secret_hash),
            carts::currency.eq(currency),
            carts::expires_at.eq(Utc::now() + ttl(idle_ttl)),
        ))
        .returning(CartRow::as_returning())
        .get_result(conn)
}

/// A cart that has not expired.
pub fn find_live_cart(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<CartRow>> {
    carts::table
        .find(id)
        .filter(carts::expires_at.gt(Utc::now()))
        .select(CartRow::as_select())
        .first(conn)
        .optional()
}

/// Like [`find_live_cart`], holding the row lock until the transaction ends.
pub fn lock_live_cart(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<CartRow>> {
    carts::table
        .find(id)
        .filter(carts::expires_at.gt(Utc::now()))
        .select(CartRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Lines in the order they were added, joined with the catalog's current data.
pub fn line_details(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<Vec<LineDetail>> {
    cart_lines::table
        .inner_join(variants::table.inner_join(products::table))
        .filter(cart_lines::cart_id.eq(cart_id))
        .order((cart_lines::created_at.asc(), cart_lines::id.asc()))
        .select((
            CartLineRow::as_select(),
            variants::sku,
            variants::title,
            variants::price_amount,
            variants::compare_at_amount,
            variants::currency,
            variants::stock_on_hand,
            variants::stock_reserved,
            variants::active,
            products::id,
            products::slug,
            products::name,
            products::images,
            products::active,
            products::tax_class,
        ))
        .load(conn)
}

pub fn count_lines(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<i64> {
    cart_lines::table
        .filter(cart_lines::cart_id.eq(cart_id))
        .count()
        .get_result(conn)
}

pub fn find_line_for_variant(
    conn: &mut PgConnection,
    cart_id: Uuid,
    variant_id: Uuid,
) -> QueryResult<Option<CartLineRow>> {
    cart_lines::table
        .filter(cart_lines::cart_id.eq(cart_id))
        .filter(cart_lines::variant_id.eq(variant_id))
        .select(CartLineRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_line(
    conn: &mut PgConnection,
    cart_id: Uuid,
    line_id: Uuid,
) -> QueryResult<Option<CartLineRow>> {
    cart_lines::table
        .filter(cart_lines::cart_id.eq(cart_id))
        .filter(cart_lines::id.eq(line_id))
        .select(CartLineRow::as_select())
        .first(conn)
        .optional()
}

/// Sets a variant's line to `quantity`, creating the line if needed; records the price shown.
pub fn put_line(
    conn: &mut PgConnection,
    cart_id: Uuid,
    variant_id: Uuid,
    quantity: i32,
    seen_unit_amount: i64,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::insert_into(cart_lines::table)
        .values((
            cart_lines::cart_id.eq(cart_id),
            cart_lines::variant_id.eq(variant_id),
            cart_lines::quantity.eq(quantity),
            cart_lines::seen_unit_amount.eq(seen_unit_amount),
        ))
        .on_conflict((cart_lines::cart_id, cart_lines::variant_id))
        .do_update()
        .set((
            cart_lines::quantity.eq(quantity),
            cart_lines::seen_unit_amount.eq(seen_unit_amount),
            cart_lines::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn delete_line(conn: &mut PgConnection, cart_id: Uuid, line_id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        cart_lines::table
            .filter(cart_lines::cart_id.eq(cart_id))
            .filter(cart_lines::id.eq(line_id)),
    )
    .execute(conn)
}

pub fn delete_all_lines(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<usize> {
    diesel::delete(cart_lines::table.filter(cart_lines::cart_id.eq(cart_id))).execute(conn)
}

/// Records a change: a new version, and a fresh idle period.
pub fn touch(conn: &mut PgConnection, cart_id: Uuid, idle_ttl: Duration) -> QueryResult<CartRow> {
    let now = Utc::now();
    diesel::update(carts::table.find(cart_id))
        .set((
            carts::version.eq(carts::version + 1),
            carts::updated_at.eq(now),
            carts::expires_at.eq(now + ttl(idle_ttl)),
        ))
        .returning(CartRow::as_returning())
        .get_result(conn)
}

/// Sets where the cart goes; `keep_rate` false also forgets the shipping rate chosen for the
/// previous address.
pub fn set_shipping_address(
    conn: &mut PgConnection,
    cart_id: Uuid,
    address: &Address,
    keep_rate: bool,
) -> QueryResult<usize> {
    let target = carts::table.find(cart_id);
    if keep_rate {
        diesel::update(target)
            .set(carts::shipping_address.eq(address))
            .execute(conn)
    } else {
        diesel::update(target)
            .set((
                carts::shipping_address.eq(address),
                carts::shipping_rate_id.eq(None::<Uuid>),
            ))
            .execute(conn)
    }
}

/// `None`: bill to the shipping address.
pub fn set_billing_address(
    conn: &mut PgConnection,
    cart_id: Uuid,
    address: Option<&Address>,
) -> QueryResult<usize> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::billing_address.eq(address))
        .execute(conn)
}

pub fn set_promotion(
    conn: &mut PgConnection,
    cart_id: Uuid,
    promotion_id: Option<Uuid>,
) -> QueryResult<usize> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::promotion_id.eq(promotion_id))
        .execute(conn)
}

pub fn set_shipping_rate(
    conn: &mut PgConnection,
    cart_id: Uuid,
    rate_id: Option<Uuid>,
) -> QueryResult<usize> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::shipping_rate_id.eq(rate_id))
        .execute(conn)
}

/// Deletes open and closed (paid) carts whose idle time ran out; a paid order keeps its own copy
/// of the lines. A locked cart stays: a checkout awaiting payment owns it.
pub fn delete_expired(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        carts::table
            .filter(carts::expires_at.le(Utc::now()))
            .filter(carts::status.eq_any([CartStatus::Open, CartStatus::Closed])),
    )
    .execute(conn)
}

pub fn lock_cart(conn: &mut PgConnection, cart_id: Uuid) -> QueryResult<()> {
    set_cart_status(conn, cart_id, CartStatus::Locked)
}

/// Closes the cart an order was paid from, unless another of its orders awaits payment: a late
/// payment for an old order must not close the cart a newer checkout is using.
pub fn close_cart(conn: &mut PgConnection, cart_id: Uuid, order_id: Uuid) -> QueryResult<()> {
    if other_pending_order(conn, cart_id, order_id)? {
        return Ok(());
    }
    set_cart_status(conn, cart_id, CartStatus::Closed)
}

/// Opens a cart locked by a checkout that ended unpaid, unless another of its orders awaits
/// payment; a closed (paid) cart stays closed.
pub fn reopen_cart(conn: &mut PgConnection, cart_id: Uuid, order_id: Uuid) -> QueryResult<()> {
    if other_pending_order(conn, cart_id, order_id)? {
        return Ok(());
    }
    diesel::update(
        carts::table
            .find(cart_id)
            .filter(carts::status.eq(CartStatus::Locked)),
    )
    .set((
        carts::status.eq(CartStatus::Open),
        carts::version.eq(carts::version + 1),
        carts::updated_at.eq(Utc::now()),
    ))
    .execute(conn)
    .map(drop)
}

fn other_pending_order(
    conn: &mut PgConnection,
    cart_id: Uuid,
    order_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        orders::table
            .filter(orders::cart_id.eq(cart_id))
            .filter(orders::id.ne(order_id))
            .filter(orders::status.eq(OrderStatus::PendingPayment)),
    ))
    .get_result(conn)
}

fn set_cart_status(conn: &mut PgConnection, cart_id: Uuid, status: CartStatus) -> QueryResult<()> {
    diesel::update(carts::table.find(cart_id))
        .set((
            carts::status.eq(status),
            carts::version.eq(carts::version + 1),
            carts::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .map(drop)
}
