//! A search in a catalog longer than the stretch the search walks in the page's order (1,000
//! products): matches past that stretch, few or many, are still found, in order, and counted as
//! far as the search counts.

use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::spawn_app;

/// The products' numbers on a page, "Item 7" being 7.
fn numbers(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let name = item["name"].as_str().expect("name");
            name.trim_start_matches("Item ").parse().expect("a number")
        })
        .collect()
}

#[tokio::test]
async fn matches_past_the_walked_stretch_are_found_in_order_and_counted() {
    let app = spawn_app().await;
    // Item 1 is the newest. "edge" marks items 990 to 1,010, across the stretch's end;
    // "beyond" marks the 4,000 oldest, none of them in the stretch; "fifth" marks every fifth;
    // "half" every second; "everywhere" marks all.
    diesel::sql_query(
        "WITH made AS (
            INSERT INTO products (slug, name, description, created_at)
            SELECT 'item-' || n, 'Item ' || n,
                   concat_ws(' ', 'Sold everywhere',
                       CASE WHEN n BETWEEN 990 AND 1010 THEN 'edge' END,
                       CASE WHEN n > 2000 THEN 'beyond' END,
                       CASE WHEN n % 5 = 0 THEN 'fifth' END,
                       CASE WHEN n % 2 = 0 THEN 'half' END),
                   now() - make_interval(secs => n)
            FROM generate_series(1, 6000) n
            RETURNING id, slug)
         INSERT INTO variants (product_id, sku, title, price_amount, currency, stock_on_hand)
         SELECT id, upper(slug), 'One', 1000, 'EUR', 1 FROM made",
    )
    .execute(&mut app.db())
    .expect("seed 6,000 products");

    let edge = app.get_json("/products?q=edge&limit=24").await;
    assert_eq!(numbers(&edge), (990..=1010).collect::<Vec<_>>());
    assert_eq!(
        (edge["total"].as_i64(), edge["total_exact"].as_bool()),
        (Some(21), Some(true))
    );

    // A rare match, the oldest product: far past the stretch.
    let last = app.get_json("/products?q=item%206000&limit=24").await;
    assert_eq!(numbers(&last), vec![6000]);

    // More matches than are counted, none of them in the stretch.
    let beyond = app.get_json("/products?q=beyond&limit=50&page=2").await;
    assert_eq!(numbers(&beyond), (2051..=2100).collect::<Vec<_>>());
    assert_eq!(
        (beyond["total"].as_i64(), beyond["total_exact"].as_bool()),
        (Some(1001), Some(false))
    );
    let by_name = app.get_json("/products?q=beyond&limit=5&sort=name").await;
    assert_eq!(numbers(&by_name), vec![2001, 2002, 2003, 2004, 2005]);

    // More matches than are counted, 200 of them in the stretch, and a page past those: the
    // search walks on for it.
    let fifth = app.get_json("/products?q=fifth&limit=50&page=9").await;
    assert_eq!(
        numbers(&fifth),
        (401..=450).map(|i| 5 * i).collect::<Vec<_>>()
    );
    assert_eq!(
        (fifth["total"].as_i64(), fifth["total_exact"].as_bool()),
        (Some(1001), Some(false))
    );
    // Every price is the same, so the id orders them.
    let fifth_by_price = app
        .get_json("/products?q=fifth&limit=10&page=41&sort=price_desc")
        .await;
    let expected: Vec<i64> = {
        use shop_api::db::schema::products;
        products::table
            .filter(products::description.like("%fifth%"))
            .order(products::id.asc())
            .select(products::name)
            .offset(400)
            .limit(10)
            .load::<String>(&mut app.db())
            .unwrap()
            .iter()
            .map(|name| name.trim_start_matches("Item ").parse().unwrap())
            .collect()
    };
    assert_eq!(numbers(&fifth_by_price), expected);

    // 500 matches in the stretch of 1,000, so 3,000 promised in the 6,000 products: more than
    // are counted. Each page is still exact, and the total is a true lower bound.
    let real = 3000;
    let half = app.get_json("/products?q=half&limit=24").await;
    assert_eq!(numbers(&half), (1..=24).map(|i| 2 * i).collect::<Vec<_>>());
    assert_eq!(half["total_exact"], false);
    let total = half["total"].as_i64().expect("total");
    assert!((25..=real).contains(&total), "half's total: {total}");
    // Past the stretch: the search walks on.
    let walked_on = app.get_json("/products?q=half&limit=50&page=25").await;
    assert_eq!(
        numbers(&walked_on),
        (1201..=1250).map(|i| 2 * i).collect::<Vec<_>>()
    );
    let total = walked_on["total"].as_i64().expect("total");
    assert!((1251..=real).contains(&total), "half's total: {total}");
    // The last page, and one past it.
    let last_page = app.get_json("/products?q=half&limit=50&page=60").await;
    assert_eq!(
        numbers(&last_page),
        (2951..=3000).map(|i| 2 * i).collect::<Vec<_>>()
    );
    let past = app.get_json("/products?q=half&limit=50&page=62").await;
    assert_eq!(past["items"], serde_json::json!([]));
    let total = past["total"].as_i64().expect("total");
    assert!(total <= real, "past the last page, half's total: {total}");

    // A word every product has: its first page is in the stretch, and a page past the count
    // is still served.
    let first = app.get_json("/products?q=everywhere&limit=24").await;
    assert_eq!(numbers(&first), (1..=24).collect::<Vec<_>>());
    let deep = app
        .get_json("/products?q=everywhere&limit=100&page=50")
        .await;
    assert_eq!(numbers(&deep), (4901..=5000).collect::<Vec<_>>());
    assert_eq!(deep["total_exact"], false);
}

#[tokio::test]
async fn a_connection_plans_the_search_once_and_runs_it_again() {
    use shop_api::db::listings::ProductSort;
    use shop_api::db::product_search::search_page;

    #[derive(QueryableByName)]
    struct Statement {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        runs: i64,
    }

    let app = spawn_app().await;
    let mut conn = app.db();
    // No product matches: the search walks its stretch, then counts with the word index.
    for words in ["velvet:*", "satin:*", "velvet:*"] {
        let (page, total) =
            search_page(&mut conn, words, None, ProductSort::Newest, 24, 0).expect("search");
        assert!(page.is_empty() && total.exact && total.count == 0);
    }
    let statements: Vec<Statement> = diesel::sql_query(
        "SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements \
         WHERE statement LIKE '%walked%' OR statement LIKE '%gathered%' ORDER BY statement",
    )
    .load(&mut conn)
    .expect("the connection's prepared statements");
    let runs: Vec<(bool, i64)> = statements
        .iter()
        .map(|s| (s.statement.contains("gathered"), s.runs))
        .collect();
    assert_eq!(
        runs,
        vec![(true, 3), (false, 3)],
        "one statement each, run three times"
    );
}
