//! Carts under change: concurrent writers, moving prices and stock, and expiry.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::carts::{catalog, line, new_cart};
use crate::helpers::{assert_problem, product_body, spawn_app, spawn_app_with};

#[tokio::test]
async fn concurrent_adds_never_lose_or_duplicate_a_line() {
    let app = spawn_app().await;
    let (_, tee_l, _) = catalog(&app).await;
    let cart = new_cart(&app).await;

    let adds = (0..20).map(|_| {
        let request = cart
            .call(Method::POST, "/items")
            .json(&json!({"variant_id": tee_l, "quantity": 1}));
        tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
    });
    let statuses = futures_statuses(adds.collect()).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    let body = cart.get().await;
    assert_eq!(body["lines"].as_array().unwrap().len(), 1);
    assert_eq!(line(&body, "TEE-L")["quantity"], 20);
    assert_eq!(body["version"], 21);

    // Different variants in parallel each get their own line.
    let mut variants = Vec::new();
    for i in 0..6 {
        let product = app
            .create_product(product_body(
                &format!("p{i}"),
                "P",
                "EUR",
                &[(&format!("P-{i}"), 100, 50)],
            ))
            .await;
        variants.push(product["variants"][0]["id"].as_str().unwrap().to_owned());
    }
    let cart_ref = &cart;
    let adds = variants.iter().flat_map(|variant| {
        (0..3).map(move |_| {
            let cart = cart_ref;
            let request = cart
                .call(Method::POST, "/items")
                .json(&json!({"variant_id": variant, "quantity": 2}));
            tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
    });
    let statuses = futures_statuses(adds.collect()).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let body = cart.get().await;
    assert_eq!(body["lines"].as_array().unwrap().len(), 7);
    for i in 0..6 {
        assert_eq!(line(&body, &format!("P-{i}"))["quantity"], 6);
    }
    assert_eq!(body["item_count"], 20 + 36);
    assert_eq!(body["version"], 21 + 18);
}

async fn futures_statuses(handles: Vec<tokio::task::JoinHandle<u16>>) -> Vec<u16> {
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    statuses
}

#[tokio::test]
async fn price_changes_and_stock_changes_are_pointed_out() {
    let app = spawn_app().await;
    let (tee_m, tee_l, _) = catalog(&app).await;
    let cart = new_cart(&app).await;
    cart.add(&tee_m, 2).await;
    cart.add(&tee_l, 5).await;

    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{tee_m}"),
            &json!({"price": {"amount": 2200, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("/admin/variants/{tee_l}/stock"),
            &json!({"on_hand": 3}),
        )
        .await;
    assert_eq!(status, 200);

    let body = cart.get().await;
    let medium = line(&body, "TEE-M");
    assert_eq!(medium["price_changed"], true);
    assert_eq!(medium["previous_unit_price"]["amount"], 2500);
    assert_eq!(medium["unit_price"]["amount"], 2200);
    assert_eq!(medium["line_total"]["amount"], 4400);
    let large = line(&body, "TEE-L");
    assert_eq!(large["price_changed"], false);
    assert_eq!(large["availability"], "insufficient_stock");
    assert_eq!(large["available"], 3);
    assert_eq!(body["subtotal"]["amount"], 4400 + 5 * 2750);

    // Changing the line is the shopper acknowledging the new price.
    let medium_id = medium["id"].as_str().unwrap().to_owned();
    let body = cart
        .ok(cart
            .call(Method::PATCH, &format!("/items/{medium_id}"))
            .json(&json!({"quantity": 1})))
        .await;
    assert_eq!(line(&body, "TEE-M")["price_changed"], false);

    app.admin(Method::DELETE, &format!("/admin/variants/{tee_l}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        line(&cart.get().await, "TEE-L")["availability"],
        "unavailable"
    );
}

#[tokio::test]
async fn idle_carts_expire_and_are_swept() {
    let app = spawn_app_with(&[("CART_SWEEP_INTERVAL_SECS", "1"), ("CART_TTL_SECS", "3600")]).await;
    let (tee_m, _, _) = catalog(&app).await;
    let kept = new_cart(&app).await;
    let idle = new_cart(&app).await;
    idle.add(&tee_m, 1).await;

    let before = kept.get().await["expires_at"].as_str().unwrap().to_owned();
    let after = kept.add(&tee_m, 1).await["expires_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(after > before, "a change extends the cart's life");
    let expires: chrono::DateTime<chrono::Utc> = after.parse().unwrap();
    let remaining = expires - chrono::Utc::now();
    assert!(remaining > chrono::Duration::minutes(59) && remaining <= chrono::Duration::hours(1));

    let idle_id: Uuid = idle.id.parse().unwrap();
    {
        use shop_api::db::schema::carts::dsl as c;
        diesel::update(c::carts.find(idle_id))
            .set(c::expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
            .execute(&mut app.db())
            .unwrap();
    }
    assert_problem(
        idle.call(Method::GET, "").send().await.unwrap(),
        404,
        "not-found",
    )
    .await;
    let response = idle.add_response(&tee_m, json!(1)).await;
    assert_problem(response, 404, "not-found").await;

    let started = Instant::now();
    loop {
        use shop_api::db::schema::{cart_lines, carts};
        let mut conn = app.db();
        let carts_left: i64 = carts::table
            .find(idle_id)
            .count()
            .get_result(&mut conn)
            .unwrap();
        if carts_left == 0 {
            let lines_left: i64 = cart_lines::table
                .filter(cart_lines::cart_id.eq(idle_id))
                .count()
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(lines_left, 0);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "expired cart was not swept"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(kept.get().await["item_count"], 1);
}
