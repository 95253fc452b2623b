//! The back office's tables and reports: sales by day, week and month, low stock, and the
//! product and order tables' filters, sorting and pages.

use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamptz};
use reqwest::Method;
use serde_json::{Value, json};
use shop_api::domain::staff::Role;

use crate::helpers::{
    TestApp, assert_problem, paid_order_as, product_body, refund, spawn_app, tee,
};

/// Moves an order's payment (and its placing) to `at`, as if it had happened then.
fn paid_at(app: &TestApp, order_id: &str, at: &str) {
    diesel::sql_query(
        "UPDATE orders SET paid_at = $2::timestamptz, created_at = $2::timestamptz WHERE id = $1::uuid",
    )
    .bind::<Text, _>(order_id)
    .bind::<Text, _>(at)
    .execute(&mut app.db())
    .unwrap();
}

async fn report(app: &TestApp, query: &str) -> Value {
    let (status, body) = app
        .admin_json(
            Method::GET,
            &format!("/admin/reports/sales?{query}"),
            &Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn amounts(buckets: &Value, field: &str) -> Vec<i64> {
    buckets
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b[field]["amount"]
                .as_i64()
                .unwrap_or_else(|| b[field].as_i64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn sales_are_summed_per_day_week_and_month_with_refunds_where_they_happened() {
    let app = spawn_app().await;
    let variant = tee(&app, 50).await;
    let mut totals = Vec::new();
    for (quantity, email) in [
        (1, "a@example.com"),
        (2, "b@example.com"),
        (3, "c@example.com"),
    ] {
        let session = paid_order_as(&app, &variant, quantity, email).await;
        totals.push((
            session["order_id"].as_str().unwrap().to_owned(),
            session["amount"]["amount"].as_i64().unwrap(),
        ));
    }
    let [(a, total_a), (b, total_b), (c, total_c)] = <[_; 3]>::try_from(totals).unwrap();
    paid_at(&app, &a, "2026-11-02T12:00:00Z");
    paid_at(&app, &b, "2026-11-03T09:00:00Z");
    paid_at(&app, &c, "2026-11-03T23:30:00Z");
    let (status, refunded) = refund(&app, &b, "r1", json!({"amount": 1000})).await;
    assert_eq!(status, 201, "{refunded}");
    diesel::sql_query("UPDATE refunds SET created_at = $1::timestamptz, status = 'succeeded'")
        .bind::<Timestamptz, _>(
            chrono::DateTime::parse_from_rfc3339("2026-11-04T10:00:00Z")
                .unwrap()
                .to_utc(),
        )
        .execute(&mut app.db())
        .unwrap();

    let daily = report(&app, "from=2026-11-01&to=2026-11-05&interval=day").await;
    let starts: Vec<&str> = daily["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-01",
            "2026-11-02",
            "2026-11-03",
            "2026-11-04",
            "2026-11-05"
        ]
    );
    assert_eq!(
        amounts(&daily["buckets"], "gross"),
        [0, total_a, total_b + total_c, 0, 0]
    );
    assert_eq!(amounts(&daily["buckets"], "orders"), [0, 1, 2, 0, 0]);
    assert_eq!(amounts(&daily["buckets"], "refunds"), [0, 0, 0, 1000, 0]);
    assert_eq!(
        amounts(&daily["buckets"], "net"),
        [0, total_a, total_b + total_c, -1000, 0]
    );
    assert_eq!(
        daily["buckets"][2]["average_order_value"]["amount"],
        (total_b + total_c + 1) / 2
    );
    let gross = total_a + total_b + total_c;
    assert_eq!(
        daily["totals"]["gross"],
        json!({"amount": gross, "currency": "EUR", "decimal": format!("{}.{:02}", gross / 100, gross % 100)})
    );
    assert_eq!(daily["totals"]["net"]["amount"], gross - 1000);
    assert_eq!(daily["totals"]["orders"], 3);
    let placed: i64 = daily["orders_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["orders"].as_i64().unwrap())
        .sum();
    assert_eq!(placed, 3);

    // Weeks start on Monday: Sunday the 1st is the week of 26 October.
    let weekly = report(&app, "from=2026-11-01&to=2026-11-05&interval=week").await;
    let starts: Vec<&str> = weekly["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2026-10-26", "2026-11-02"]);
    assert_eq!(amounts(&weekly["buckets"], "gross"), [0, gross]);
    let monthly = report(&app, "from=2026-10-15&to=2026-11-30&interval=month").await;
    assert_eq!(amounts(&monthly["buckets"], "gross"), [0, gross]);
    assert_eq!(amounts(&monthly["buckets"], "refunds"), [0, 1000]);
    // Only what falls within the range counts, even in a bucket that starts before it.
    let partial = report(&app, "from=2026-11-03&to=2026-11-03&interval=month").await;
    assert_eq!(amounts(&partial["buckets"], "gross"), [total_b + total_c]);
    assert_eq!(partial["buckets"][0]["start"], "2026-11-01");

    for (query, field) in [
        ("from=2026-11-05&to=2026-11-01", "to"),
        ("from=2020-01-01&to=2026-11-01&interval=day", "from"),
    ] {
        let response = app
            .admin(Method::GET, &format!("/admin/reports/sales?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            assert_problem(response, 422, "validation").await["field"],
            field
        );
    }
    let viewer = app.staff_of(Role::Viewer).await;
    let seen = app
        .as_staff(&viewer, Method::GET, "/admin/reports/sales")
        .send()
        .await
        .unwrap();
    assert_eq!(seen.status(), 200);
    let seen: Value = seen.json().await.unwrap();
    assert_eq!(
        seen["buckets"].as_array().unwrap().len(),
        30,
        "the last 30 days by default"
    );
}

#[tokio::test]
async fn low_stock_lists_active_variants_fewest_available_first() {
    let app = spawn_app().await;
    let product = app
        .create_product(product_body(
            "socks",
            "Socks",
            "EUR",
            &[("SOCK-S", 900, 2), ("SOCK-M", 900, 0), ("SOCK-L", 900, 40)],
        ))
        .await;
    let hidden = app
        .create_product(product_body(
            "hidden",
            "Hidden",
            "EUR",
            &[("HID-1", 900, 1)],
        ))
        .await;
    let (status, _) = app
        .admin_json(
            Method::DELETE,
            &format!("/admin/products/{}", hidden["id"].as_str().unwrap()),
            &Value::Null,
        )
        .await;
    assert_eq!(status, 204);
    let (_, low) = app
        .admin_json(Method::GET, "/admin/reports/stock?below=5", &Value::Null)
        .await;
    let skus: Vec<&str> = low["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["SOCK-M", "SOCK-S"]);
    assert_eq!(low["items"][1]["available"], 2);
    assert_eq!(low["items"][1]["product_id"], product["id"]);
    let (_, none) = app
        .admin_json(Method::GET, "/admin/reports/stock?below=0", &Value::Null)
        .await;
    assert_eq!(none["items"], json!([]));
    let response = app
        .admin(Method::GET, "/admin/reports/stock?below=-1")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "invalid-request").await;
}

#[tokio::test]
async fn the_product_table_searches_filters_sorts_and_pages_on_the_server() {
    let app = spawn_app().await;
    for (slug, name) in [
        ("apple-mug", "Apple Mug"),
        ("blue-cap", "Blue Cap"),
        ("cotton-bag", "Cotton Bag"),
    ] {
        app.create_product(product_body(
            slug,
            name,
            "EUR",
            &[(&slug.to_uppercase(), 1000, 3)],
        ))
        .await;
    }
    let cap = app.get_json("/products/blue-cap").await;
    let (status, _) = app
        .admin_json(
            Method::DELETE,
            &format!("/admin/products/{}", cap["id"].as_str().unwrap()),
            &Value::Null,
        )
        .await;
    assert_eq!(status, 204);
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, by_name) = app
        .admin_json(Method::GET, "/admin/products?sort=name", &Value::Null)
        .await;
    assert_eq!(names(&by_name), ["Apple Mug", "Blue Cap", "Cotton Bag"]);
    assert_eq!(by_name["items"][0]["available"], 3);
    assert_eq!(by_name["items"][0]["price_from"]["amount"], 1000);
    let (_, reversed) = app
        .admin_json(
            Method::GET,
            "/admin/products?sort=-name&limit=2&page=2",
            &Value::Null,
        )
        .await;
    assert_eq!(names(&reversed), ["Apple Mug"]);
    assert_eq!(reversed["total"], 3);
    assert_eq!(reversed["total_pages"], 2);
    let (_, inactive) = app
        .admin_json(Method::GET, "/admin/products?active=false", &Value::Null)
        .await;
    assert_eq!(names(&inactive), ["Blue Cap"]);
    let (_, searched) = app
        .admin_json(Method::GET, "/admin/products?q=BAG", &Value::Null)
        .await;
    assert_eq!(names(&searched), ["Cotton Bag"]);
    let (_, wildcard) = app
        .admin_json(Method::GET, "/admin/products?q=%25", &Value::Null)
        .await;
    assert_eq!(names(&wildcard), Vec::<String>::new());
    let response = app
        .admin(Method::GET, "/admin/products?sort=price")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "invalid-request").await;
}

#[tokio::test]
async fn the_order_table_filters_by_email_and_sorts_by_total() {
    let app = spawn_app().await;
    let variant = tee(&app, 20).await;
    paid_order_as(&app, &variant, 1, "small@example.com").await;
    paid_order_as(&app, &variant, 3, "Large@Example.com").await;
    let emails = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["email"].as_str().unwrap().to_lowercase())
            .collect()
    };
    let (_, largest) = app
        .admin_json(Method::GET, "/admin/orders?sort=-total", &Value::Null)
        .await;
    assert_eq!(emails(&largest), ["large@example.com", "small@example.com"]);
    let (_, smallest) = app
        .admin_json(Method::GET, "/admin/orders?sort=total", &Value::Null)
        .await;
    assert_eq!(
        emails(&smallest),
        ["small@example.com", "large@example.com"]
    );
    let (_, found) = app
        .admin_json(Method::GET, "/admin/orders?email=LARGE", &Value::Null)
        .await;
    assert_eq!(emails(&found), ["large@example.com"]);
    let (_, unshipped) = app
        .admin_json(
            Method::GET,
            "/admin/orders?fulfillment_status=unfulfilled&status=paid",
            &Value::Null,
        )
        .await;
    assert_eq!(unshipped["total"], 2);
    let (_, shipped) = app
        .admin_json(
            Method::GET,
            "/admin/orders?fulfillment_status=fulfilled",
            &Value::Null,
        )
        .await;
    assert_eq!(shipped["total"], 0);
}
