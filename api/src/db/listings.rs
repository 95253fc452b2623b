//! What shoppers browse: the visible products through the listing view, searched, filtered,
//! sorted and paged, and one product with its variants.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Text;
use uuid::Uuid;

use super::catalog::VariantRow;
use super::product_search::search_page;
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

/// A shopper's search as a PostgreSQL text-search query: each word whole but the last, which may
/// be unfinished ("cotton sh" finds a cotton shirt), as search-as-you-type services match. None
/// when the search holds no word at all.
///
/// The query's own syntax (`&`, `|`, `!`, parentheses, `:`, `*`, quotes, `\`, `<`, `>`) only
/// separates words, so that no search can be a malformed query; PostgreSQL splits each word
/// further the way it split the products' text ("t-shirt", "2.5").
pub(super) fn word_query(text: &str) -> Option<String> {
    let is_separator = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '&' | '|' | '!' | '(' | ')' | ':' | '*' | '\'' | '\\' | '<' | '>'
            )
    };
    let words: Vec<&str> = text.split(is_separator).filter(|w| !w.is_empty()).collect();
    let (last, whole) = words.split_last()?;
    let mut query = whole.join(" & ");
    if !query.is_empty() {
        query.push_str(" & ");
    }
    query.push_str(last);
    query.push_str(":*");
    Some(query)
}

/// The listing view, which adds each product's category and stock.
fn listings() -> product_listings::BoxedQuery<'static, Pg> {
    use product_listings::dsl as pl;
    pl::product_listings
        .filter(pl::active.eq(true))
        .filter(pl::price_from.is_not_null())
        .into_boxed()
}

/// Products a shopper may see (active, with at least one active variant), from the table
/// itself: through the view PostgreSQL would compute the stock of every row a page skips.
fn visible_products(category_slug: Option<&str>) -> products::BoxedQuery<'static, Pg> {
    use products::dsl as p;
    let query = p::products
        .filter(p::active.eq(true))
        .filter(p::price_from.is_not_null())
        .into_boxed();
    match category_slug {
        // One category's id, read once, rather than a join tried for each product walked.
        Some(slug) => query.filter(
            p::category_id.eq(categories::table
                .filter(categories::slug.eq(slug.to_owned()))
                .select(categories::id)
                .single_value()),
        ),
        None => query,
    }
}

fn sorted(
    query: products::BoxedQuery<'static, Pg>,
    sort: ProductSort,
) -> products::BoxedQuery<'static, Pg> {
    use products::dsl as p;
    match sort {
        ProductSort::Newest => query.order((p::created_at.desc(), p::id.desc())),
        ProductSort::PriceAsc => query.order((p::price_from.asc(), p::id.asc())),
        ProductSort::PriceDesc => query.order((p::price_from.desc(), p::id.asc())),
        ProductSort::Name => query.order((p::name.asc(), p::id.asc())),
    }
}

/// How many products a listing holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: i64,
    /// False when a search matched more than [`SEARCH_COUNT_BOUND`], or more than it counts at
    /// that catalog's size: `count` is then a lower bound.
    pub exact: bool,
}

impl Total {
    pub(super) fn exact(count: i64) -> Self {
        Total { count, exact: true }
    }

    /// A search's total from `found` matches, counted up to one past the bound, with `seen`
    /// products up to the end of a page that was `full`.
    pub(super) fn of_search(found: i64, seen: i64, full: bool) -> Self {
        if found <= SEARCH_COUNT_BOUND {
            return Total::exact(found);
        }
        Total::at_least(found, seen, full)
    }

    /// A search's total when only some matches were counted: `found` of them, and `seen`
    /// products up to the end of a page that was `full`.
    pub(super) fn at_least(found: i64, seen: i64, full: bool) -> Self {
        // After a full page, at least one more, so that there is a next one.
        Total {
            count: found.max(seen + i64::from(full)),
            exact: false,
        }
    }
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
pub(super) fn count_visible(
    conn: &mut PgConnection,
    category_slug: Option<&str>,
) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT coalesce(sum(visible), 0)::bigint AS visible FROM listing_counts \
         WHERE $1::text IS NULL OR category_id IN (SELECT id FROM categories WHERE slug = $1)",
    )
    .bind::<diesel::sql_types::Nullable<Text>, _>(category_slug)
    .get_result::<Counted>(conn)
    .map(|counted| counted.visible)
}

/// The ids of one page, and the listing's total.
fn page_ids(
    conn: &mut PgConnection,
    filter: &ListingFilter,
    sort: ProductSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Uuid>, Total)> {
    use products::dsl as p;
    let category = filter.category_slug.as_deref();
    if let Some(text) = &filter.text {
        return match word_query(text) {
            Some(words) => search_page(conn, &words, category, sort, limit, offset),
            None => Ok((Vec::new(), Total::exact(0))),
        };
    }
    let page: Vec<Uuid> = sorted(visible_products(category), sort)
        .select(p::id)
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let seen = offset + page.len() as i64;
    // A page that is not full is the last one, and then it tells the total without counting.
    let total = if (1..limit).contains(&(page.len() as i64)) || (page.is_empty() && offset == 0) {
        Total::exact(seen)
    } else {
        Total::exact(count_visible(conn, category)?)
    };
    Ok((page, total))
}

/// One page of visible products and how many match in all: the page's ids first, by the sort
/// indexes, then the listing of those few products only.
pub fn list_products(
    conn: &mut PgConnection,
    filter: &ListingFilter,
    sort: ProductSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ListingRow>, Total)> {
    use product_listings::dsl as pl;
    let (ids, total) = page_ids(conn, filter, sort, limit, offset)?;
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut rows: Vec<ListingRow> = listings()
        .filter(pl::id.eq_any(ids.clone()))
        .select(ListingRow::as_select())
        .load(conn)?;
    // A product withdrawn between the two reads is left out rather than shown.
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok((rows, total))
}

pub fn find_visible_product(
    conn: &mut PgConnection,
    key: &ProductKey,
) -> QueryResult<Option<(ListingRow, Vec<VariantRow>)>> {
    use product_listings::dsl as pl;
    let query = listings().select(ListingRow::as_select());
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
    use super::word_query;

    #[test]
    fn search_words_are_whole_but_the_last_and_never_query_syntax() {
        assert_eq!(word_query("shirt").as_deref(), Some("shirt:*"));
        assert_eq!(
            word_query("  cotton  sh ").as_deref(),
            Some("cotton & sh:*")
        );
        assert_eq!(
            word_query("t-shirt 2.5").as_deref(),
            Some("t-shirt & 2.5:*")
        );
        assert_eq!(
            word_query("a&b|c!(d):*'e'\\<->f").as_deref(),
            Some("a & b & c & d & e & - & f:*")
        );
        assert_eq!(word_query("&|!"), None);
        assert_eq!(word_query(""), None);
    }
}
