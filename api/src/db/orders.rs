//! Orders and their lines: creation, the row lock every status change takes, the reservation
//! clock, and the lists the sweeps and the admin read.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Timestamptz};
use uuid::Uuid;

use super::schema::{order_lines, orders};
use crate::domain::address::Address;
use crate::domain::currency::Currency;
use crate::domain::pricing::TaxRate;
use crate::domain::status::{FulfillmentStatus, OrderStatus, StockState};
use crate::domain::tax::Breakdown;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders, check_for_backend(Pg))]
pub struct OrderRow {
    pub id: Uuid,
    pub secret_hash: Vec<u8>,
    pub cart_id: Option<Uuid>,
    pub email: String,
    pub status: OrderStatus,
    pub currency: Currency,
    pub total_amount: i64,
    pub refunded_amount: i64,
    pub stock_state: StockState,
    pub reserved_until: DateTime<Utc>,
    pub payment_intent_id: Option<String>,
    pub client_secret: Option<String>,
    pub payment_status: Option<String>,
    pub payment_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    /// Cancelled while its PaymentIntent call had no answer: Stripe may hold one to cancel.
    pub intent_cleanup: bool,
    pub sweep_attempts: i32,
    pub next_sweep_at: Option<DateTime<Utc>>,
    /// The furthest a payment attempt extends `reserved_until`.
    pub reservation_limit: Option<DateTime<Utc>>,
    /// Digest of the client's address.
    pub client_key: Option<Vec<u8>>,
    #[diesel(embed)]
    pub priced: OrderPricing,
    /// How much has shipped; separate from the payment status.
    pub fulfillment_status: FulfillmentStatus,
}

/// What the order was priced with, kept as it was when it was placed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = orders, check_for_backend(Pg))]
pub struct OrderPricing {
    pub shipping_address: Option<Address>,
    pub billing_address: Option<Address>,
    pub subtotal_amount: i64,
    pub discount_amount: i64,
    pub shipping_amount: i64,
    pub tax_amount: i64,
    pub tax_included: bool,
    pub breakdown: Breakdown,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = orders)]
pub struct NewOrder {
    pub id: Uuid,
    pub secret_hash: Vec<u8>,
    pub cart_id: Option<Uuid>,
    pub email: String,
    pub currency: Currency,
    pub total_amount: i64,
    pub reserved_until: DateTime<Utc>,
    pub reservation_limit: DateTime<Utc>,
    pub client_key: Option<Vec<u8>>,
    /// The account whose cart this was; `None` for a guest's.
    pub customer_id: Option<Uuid>,
    #[diesel(embed)]
    pub priced: OrderPricing,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_lines, check_for_backend(Pg))]
pub struct OrderLineRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub variant_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub unit_amount: i64,
    pub quantity: i32,
    pub line_amount: i64,
    pub position: i32,
    pub compare_at_amount: Option<i64>,
    pub discount_amount: i64,
    pub tax_rate_bp: TaxRate,
    pub tax_amount: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = order_lines)]
pub struct NewOrderLine {
    pub order_id: Uuid,
    pub variant_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub unit_amount: i64,
    pub quantity: i32,
    pub line_amount: i64,
    pub position: i32,
    pub compare_at_amount: Option<i64>,
    pub discount_amount: i64,
    pub tax_rate_bp: TaxRate,
    pub tax_amount: i64,
}

/// The database's clock at this instant: the one clock every order deadline is kept by.
pub fn clock(conn: &mut PgConnection) -> QueryResult<DateTime<Utc>> {
    diesel::select(db_now()).get_result(conn)
}

pub(super) fn db_now() -> SqlLiteral<Timestamptz> {
    sql::<Timestamptz>("clock_timestamp()")
}

pub fn insert_order(
    conn: &mut PgConnection,
    new: &NewOrder,
    lines: Vec<NewOrderLine>,
) -> QueryResult<(OrderRow, Vec<OrderLineRow>)> {
    let order = diesel::insert_into(orders::table)
        .values(new)
        .returning(OrderRow::as_returning())
        .get_result(conn)?;
    let lines: Vec<NewOrderLine> = lines
        .into_iter()
        .map(|line| NewOrderLine {
            order_id: order.id,
            ..line
        })
        .collect();
    let lines = diesel::insert_into(order_lines::table)
        .values(&lines)
        .returning(OrderLineRow::as_returning())
        .get_results(conn)?;
    Ok((order, lines))
}

