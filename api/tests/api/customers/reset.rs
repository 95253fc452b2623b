use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    CUSTOMER_PASSWORD, TestApp, assert_problem, fresh_address, inbox, link_token,
    spawn_mailing_app, wait_for_mail,
};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn ask_for_reset(app: &TestApp, email: &str) -> Value {
    let response = app
        .post_from_shop("/auth/password-reset")
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    response.json().await.unwrap()
}

async fn reset_with(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_from_shop("/auth/password-reset/confirm")
        .json(&json!({"token": token, "new_password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let other_device = app
        .shopper_of(
            &shopper.email,
            app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        )
        .await;

    let accepted = ask_for_reset(&app, &shopper.email).await;
    let mail = wait_for_mail(&shopper.email, 2).await;
    assert_eq!(mail[1]["subject"], "Test Shop: Choose a new password");
    assert!(mail[1]["text"].as_str().unwrap().contains("30 minutes"));
    let token = link_token(&mail[1], "reset");

    // A weak password leaves the link usable.
    let weak = assert_problem(reset_with(&app, &token, "short").await, 422, "validation").await;
    assert_eq!(weak["field"], "new_password");
    assert_eq!(reset_with(&app, &token, NEW_PASSWORD).await.status(), 204);
    assert_problem(
        reset_with(&app, &token, "yet another passphrase").await,
        422,
        "link-invalid",
    )
    .await;

    for session in [&shopper, &other_device] {
        let me = app
            .as_shopper(session, Method::GET, "/customers/me")
            .send()
            .await
            .unwrap();
        assert_problem(me, 401, "sign-in-required").await;
    }
    assert_problem(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(
        app.sign_in(&shopper.email, NEW_PASSWORD).await.status(),
        200
    );

    // An address without an account is answered alike, and mailed nothing.
    let stranger = fresh_address();
    assert_eq!(ask_for_reset(&app, &stranger).await, accepted);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(inbox(&stranger).await.is_empty());
}

#[tokio::test]
async fn a_reset_link_expires_after_thirty_minutes() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    ask_for_reset(&app, &shopper.email).await;
    let token = link_token(&wait_for_mail(&shopper.email, 2).await[1], "reset");
    let minutes: f64 = diesel::dsl::sql::<diesel::sql_types::Double>(
        "SELECT extract(epoch from expires_at - created_at)::float8 / 60 FROM customer_tokens \
         WHERE purpose = 'reset_password'",
    )
    .get_result(&mut app.db())
    .unwrap();
    assert!((minutes - 30.0).abs() < 0.01, "{minutes} minutes");
    diesel::sql_query(
        "UPDATE customer_tokens SET expires_at = now() - interval '1 second' \
         WHERE purpose = 'reset_password'",
    )
    .execute(&mut app.db())
    .unwrap();
    assert_problem(
        reset_with(&app, &token, NEW_PASSWORD).await,
        422,
        "link-invalid",
    )
    .await;
    assert_eq!(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_reset_lifts_a_lock_and_confirms_an_unconfirmed_address() {
    let app = spawn_mailing_app(&[("CUSTOMER_LOCK_AFTER_FAILURES", "2")]).await;
    let email = fresh_address();
    assert_eq!(app.sign_up(&email, CUSTOMER_PASSWORD).await.status(), 202);
    wait_for_mail(&email, 1).await;
    for _ in 0..2 {
        app.sign_in(&email, "not the password at all").await;
    }
    ask_for_reset(&app, &email).await;
    let token = link_token(&wait_for_mail(&email, 2).await[1], "reset");
    assert_eq!(reset_with(&app, &token, NEW_PASSWORD).await.status(), 204);
    let signed_in = app.sign_in(&email, NEW_PASSWORD).await;
    let shopper = app.shopper_of(&email, signed_in).await;
    assert!(shopper.body["customer"]["email_verified_at"].is_string());
}
