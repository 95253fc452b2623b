use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{
    Shopper, TestApp, assert_problem, fresh_address, paid_order_as, spawn_mailing_app, tee,
    wait_for_mail,
};

async fn my_orders(app: &TestApp, shopper: &Shopper, query: &str) -> Value {
    let response = app
        .as_shopper(
            shopper,
            Method::GET,
            &format!("/customers/me/orders{query}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

fn owners(app: &TestApp) -> Vec<Option<uuid::Uuid>> {
    use shop_api::db::schema::orders;
    orders::table
        .order(orders::created_at)
        .select(orders::customer_id)
        .load(&mut app.db())
        .unwrap()
}

#[tokio::test]
async fn guest_orders_join_the_account_only_once_the_address_is_confirmed() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    let variant = tee(&app, 9).await;
    let guest = paid_order_as(&app, &variant, 1, &email.to_uppercase()).await;
    wait_for_mail(&email, 1).await;

    assert_eq!(
        app.sign_up(&email, crate::helpers::CUSTOMER_PASSWORD)
            .await
            .status(),
        202
    );
    let mail = wait_for_mail(&email, 2).await;
    assert_eq!(owners(&app), [None], "not before the address is confirmed");

    let token = crate::helpers::link_token(&mail[1], "verify");
    let confirmed = app.confirm(&token, crate::helpers::CUSTOMER_PASSWORD).await;
    let shopper = app.shopper_of(&email, confirmed).await;
    assert_eq!(shopper.body["claimed_orders"], 1);
    let page = my_orders(&app, &shopper, "").await;
    assert_eq!(ids(&page), [guest["order_id"].as_str().unwrap()]);
    assert_eq!(page["total"], 1);

    let order_id = guest["order_id"].as_str().unwrap();
    let one = app
        .as_shopper(
            &shopper,
            Method::GET,
            &format!("/customers/me/orders/{order_id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
    assert_eq!(one.headers()["cache-control"], "no-store");
    let one: Value = one.json().await.unwrap();
    assert_eq!(one["status"], "paid");
    assert_eq!(one["lines"][0]["quantity"], 1);
}

#[tokio::test]
async fn a_later_guest_order_of_the_address_joins_the_account_when_paid() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let variant = tee(&app, 9).await;
    let first = paid_order_as(&app, &variant, 1, &shopper.email).await;
    let second = paid_order_as(&app, &variant, 2, &shopper.email).await;
    paid_order_as(&app, &variant, 1, &fresh_address()).await;

    let page = my_orders(&app, &shopper, "?limit=1").await;
    assert_eq!(
        ids(&page),
        [second["order_id"].as_str().unwrap()],
        "newest first"
    );
    assert_eq!(
        (page["total"].as_i64(), page["total_pages"].as_i64()),
        (Some(2), Some(2))
    );
    let page = my_orders(&app, &shopper, "?limit=1&page=2").await;
    assert_eq!(ids(&page), [first["order_id"].as_str().unwrap()]);
    let bad = app
        .as_shopper(&shopper, Method::GET, "/customers/me/orders?limit=0")
        .send()
        .await
        .unwrap();
    assert_problem(bad, 400, "invalid-request").await;
}

#[tokio::test]
async fn another_customers_order_answers_404_as_a_missing_one_does() {
    let app = spawn_mailing_app(&[]).await;
    let ada = app.confirmed_shopper(&fresh_address(), 0).await;
    let eve = app.confirmed_shopper(&fresh_address(), 0).await;
    let variant = tee(&app, 9).await;
    let adas = paid_order_as(&app, &variant, 1, &ada.email).await;
    let order_id = adas["order_id"].as_str().unwrap();

    let path = format!("/customers/me/orders/{order_id}");
    let theirs = app
        .as_shopper(&eve, Method::GET, &path)
        .send()
        .await
        .unwrap();
    let theirs = assert_problem(theirs, 404, "not-found").await;
    let missing = app
        .as_shopper(
            &eve,
            Method::GET,
            &format!("/customers/me/orders/{}", uuid::Uuid::new_v4()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(missing, 404, "not-found").await, theirs);
    assert!(ids(&my_orders(&app, &eve, "").await).is_empty());
    let anonymous = app.request(Method::GET, &path).send().await.unwrap();
    assert_problem(anonymous, 401, "sign-in-required").await;
}
