use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use super::carts::account_cart;
use crate::helpers::{
    CUSTOMER_PASSWORD, Shopper, TestApp, address, assert_problem, ensure_delivery, fresh_address,
    paid_order_as, pay_session, spawn_mailing_app, tee, wait_for_mail,
};

async fn export(app: &TestApp, shopper: &Shopper) -> Value {
    let response = app
        .as_shopper(shopper, Method::GET, "/customers/me/export")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"my-shop-data.json\""
    );
    response.json().await.unwrap()
}

/// An order bought signed in, from the account's cart.
async fn bought_signed_in(app: &TestApp, shopper: &Shopper, variant: &str) -> Value {
    let (cart, _) = account_cart(app, shopper, None).await;
    let added = app
        .request(Method::POST, &format!("/carts/{}/items", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);
    ensure_delivery(app, &cart).await;
    let session: Value = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &cart.secret)
        .header("Idempotency-Key", "signed-in")
        .json(&json!({"cart_id": cart.id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    pay_session(app, &session).await;
    session
}

async fn erase(app: &TestApp, shopper: &Shopper, password: &str) -> reqwest::Response {
    app.as_shopper(shopper, Method::DELETE, "/customers/me")
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_export_holds_everything_about_the_account_and_nothing_else() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    let variant = tee(&app, 9).await;
    let guest_order = paid_order_as(&app, &variant, 1, &email).await;
    let stranger = paid_order_as(&app, &variant, 1, &fresh_address()).await;
    wait_for_mail(&email, 1).await;
    let lookup = app
        .request(Method::POST, "/orders/lookup")
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(lookup.status(), 202);
    wait_for_mail(&email, 2).await;
    let shopper = app.confirmed_shopper(&email, 2).await;
    let own_order = bought_signed_in(&app, &shopper, &variant).await;
    app.as_shopper(&shopper, Method::PATCH, "/customers/me")
        .json(&json!({"marketing_consent": true, "name": "Ada"}))
        .send()
        .await
        .unwrap();
    app.as_shopper(&shopper, Method::POST, "/customers/me/addresses")
        .json(&json!({ "address": address("FR") }))
        .send()
        .await
        .unwrap();

    let data = export(&app, &shopper).await;
    assert_eq!(data["profile"]["email"], email.as_str());
    assert_eq!(data["profile"]["name"], "Ada");
    assert!(data["profile"].get("password_hash").is_none());
    assert_eq!(data["consents"][0]["granted"], true);
    assert_eq!(data["addresses"][0]["address"]["country"], "FR");
    let orders: Vec<&Value> = data["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(orders, [&own_order["order_id"], &guest_order["order_id"]]);
    assert!(
        !data
            .to_string()
            .contains(stranger["order_id"].as_str().unwrap())
    );
    let mut kinds: Vec<&str> = data["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        ["account_verify", "order_lookup", "order_paid", "order_paid"]
    );
    assert!(data["emails"][0].get("payload").is_none());
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    assert!(data["exported_at"].is_string());
}

#[tokio::test]
async fn erasure_anonymises_the_orders_keeping_their_totals_and_forgets_the_account() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let variant = tee(&app, 9).await;
    let bought = bought_signed_in(&app, &shopper, &variant).await;
    let order_id = bought["order_id"].as_str().unwrap().to_owned();
    // Not while the order waits to be shipped: its address is needed.
    let open = assert_problem(
        erase(&app, &shopper, CUSTOMER_PASSWORD).await,
        409,
        "account-has-open-orders",
    )
    .await;
    assert_eq!(open["order_ids"], json!([order_id]));
    let line = crate::helpers::admin_order(&app, &bought).await["lines"][0]["id"].clone();
    let (status, _) = crate::fulfillment::ship(
        &app,
        &order_id,
        "parcel",
        &crate::fulfillment::parcel(&line, 1),
    )
    .await;
    assert_eq!(status, 201);
    let before: Value = app
        .admin(Method::GET, &format!("/admin/orders/{order_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Someone else starts a checkout with the address: it does not hold erasure back, and keeps
    // its address until it is done.
    let stranger_cart = crate::helpers::cart_with(&app, &[(&variant, 1)]).await;
    ensure_delivery(&app, &stranger_cart).await;
    let pending: Value = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &stranger_cart.secret)
        .header("Idempotency-Key", "stranger")
        .json(&json!({"cart_id": stranger_cart.id, "email": shopper.email}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let wrong = assert_problem(
        erase(&app, &shopper, "not the password at all").await,
        422,
        "validation",
    )
    .await;
    assert_eq!(wrong["field"], "password");
    let erased = erase(&app, &shopper, CUSTOMER_PASSWORD).await;
    assert_eq!(erased.status(), 204);
    let cleared = crate::helpers::customer_set_cookie(&erased).unwrap();
    assert!(cleared.contains("Max-Age=0"));

    let after: Value = app
        .admin(Method::GET, &format!("/admin/orders/{order_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for kept in [
        "total",
        "subtotal",
        "tax",
        "shipping",
        "lines",
        "status",
        "fulfillment_status",
    ] {
        assert_eq!(after[kept], before[kept], "{kept}");
    }
    let placeholder = after["email"].as_str().unwrap();
    assert!(placeholder.starts_with("erased+") && placeholder.ends_with("@erased.invalid"));
    assert_eq!(after["shipping_address"]["name"], "(erased)");
    assert_eq!(
        after["shipping_address"]["country"],
        before["shipping_address"]["country"]
    );
    assert_eq!(after["shipping_address"]["phone"], Value::Null);
    let text = after.to_string();
    assert!(!text.contains(&shopper.email), "{text}");
    let app = &app;
    let admin_get = |path: String| async move {
        let response = app.admin(Method::GET, &path).send().await.unwrap();
        response.json::<Value>().await.unwrap()
    };
    let pending_order = admin_get(format!(
        "/admin/orders/{}",
        pending["order_id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(
        pending_order["email"],
        shopper.email.as_str(),
        "another's order under way keeps its address"
    );
    let emails = admin_get(format!("/admin/orders/{order_id}/emails")).await;
    let receipt = emails["items"][0]["id"].as_str().unwrap();
    let resend = app
        .admin(
            Method::POST,
            &format!("/admin/orders/{order_id}/emails/{receipt}/resend"),
        )
        .send()
        .await
        .unwrap();
    assert_problem(resend, 409, "conflict").await;

    let mut conn = app.db();
    let rows: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM customer_sessions) \
         + (SELECT count(*) FROM customer_tokens) + (SELECT count(*) FROM carts \
         WHERE customer_id IS NOT NULL) + (SELECT count(*) FROM orders WHERE customer_id IS NOT NULL)",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(rows, 0, "the account and all that hung on it are gone");
    let leftover: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT count(*) FROM emails WHERE lower(recipient) = ",
    )
    .bind::<diesel::sql_types::Text, _>(&shopper.email)
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(leftover, 0, "no email names the address any more");
    let (actor, label, summary): (String, String, Value) = diesel::dsl::sql::<(
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Jsonb,
    )>(
        "SELECT actor_kind, actor_label, summary FROM audit_events WHERE operation = 'erase_customer'",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!((actor.as_str(), label.as_str()), ("customer", "customer"));
    assert_eq!(summary, json!({"orders_anonymised": 1}));

    assert_problem(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(
        app.sign_up(&shopper.email, CUSTOMER_PASSWORD)
            .await
            .status(),
        202
    );
}

#[tokio::test]
async fn guest_orders_past_the_retention_period_are_anonymised_and_owned_ones_are_not() {
    let app = spawn_mailing_app(&[
        ("GUEST_ORDER_RETENTION_YEARS", "1"),
        ("ACCOUNT_SWEEP_INTERVAL_SECS", "1"),
    ])
    .await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let variant = tee(&app, 9).await;
    let guest = paid_order_as(&app, &variant, 1, &fresh_address()).await;
    let line = crate::helpers::admin_order(&app, &guest).await["lines"][0]["id"].clone();
    let guest_id = guest["order_id"].as_str().unwrap();
    let (status, _) = crate::fulfillment::ship(
        &app,
        guest_id,
        "parcel",
        &crate::fulfillment::parcel(&line, 1),
    )
    .await;
    assert_eq!(status, 201);
    let unshipped = paid_order_as(&app, &variant, 1, &fresh_address()).await;
    let recent = paid_order_as(&app, &variant, 1, &fresh_address()).await;
    let owned = bought_signed_in(&app, &shopper, &variant).await;
    diesel::sql_query("UPDATE orders SET created_at = now() - interval '2 years' WHERE id <> $1")
        .bind::<diesel::sql_types::Uuid, _>(
            recent["order_id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap(),
        )
        .execute(&mut app.db())
        .unwrap();

    let anonymised = |id: &Value| -> bool {
        diesel::dsl::sql::<diesel::sql_types::Bool>(
            "SELECT anonymised_at IS NOT NULL FROM orders WHERE id = ",
        )
        .bind::<diesel::sql_types::Uuid, _>(id.as_str().unwrap().parse::<uuid::Uuid>().unwrap())
        .get_result(&mut app.db())
        .unwrap()
    };
    let started = Instant::now();
    while !anonymised(&guest["order_id"]) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the sweep never ran"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        !anonymised(&owned["order_id"]),
        "an account's order is the account's to erase"
    );
    assert!(!anonymised(&recent["order_id"]));
    assert!(
        !anonymised(&unshipped["order_id"]),
        "an order still to ship keeps its address"
    );
    let summary: Value = diesel::dsl::sql::<diesel::sql_types::Jsonb>(
        "SELECT summary FROM audit_events WHERE actor_kind = 'system' AND operation = 'anonymise_guest_orders'",
    )
    .get_result(&mut app.db())
    .unwrap();
    assert_eq!(summary, json!({"count": 1, "older_than_years": 1}));
}
