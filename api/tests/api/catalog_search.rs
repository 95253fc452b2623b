//! A search in a catalog longer than the stretch the search walks in the page's order (2,000
//! products): matches past that stretch, few or many, are still found, in order, and counted.

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
    // Item 1 is the newest. "edge" marks items 1,990 to 2,010, across the stretch's end;
    // "beyond" marks the 4,000 oldest, none of them in the stretch; "fifth" marks every fifth;
    // "everywhere" marks all.
    diesel::sql_query(
        "WITH made AS (
            INSERT INTO products (slug, name, description, created_at)
            SELECT 'item-' || n, 'Item ' || n,
                   concat_ws(' ', 'Sold everywhere',
                       CASE WHEN n BETWEEN 1990 AND 2010 THEN 'edge' END,
                       CASE WHEN n > 2000 THEN 'beyond' END,
                       CASE WHEN n % 5 = 0 THEN 'fifth' END),
                   now() - make_interval(secs => n)
            FROM generate_series(1, 6000) n
            RETURNING id, slug)
         INSERT INTO variants (product_id, sku, title, price_amount, currency, stock_on_hand)
         SELECT id, upper(slug), 'One', 1000, 'EUR', 1 FROM made",
    )
    .execute(&mut app.db())
    .expect("seed 6,000 products");

    let edge = app.get_json("/products?q=edge&limit=24").await;
    assert_eq!(numbers(&edge), (1990..=2010).collect::<Vec<_>>());
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

    // More matches than are counted, 400 of them in the stretch, and a page just past those: the
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
