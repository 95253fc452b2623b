//! A shopper's search, whatever the catalog's size: the ids of one page and how many match.
//!
//! PostgreSQL has two ways to a searched page, and either is slow where the other is fast. It can
//! walk a sort index and test each product, which finds a common word's first page at once but
//! reads the whole catalog for a rare one; or it can gather every match from the word index and
//! sort them, which is instant for a rare word and sorts the whole catalog for a common one. The
//! planner cannot tell which it faces: it knows how often a whole word occurs, not how many words
//! an unfinished one starts. So the search tries the walk, for a bounded stretch, and turns to the
//! word index only when that stretch is short of matches. A word in a hundredth of the catalog
//! has too many matches to gather and too few in the stretch for a page: when the stretch's
//! density promises the page within a longer one, the search walks on, else it sorts every match.
//! What no way serves well is a deep page of such a word, or the count of a word in a tenth of a
//! large catalog: the gather builds its index's bitmap of every match before it stops at the
//! window (28 ms at a million products, against a few milliseconds for the rest).

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::listings::{ProductSort, SEARCH_COUNT_BOUND, Total};

/// How many products, in the page's order, the walk tests: about a millisecond when none matches,
/// and a word in half the catalog or more fills its window within them.
const WALK: i64 = 2_000;

/// How far a second walk may go for a page the first one fell short of, when the matches it did
/// find promise the page within half this stretch: cheaper, up to here, than sorting every match
/// of a word in a hundredth of the catalog (about 1.5 ms against 5 at a million products).
const LONG_WALK: i64 = 8 * WALK;

/// The matches a search reads at most: one past the bound, to tell that there are more.
const WINDOW: i64 = SEARCH_COUNT_BOUND + 1;

const VISIBLE: &str = "active AND price_from IS NOT NULL \
    AND ($2::text IS NULL OR category_id = (SELECT id FROM categories WHERE slug = $2))";

const MATCHES: &str = "search @@ to_tsquery('simple', $1)";

/// `listings::sorted`'s orders, in SQL: the same sort indexes serve the list and the search.
fn order_by(sort: ProductSort) -> &'static str {
    match sort {
        ProductSort::Newest => "created_at DESC, id DESC",
        ProductSort::PriceAsc => "price_from ASC, id ASC",
        ProductSort::PriceDesc => "price_from DESC, id ASC",
        ProductSort::Name => "name ASC, id ASC",
    }
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

fn ids(found: Vec<Found>) -> Vec<Uuid> {
    found.into_iter().map(|found| found.id).collect()
}

/// The ids of one page of the products matching `words` (a `to_tsquery` expression), and the
/// total, counted up to the bound.
pub fn search_page(
    conn: &mut PgConnection,
    words: &str,
    category_slug: Option<&str>,
    sort: ProductSort,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Uuid>, Total)> {
    let order = order_by(sort);
    let reaches = |matches: &[Uuid]| offset + limit <= matches.len() as i64;
    let answer = |found: i64, page: Vec<Uuid>| {
        let seen = offset + page.len() as i64;
        let full = page.len() as i64 == limit;
        (page, Total::of_search(found, seen, full))
    };
    let slice = |matches: &[Uuid]| -> Vec<Uuid> {
        let from = (offset as usize).min(matches.len());
        let to = (from + limit as usize).min(matches.len());
        matches[from..to].to_vec()
    };
    // A page past the window: rare, and whatever way PostgreSQL chooses.
    let sorted_page = |conn: &mut PgConnection| {
        diesel::sql_query(format!(
            "SELECT id FROM products WHERE {VISIBLE} AND {MATCHES} \
             ORDER BY {order} LIMIT $3 OFFSET $4"
        ))
        .bind::<Text, _>(words)
        .bind::<Nullable<Text>, _>(category_slug)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .map(ids)
    };

    let walked = ids(diesel::sql_query(format!(
        "SELECT id FROM (SELECT id, search, created_at, price_from, name FROM products \
         WHERE {VISIBLE} ORDER BY {order} LIMIT {WALK}) walked \
         WHERE {MATCHES} ORDER BY {order} LIMIT {WINDOW}"
    ))
    .bind::<Text, _>(words)
    .bind::<Nullable<Text>, _>(category_slug)
    .load(conn)?);
    if walked.len() as i64 == WINDOW {
        let page = if reaches(&walked) {
            slice(&walked)
        } else {
            sorted_page(conn)?
        };
        return Ok(answer(WINDOW, page));
    }

    // Few matches in the stretch walked, so few in all: the word index gathers them.
    let gathered = by_word_index(conn, |conn| {
        diesel::sql_query(format!(
            "SELECT id FROM (SELECT id, created_at, price_from, name FROM products \
             WHERE {VISIBLE} AND {MATCHES} LIMIT {WINDOW}) gathered ORDER BY {order}"
        ))
        .bind::<Text, _>(words)
        .bind::<Nullable<Text>, _>(category_slug)
        .load(conn)
        .map(ids)
    })?;
    let found = gathered.len() as i64;
    if found <= SEARCH_COUNT_BOUND {
        return Ok(answer(found, slice(&gathered)));
    }
    if reaches(&walked) {
        return Ok(answer(found, slice(&walked)));
    }
    // Many matches, but too sparse for the stretch to hold the page: walk on if the density seen
    // so far promises it within reach, else sort them all.
    let needed = offset + limit;
    let promised =
        !walked.is_empty() && needed.saturating_mul(2 * WALK) <= LONG_WALK * walked.len() as i64;
    if promised {
        let walked_on = ids(diesel::sql_query(format!(
            "SELECT id FROM (SELECT id, search, created_at, price_from, name FROM products \
             WHERE {VISIBLE} ORDER BY {order} LIMIT {LONG_WALK}) walked \
             WHERE {MATCHES} ORDER BY {order} LIMIT $3"
        ))
        .bind::<Text, _>(words)
        .bind::<Nullable<Text>, _>(category_slug)
        .bind::<BigInt, _>(needed)
        .load(conn)?);
        if reaches(&walked_on) {
            return Ok(answer(found, slice(&walked_on)));
        }
    }
    let page = by_word_index(conn, sorted_page)?;
    Ok(answer(found, page))
}

/// Runs `read` with only the word index to serve it: given a sort index, PostgreSQL would walk on
/// through the catalog, for matches the stretch has just shown to be rare.
fn by_word_index<T>(
    conn: &mut PgConnection,
    read: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn)?;
        diesel::sql_query("SET LOCAL enable_indexscan = off").execute(conn)?;
        read(conn)
    })
}
