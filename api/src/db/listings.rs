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

/// How many products a listing holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: i64,
    /// False when a search matched more than [`SEARCH_COUNT_BOUND`]: `count` is then a lower bound.
    pub exact: bool,
}

/// How far a search's matches are counted: a common word would otherwise count the whole
/// catalog on every request (a second at a million products), for a figure nobody pages through.
pub const SEARCH_COUNT_BOUND: i64 = 1_000;

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    visible: i64,
}

/// Visible products, in all or in one category, from the figures the triggers on `products` keep
/// in `listing_counts`: a sum over a few rows, whatever the catalog's size.
fn count_visible(conn: &mut PgConnection, category_slug: Option<&str>) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT coalesce(sum(visible), 0)::bigint AS visible FROM listing_counts \
         WHERE $1::text IS NULL OR category_id IN (SELECT id FROM categories WHERE slug = $1)",
    )
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(category_slug)
    .get_result::<Counted>(conn)
    .map(|counted| counted.visible)
}

/// A search's matches, up to `SEARCH_COUNT_BOUND` + 1, read from the table itself: through the
/// view PostgreSQL would compute each row's stock.
fn count_matches(conn: &mut PgConnection, filter: &ListingFilter) -> QueryResult<i64> {
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
    let ids: Vec<Uuid> = query
        .select(p::id)
        .limit(SEARCH_COUNT_BOUND + 1)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// One page of visible products and how many match in all.
pub fn list_products(
    conn: &mut PgConnection,
    filter: &ListingFilter,
    sort: ProductSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ListingRow>, Total)> {
    use product_listings::dsl as pl;
    let query = visible_listings(filter).select(ListingRow::as_select());
    let query = match sort {
        ProductSort::Newest => query.order((pl::created_at.desc(), pl::id.desc())),
        ProductSort::PriceAsc => query.order((pl::price_from.asc(), pl::id.asc())),
        ProductSort::PriceDesc => query.order((pl::price_from.desc(), pl::id.asc())),
        ProductSort::Name => query.order((pl::name.asc(), pl::id.asc())),
    };
    let rows: Vec<ListingRow> = query.limit(limit).offset(offset).load(conn)?;
    let seen = offset + rows.len() as i64;
    let exact = |count| Total { count, exact: true };
    // A page that is not full is the last one, and then it tells the total without counting.
    let total = if (1..limit).contains(&(rows.len() as i64)) || (rows.is_empty() && offset == 0) {
        exact(seen)
    } else if filter.text.is_none() {
        exact(count_visible(conn, filter.category_slug.as_deref())?)
    } else {
        match count_matches(conn, filter)? {
            found if found <= SEARCH_COUNT_BOUND => exact(found),
            // Past the bound: after a full page, at least one more, so that there is a next one.
            found => Total {
                count: found.max(seen + i64::from(rows.len() as i64 == limit)),
                exact: false,
            },
        }
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