pub fn find_order(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<OrderRow>> {
    orders::table
        .find(id)
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

/// Holds the order's row lock until the transaction ends; every status change goes through it.
pub fn lock_order(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<OrderRow>> {
    orders::table
        .find(id)
        .select(OrderRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn order_lines(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<Vec<OrderLineRow>> {
    order_lines::table
        .filter(order_lines::order_id.eq(order_id))
        .order(order_lines::position.asc())
        .select(OrderLineRow::as_select())
        .load(conn)
}

/// The lines of several orders in one query, each order's in its own order.
pub fn lines_of_orders(
    conn: &mut PgConnection,
    order_ids: &[Uuid],
) -> QueryResult<Vec<OrderLineRow>> {
    order_lines::table
        .filter(order_lines::order_id.eq_any(order_ids))
        .order((order_lines::order_id, order_lines::position.asc()))
        .select(OrderLineRow::as_select())
        .load(conn)
}

pub fn delete_order(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(orders::table.find(id)).execute(conn)
}

/// Checkouts of one client still holding stock, and when the first of them lets go. Callers hold
/// [`lock_client`] so that concurrent checkouts cannot both slip under a cap.
pub fn open_checkouts_of(
    conn: &mut PgConnection,
    client_key: &[u8],
) -> QueryResult<(i64, Option<DateTime<Utc>>)> {
    orders::table
        .filter(orders::client_key.eq(client_key))
        .filter(orders::status.eq(OrderStatus::PendingPayment))
        .filter(orders::stock_state.eq(StockState::Reserved))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(orders::reserved_until),
        ))
        .first(conn)
}

/// Serialises one client's checkouts until the transaction ends.
pub fn lock_client(conn: &mut PgConnection, client_key: &[u8]) -> QueryResult<()> {
    let key = i64::from_be_bytes(
        client_key
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .unwrap_or_default(),
    );
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(key)
        .execute(conn)
        .map(drop)
}

/// A payment attempt began: the order holds its stock up to its reservation limit.
pub fn extend_reservation(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<()> {
    diesel::update(
        orders::table
            .find(order_id)
            .filter(orders::status.eq(OrderStatus::PendingPayment))
            .filter(orders::reservation_limit.gt(orders::reserved_until.nullable())),
    )
    .set(orders::reserved_until.eq(orders::reservation_limit.assume_not_null()))
    .execute(conn)
    .map(drop)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = orders)]
pub struct OrderChanges<'a> {
    pub status: Option<OrderStatus>,
    pub payment_intent_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub payment_status: Option<&'a str>,
    pub payment_error: Option<Option<&'a str>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refunded_amount: Option<i64>,
    pub intent_cleanup: Option<bool>,
    pub fulfillment_status: Option<FulfillmentStatus>,
}

pub fn update_order(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &OrderChanges,
) -> QueryResult<OrderRow> {
    diesel::update(orders::table.find(id))
        .set((changes, orders::updated_at.eq(db_now())))
        .returning(OrderRow::as_returning())
        .get_result(conn)
}

/// Orders still holding stock past their reservation time and due for a (re)try: one whose
/// cancellation failed waits its back-off out behind the others. Orders locked by a checkout or
/// a webhook at this moment are skipped, not waited for.
pub fn expired_reservations(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<Uuid>> {
    conn.transaction(|conn| {
        orders::table
            .filter(orders::stock_state.eq(StockState::Reserved))
            .filter(orders::status.eq(OrderStatus::PendingPayment))
            .filter(sql::<Bool>(
                "COALESCE(next_sweep_at, reserved_until) < clock_timestamp()",
            ))
            .order(sql::<Timestamptz>(
                "COALESCE(next_sweep_at, reserved_until)",
            ))
            .limit(limit)
            .select(orders::id)
            .for_update()
            .skip_locked()
            .load(conn)
    })
}

/// Puts an order whose expiry failed at the back of the queue, for longer after each failure
/// (2^attempts seconds, at most ten minutes).
pub fn defer_sweep(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<()> {
    diesel::update(orders::table.find(order_id))
        .set((
            orders::sweep_attempts.eq(orders::sweep_attempts + 1),
            orders::next_sweep_at.eq(sql::<diesel::sql_types::Nullable<Timestamptz>>(
                "clock_timestamp() + least(interval '600 seconds', interval '1 second' * power(2, least(sweep_attempts, 10)))",
            )),
        ))
        .execute(conn)
        .map(drop)
}

pub fn finish_intent_cleanup(conn: &mut PgConnection, order_id: Uuid) -> QueryResult<()> {
    diesel::update(orders::table.find(order_id))
        .set(orders::intent_cleanup.eq(false))
        .execute(conn)
        .map(drop)
}

/// Cancelled orders whose checkout may have left a PaymentIntent at Stripe.
pub fn orders_with_stray_intents(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<Uuid>> {
    orders::table
        .filter(orders::intent_cleanup.eq(true))
        .order(orders::updated_at.asc())
        .limit(limit)
        .select(orders::id)
        .load(conn)
}

pub fn find_order_by_intent(
    conn: &mut PgConnection,
    intent_id: &str,
) -> QueryResult<Option<OrderRow>> {
    orders::table
        .filter(orders::payment_intent_id.eq(intent_id))
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

/// A page of orders, newest first, and the number of all matching.
/// Pending orders with a PaymentIntent, unchanged for `quiet_secs`, oldest first.
pub fn orders_to_reconcile(
    conn: &mut PgConnection,
    quiet_secs: i64,
    limit: i64,
) -> QueryResult<Vec<(Uuid, String)>> {
    let changed_before = clock(conn)? - chrono::Duration::seconds(quiet_secs);
    orders::table
        .filter(orders::status.eq(OrderStatus::PendingPayment))
        .filter(orders::updated_at.lt(changed_before))
        .filter(orders::payment_intent_id.is_not_null())
        .order(orders::updated_at.asc())
        .limit(limit)
        .select((orders::id, orders::payment_intent_id.assume_not_null()))
        .load(conn)
}

/// Marks an order as looked at, so the next reconciliation pass starts with others.
pub fn touch_order(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(orders::table.find(id))
        .set(orders::updated_at.eq(db_now()))
        .execute(conn)
        .map(drop)
}

diesel::define_sql_function! {
    /// PostgreSQL's `lower`, which the email indexes are built on.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The paid orders (whatever became of them since) of an email address, given in lower case,
/// newest first.
pub fn paid_orders_of(
    conn: &mut PgConnection,
    email: &str,
    limit: i64,
) -> QueryResult<Vec<OrderRow>> {
    orders::table
        .filter(lower(orders::email).eq(email))
        .filter(orders::paid_at.is_not_null())
        .order(orders::created_at.desc())
        .limit(limit)
        .select(OrderRow::as_select())
        .load(conn)
}
