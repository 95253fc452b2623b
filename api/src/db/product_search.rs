//! A shopper's search, whatever the catalog's size: the ids of one page and how many match.
//!
//! PostgreSQL has two ways to a searched page, and either is slow where the other is fast. It can
//! walk a sort index and test each product, which finds a common word's first page at once but
//! reads the whole catalog for a rare one; or it can gather every match from the word index and
//! sort them, which is instant for a rare word and sorts the whole catalog for a common one. The
//! planner cannot tell which it faces: it knows how often a whole word occurs, not how many words
//! an unfinished one starts. So the search first walks a short stretch, whose matches tell a
//! frequent word from a rare one and often hold the page. A word in a hundredth of the catalog
//! has too many matches to gather and too few in the stretch for a page: when the stretch's
//! density promises the page within a longer one, the search walks on, else it sorts every match.
//!
//! The total costs as much again: the word index counts by building a bitmap of every match
//! before it stops at the bound (28 ms for a word in a tenth of a million products). So a word
//! that the stretch shows to be frequent in a large catalog is not counted: its total is the
//! matches seen, a lower bound, like the total of a word past the bound. What no way serves well
//! is a deep page of such a word.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::listings::{ProductSort, SEARCH_COUNT_BOUND, Total, count_visible};
use super::prepared::{Param, Prepared};

/// How many products, in the page's order, the walk tests: under a millisecond at a million, and
/// enough to see a word in a hundredth of the catalog about ten times: a density that promises
/// its page within the longer walk.
const WALK: i64 = 1_000;

/// How far a second walk may go for a page the first one fell short of, when the matches it did
/// find promise the page within half this stretch: cheaper, up to here, than sorting every match
/// of a word in a hundredth of the catalog (about 1.5 ms against 5 at a million products).
const LONG_WALK: i64 = 16 * WALK;

/// The matches a search reads at most: one past the bound, to tell that there are more.
const WINDOW: i64 = SEARCH_COUNT_BOUND + 1;

const VISIBLE: &str = "active AND price_from IS NOT NULL \
    AND ($2::text IS NULL OR category_id = (SELECT id FROM categories WHERE slug = $2))";

/// The most matches the word index counts for a search, by its estimate from the stretch walked:
/// its bitmap of every match costs about a millisecond for as many (11,111 matches: 3.5 ms).
const CHEAP_COUNT: i64 = 2_000;

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
/// total: counted up to the bound when that is cheap, else the matches seen.
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
    let slice = |matches: &[Uuid]| -> Vec<Uuid> {
        let from = (offset as usize).min(matches.len());
        let to = (from + limit as usize).min(matches.len());
        matches[from..to].to_vec()
    };
    // A page past the walks: rare, and whatever way PostgreSQL chooses for these words, so
    // planned for them each time.
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

    // The matches among the first `stretch` products in the page's order, up to `up_to` of them.
    let walk = |conn: &mut PgConnection, stretch: i64, up_to: i64| {
        Prepared::new(
            format!(
                "SELECT id FROM (SELECT id, search, created_at, price_from, name FROM products \
                 WHERE {VISIBLE} ORDER BY {order} LIMIT {stretch}) walked \
                 WHERE {MATCHES} ORDER BY {order} LIMIT $3"
            ),
            vec![
                Param::Text(words),
                Param::OptionalText(category_slug),
                Param::BigInt(up_to),
            ],
        )
        .load(conn)
        .map(ids)
    };

    let walked = walk(conn, WALK, WALK)?;
    // `found`: the matches counted, up to one past the bound; none when they were not counted,
    // and then the total is what the stretch and the page have shown.
    let answer = |found: Option<i64>, page: Vec<Uuid>| {
        // A page past the last match shows none: its offset says nothing of how many there are.
        let seen = if page.is_empty() {
            0
        } else {
            offset + page.len() as i64
        };
        let full = page.len() as i64 == limit;
        let total = match found {
            Some(found) => Total::of_search(found, seen, full),
            None => Total::at_least(walked.len() as i64, seen, full),
        };
        (page, total)
    };
    // Counting every match builds the word index's bitmap of them all, so it is done only when
    // the stretch promises few: otherwise the total is the matches seen, a lower bound.
    let found = if !walked.is_empty() && too_many_to_count(conn, &walked, category_slug)? {
        None
    } else {
        let gathered = by_word_index(conn, |conn| {
            Prepared::new(
                format!(
                    "SELECT id FROM (SELECT id, created_at, price_from, name FROM products \
                     WHERE {VISIBLE} AND {MATCHES} LIMIT {WINDOW}) gathered ORDER BY {order}"
                ),
                vec![Param::Text(words), Param::OptionalText(category_slug)],
            )
            .load(conn)
            .map(ids)
        })?;
        let found = gathered.len() as i64;
        if found <= SEARCH_COUNT_BOUND {
            return Ok(answer(Some(found), slice(&gathered)));
        }
        Some(found)
    };
    if reaches(&walked) {
        return Ok(answer(found, slice(&walked)));
    }
    // Many matches, but too sparse for the stretch to hold the page: walk on if the density seen
    // so far promises it within reach, else sort them all.
    let needed = offset + limit;
    let promised =
        !walked.is_empty() && needed.saturating_mul(2 * WALK) <= LONG_WALK * walked.len() as i64;
    if promised {
        let walked_on = walk(conn, LONG_WALK, needed)?;
        if reaches(&walked_on) {
            return Ok(answer(found, slice(&walked_on)));
        }
    }
    // A word in half the stretch or more is common: PostgreSQL walks its sort index for the page.
    let page = if 2 * walked.len() as i64 >= WALK {
        sorted_page(conn)?
    } else {
        by_word_index(conn, sorted_page)?
    };
    Ok(answer(found, page))
}

/// Whether the stretch walked, `walked` matches in [`WALK`] products, promises more matches in
/// all than the word index counts cheaply.
fn too_many_to_count(
    conn: &mut PgConnection,
    walked: &[Uuid],
    category_slug: Option<&str>,
) -> QueryResult<bool> {
    let visible = count_visible(conn, category_slug)?;
    Ok(visible > WALK && walked.len() as i64 * visible / WALK > CHEAP_COUNT)
}

/// Runs `read` with only the word index to serve it: given a sort index, PostgreSQL would walk on
/// through the catalog, for matches the stretch has just shown to be rare.
fn by_word_index<T>(
    conn: &mut PgConnection,
    read: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        Prepared::new(
            "SELECT set_config('enable_seqscan', 'off', true), \
             set_config('enable_indexscan', 'off', true)"
                .to_owned(),
            Vec::new(),
        )
        .execute(conn)?;
        read(conn)
    })
}
