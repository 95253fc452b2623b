//! Catalog queries as the admin makes them: categories, products, variants and stock.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{categories, products, variants};
use crate::domain::catalog::Image;
use crate::domain::currency::Currency;
use crate::domain::status::TaxClass;
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(Pg))]
pub struct CategoryRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products, check_for_backend(Pg))]
pub struct ProductRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub images: serde_json::Value,
    pub active: bool,
    pub category_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub tax_class: TaxClass,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub images: serde_json::Value,
    pub active: bool,
    pub category_id: Option<Uuid>,
    pub tax_class: TaxClass,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub images: Option<serde_json::Value>,
    pub active: Option<bool>,
    pub category_id: Option<Option<Uuid>>,
    pub tax_class: Option<TaxClass>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = variants, check_for_backend(Pg))]
pub struct VariantRow {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub title: String,
    pub price_amount: i64,
    pub currency: Currency,
    pub stock_on_hand: i32,
    pub stock_reserved: i32,
    pub active: bool,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The price the sale price is compared with, above `price_amount`.
    pub compare_at_amount: Option<i64>,
}

impl VariantRow {
    /// Units a shopper can still buy.
    pub fn available(&self) -> i32 {
        (self.stock_on_hand - self.stock_reserved).max(0)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = variants)]
pub struct NewVariant {
    pub product_id: Uuid,
    pub sku: String,
    pub title: String,
    pub price_amount: i64,
    pub compare_at_amount: Option<i64>,
    pub currency: Currency,
    pub stock_on_hand: i32,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = variants)]
pub struct VariantChanges {
    pub sku: Option<String>,
    pub title: Option<String>,
    pub price_amount: Option<i64>,
    /// `Some(None)` ends the sale.
    pub compare_at_amount: Option<Option<i64>>,
    pub active: Option<bool>,
    pub position: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

/// A product's images as stored; only validated lists are ever written, so a list that does
/// not read back is the server's fault.
pub fn stored_images(value: serde_json::Value) -> Result<Vec<Image>, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::Internal(format!("stored images: {e}")))
}

pub fn list_categories(conn: &mut PgConnection) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .order((categories::name.asc(), categories::id.asc()))
        .select(CategoryRow::as_select())
        .load(conn)
}

pub fn insert_category(conn: &mut PgConnection, new: &NewCategory) -> QueryResult<CategoryRow> {
    diesel::insert_into(categories::table)
        .values(new)
        .returning(CategoryRow::as_returning())
        .get_result(conn)
}

/// Creates a product and its first variants atomically.
pub fn insert_product(
    conn: &mut PgConnection,
    new: &NewProduct,
    new_variants: Vec<NewVariant>,
) -> QueryResult<(ProductRow, Vec<VariantRow>)> {
    conn.transaction(|conn| {
        let product = diesel::insert_into(products::table)
            .values(new)
            .returning(ProductRow::as_returning())
            .get_result(conn)?;
        let rows: Vec<NewVariant> = new_variants
            .into_iter()
            .map(|variant| NewVariant {
                product_id: product.id,
                ..variant
            })
            .collect();
        let variants = diesel::insert_into(variants::table)
            .values(&rows)
            .returning(VariantRow::as_returning())
            .get_results(conn)?;
        Ok((product, variants))
    })
}

pub fn find_product(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ProductRow>> {
    products::table
        .find(id)
        .select(ProductRow::as_select())
        .first(conn)
        .optional()
}

/// All variants of a product, inactive ones included, in display order.
pub fn product_variants(conn: &mut PgConnection, product_id: Uuid) -> QueryResult<Vec<VariantRow>> {
    variants::table
        .filter(variants::product_id.eq(product_id))
        .order((variants::position.asc(), variants::created_at.asc()))
        .select(VariantRow::as_select())
        .load(conn)
}

pub fn update_product(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &ProductChanges,
) -> QueryResult<Option<ProductRow>> {
    diesel::update(products::table.find(id))
        .set(changes)
        .returning(ProductRow::as_returning())
        .get_result(conn)
        .optional()
}

pub enum NewVariantOutcome {
    Created(VariantRow),
    NoSuchProduct,
    /// A product's variants share one currency, so that its "from" price means something.
    CurrencyMismatch {
        product_currency: Currency,
    },
}

pub fn insert_variant(conn: &mut PgConnection, new: &NewVariant) -> QueryResult<NewVariantOutcome> {
    conn.transaction(|conn| {
        // Locking the product serialises variant creation, so two admins cannot add variants in
        // two currencies at once.
        let locked = products::table
            .find(new.product_id)
            .select(products::id)
            .for_update()
            .first::<Uuid>(conn)
            .optional()?;
        if locked.is_none() {
            return Ok(NewVariantOutcome::NoSuchProduct);
        }
        let existing_currency = variants::table
            .filter(variants::product_id.eq(new.product_id))
            .select(variants::currency)
            .first::<Currency>(conn)
            .optional()?;
        if let Some(product_currency) = existing_currency.filter(|c| *c != new.currency) {
            return Ok(NewVariantOutcome::CurrencyMismatch { product_currency });
        }
        diesel::insert_into(variants::table)
            .values(new)
            .returning(VariantRow::as_returning())
            .get_result(conn)
            .map(NewVariantOutcome::Created)
    })
}

/// A variant with whether its product is on sale, in one query: what a cart write checks.
pub fn find_variant_for_sale(
    conn: &mut PgConnection,
    id: Uuid,
) -> QueryResult<Option<(VariantRow, bool)>> {
    variants::table
        .inner_join(products::table)
        .filter(variants::id.eq(id))
        .select((VariantRow::as_select(), products::active))
        .first(conn)
        .optional()
}

pub fn find_variant(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<VariantRow>> {
    variants::table
        .find(id)
        .select(VariantRow::as_select())
        .first(conn)
        .optional()
}

pub fn update_variant(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &VariantChanges,
) -> QueryResult<Option<VariantRow>> {
    diesel::update(variants::table.find(id))
        .set(changes)
        .returning(VariantRow::as_returning())
        .get_result(conn)
        .optional()
}

#[derive(Debug, Clone, Copy)]
pub enum StockChange {
    /// Add (or with a negative number remove) units, e.g. a delivery or a breakage.
    Delta(i32),
    /// Set the count on hand, e.g. after a stocktake.
    OnHand(i32),
}

/// Applies a stock change in one conditional statement, so it can never take the count on hand
/// below what pending checkouts hold, whatever runs concurrently. `None` when the condition fails
/// or the variant does not exist.
pub fn change_stock(
    conn: &mut PgConnection,
    id: Uuid,
    change: StockChange,
    max_stock: i32,
) -> QueryResult<Option<VariantRow>> {
    use variants::dsl as v;
    let now = Utc::now();
    match change {
        StockChange::Delta(delta) => diesel::update(
            v::variants
                .find(id)
                .filter((v::stock_on_hand + delta).ge(v::stock_reserved))
                .filter((v::stock_on_hand + delta).le(max_stock)),
        )
        .set((
            v::stock_on_hand.eq(v::stock_on_hand + delta),
            v::updated_at.eq(now),
        ))
        .returning(VariantRow::as_returning())
        .get_result(conn)
        .optional(),
        StockChange::OnHand(on_hand) => {
            diesel::update(v::variants.find(id).filter(v::stock_reserved.le(on_hand)))
                .set((v::stock_on_hand.eq(on_hand), v::updated_at.eq(now)))
                .returning(VariantRow::as_returning())
                .get_result(conn)
                .optional()
        }
    }
}
