//! A listing's total: the products on sale, kept per category as the catalog changes, and a
//! search's matches counted up to 1,000. Pages of one product are full, so every total here is
//! counted rather than read off a short last page.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, product_body, spawn_app};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What a shopper may see, counted row by row: the figure the API must agree with.
fn on_sale(app: &TestApp, category: Option<&str>) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM products p LEFT JOIN categories c ON c.id = p.category_id \
         WHERE p.active AND p.price_from IS NOT NULL AND ($1::text IS NULL OR c.slug = $1)",
    )
    .bind::<Nullable<Text>, _>(category)
    .get_result::<Count>(&mut app.db())
    .unwrap()
    .n
}

async fn assert_totals(app: &TestApp, when: &str) {
    let all = app.get_json("/products?limit=1").await;
    assert_eq!(all["total"], on_sale(app, None), "{when}");
    assert_eq!(all["total_exact"], true, "{when}");
    for category in ["tops", "outerwear", "accessories", "home"] {
        let page = app
            .get_json(&format!("/products?limit=1&category={category}"))
            .await;
        assert_eq!(
            page["total"],
            on_sale(app, Some(category)),
            "{category}, {when}"
        );
    }
}

#[tokio::test]
async fn totals_follow_every_change_to_what_is_on_sale() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;
    assert_eq!(app.get_json("/products?limit=1").await["total"], 12);
    assert_totals(&app, "seeded").await;

    let categories = app.get_json("/categories").await;
    let tops = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "tops")
        .unwrap()["id"]
        .clone();
    let mut body = product_body("new-top", "New Top", "EUR", &[("NEW-1", 900, 3)]);
    body["category_id"] = tops;
    let product = app.create_product(body).await;
    let id = product["id"].as_str().unwrap().to_owned();
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get_json("/products?limit=1").await["total"], 13);
    assert_totals(&app, "a product added").await;

    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/products/{id}"),
            &json!({"category_id": null}),
        )
        .await;
    assert_eq!(status, 200);
    assert_totals(&app, "moved out of its category").await;

    let response = app
        .admin(Method::DELETE, &format!("/admin/variants/{variant}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_json("/products?limit=1").await["total"], 12);
    assert_totals(&app, "its only variant withdrawn").await;

    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant}"),
            &json!({"active": true}),
        )
        .await;
    assert_eq!(status, 200);
    let response = app
        .admin(Method::DELETE, &format!("/admin/products/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_json("/products?limit=1").await["total"], 12);
    assert_totals(&app, "the product withdrawn").await;

    // Deleting a category leaves its products on sale without one.
    diesel::sql_query("DELETE FROM categories WHERE slug = 'outerwear'")
        .execute(&mut app.db())
        .unwrap();
    assert_eq!(app.get_json("/products?limit=1").await["total"], 12);
    assert_totals(&app, "a category deleted").await;
}

#[tokio::test]
async fn a_search_counts_up_to_a_thousand_matches_and_says_when_there_are_more() {
    let app = spawn_app().await;
    diesel::sql_query(
        "WITH made AS (
            INSERT INTO products (slug, name, description)
            SELECT 'many-' || n, 'Many ' || n, 'A common thing' FROM generate_series(1, 1100) n
            RETURNING id, slug)
         INSERT INTO variants (product_id, sku, title, price_amount, currency, stock_on_hand)
         SELECT id, upper(slug), 'One', 1000, 'EUR', 1 FROM made",
    )
    .execute(&mut app.db())
    .unwrap();

    let common = app.get_json("/products?q=common&limit=24").await;
    assert_eq!(common["items"].as_array().unwrap().len(), 24);
    assert_eq!(common["total"], 1001);
    assert_eq!(common["total_exact"], false);
    assert_eq!(common["total_pages"], 42);
    // The whole catalog, unsearched, is counted exactly.
    let all = app.get_json("/products?limit=24").await;
    assert_eq!(
        (all["total"].clone(), all["total_exact"].clone()),
        (json!(1100), json!(true))
    );

    // Past the bound, a full page promises a next one, and the page after the last does not.
    let full = app.get_json("/products?q=common&limit=100&page=11").await;
    assert_eq!(full["items"].as_array().unwrap().len(), 100);
    assert_eq!(
        (full["total"].clone(), full["total_pages"].clone()),
        (json!(1101), json!(12))
    );
    let after = app.get_json("/products?q=common&limit=100&page=12").await;
    assert_eq!(after["items"], json!([]));
    assert_eq!(after["total_pages"], 11);
    assert_eq!(after["total_exact"], false);

    // Fewer matches than the bound are counted exactly, full page or not.
    // "Many 105" and "Many 1050" to "Many 1059".
    let rare = app.get_json("/products?q=many%20105&limit=5").await;
    assert_eq!(rare["items"].as_array().unwrap().len(), 5);
    assert_eq!(
        (rare["total"].clone(), rare["total_exact"].clone()),
        (json!(11), json!(true))
    );
}
