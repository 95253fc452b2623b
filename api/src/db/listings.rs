//! What shoppers browse: the visible products through the listing view, searched, filtered,
//! sorted and paged, and one product with its variants.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::catalog::VariantRow;
use super::schema::{categories, products, variants};
use super::views::product_listings;
use crate::domain::currency::Currency;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_listings, check_for_backend(Pg))]
pub struct ListingRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub images: serde_json::Value,
    pub active: bool,
    pub category_id: Option<Uuid>,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub price_from: Option<i64>,
    pub currency: Option<Currency>,
    pub stock_available: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSort {
    Newest,
    PriceAsc,
    PriceDesc,
    Name,
}

#[derive(Debug, Default)]
pub struct ListingFilter {
    pub text: Option<String>,
    pub category_slug: Option<String>,
}

pub enum ProductKey {
    Id(Uuid),
    Slug(String),
}

/// `%`, `_` and `\` in a shopper's search are literal characters, not wildcards.
pub(super) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Products a shopper may see: active, with at least one active variant.
fn visible_listings(filter: &ListingFilter) -> product_listings::BoxedQuery<'static, Pg> {
    use product_listings::dsl as pl;
    let mut query = pl::product_listings
        .filter(pl::active.eq(true))
        .filter(pl::price_from.is_not_null())
        .into_boxed();
    if let Some(text) = &filter.text {
        let pattern = like_pattern(text);
        query = query.filter(
            pl::name
                .ilike(pattern.clone())
                .or(pl::description.ilike(pattern)),
        );
    }
    if let Some(slug) = &filter.category_slug {
        query = query.filter(pl::category_slug.eq(slug.clone()));
    }
    query
}

/// The same products as `visible_listings`, counted from the table itself: through the view,
/// PostgreSQL reads every row, while here an index-only scan of the listing index suffices.
fn count_visible(conn: &mut PgConnection, filter: &ListingFilter) -> QueryResult<i64> {
    use products::dsl as p;
    let mut query = p::products
        .filter(p::active.eq(true))
        .filter(p::price_from.is_not_null())
        .into_boxed();
    if let Some(text) = &filter.text {
        let pattern = like_pattern(text);
        query = query.filter(
            p::name
                .ilike(pattern.clone())
                .or(p::description.ilike(pattern)),
        );
    }
    if let Some(slug) = &filter.category_slug {
        query = query.filter(
            p::category_id.eq_any(
                categories::table
                    .filter(categories::slug.eq(slug.clone()))
                    .select(categories::id.nullable()),
            ),
        );
    }
    query.count().get_result(conn)
}

/// One page of visible products and the number of all matches.
pub fn list_products(
    conn: &mut PgConnection,
    filter: &ListingFilter,
    sort: ProductSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ListingRow>, i64)> {
    use product_listings::dsl as pl;
    let query = visible_listings(filter).select(ListingRow::as_select());
    let query = match sort {
        ProductSort::Newest => query.order((pl::created_at.desc(), pl::id.desc())),
        ProductSort::PriceAsc => query.order((pl::price_from.asc(), pl::id.asc())),
        ProductSort::PriceDesc => query.order((pl::price_from.desc(), pl::id.asc())),
        ProductSort::Name => query.order((pl::name.asc(), pl::id.asc())),
    };
    let rows: Vec<ListingRow> = query.limit(limit).offset(offset).load(conn)?;
    // A page that is not full is the last one, and then it tells the total without counting.
    let total = if (1..limit).contains(&(rows.len() as i64)) || (rows.is_empty() && offset == 0) {
        offset + rows.len() as i64
    } else {
        count_visible(conn, filter)?
    };
    Ok((rows, total))
}

pub fn find_visible_product(
    conn: &mut PgConnection,
    key: &ProductKey,
) -> QueryResult<Option<(ListingRow, Vec<VariantRow>)>> {
    use product_listings::dsl as pl;
    let query = visible_listings(&ListingFilter::default()).select(ListingRow::as_select());
    let listing = match key {
        ProductKey::Id(id) => query.filter(pl::id.eq(*id)).first(conn),
        ProductKey::Slug(slug) => query.filter(pl::slug.eq(slug.clone())).first(conn),
    }
    .optional()?;
    let Some(listing) = listing else {
        return Ok(None);
    };
    let variants = variants::table
        .filter(variants::product_id.eq(listing.id))
        .filter(variants::active.eq(true))
        .order((variants::position.asc(), variants::created_at.asc()))
        .select(VariantRow::as_select())
        .load(conn)?;
    Ok(Some((listing, variants)))
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn wildcards_in_search_text_are_escaped() {
        assert_eq!(like_pattern("shirt"), "%shirt%");
        assert_eq!(like_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
