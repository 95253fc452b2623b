use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use shop_api::domain::staff::Role;

use crate::helpers::{
    CUSTOMER_COOKIE, CUSTOMER_PASSWORD, STAFF_PASSWORD, Shopper, TestApp, assert_problem,
    customer_set_cookie, fresh_address, spawn_mailing_app,
};

async fn session_of(app: &TestApp, cookie: &str) -> Value {
    let response = app
        .request(Method::GET, "/auth/session")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_unknown_address_and_a_wrong_password_are_answered_alike() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let unknown = assert_problem(
        app.sign_in(&fresh_address(), CUSTOMER_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    let wrong = assert_problem(
        app.sign_in(&shopper.email, "not the password at all").await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(unknown, wrong);
}

#[tokio::test]
async fn the_session_cookie_is_host_only_httponly_lax_and_lasts_thirty_days() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let response = app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    let set_cookie = customer_set_cookie(&response).unwrap();
    assert!(set_cookie.starts_with(&format!("{CUSTOMER_COOKIE}=")));
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(set_cookie.contains(attribute), "{attribute}: {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["idle_timeout_secs"], 604_800);

    let session = session_of(&app, &shopper.cookie).await;
    assert_eq!(session["signed_in"], true);
    assert_eq!(session["customer"]["email"], shopper.email.as_str());
    assert_eq!(session["csrf_token"], shopper.csrf.as_str());
    let guest = session_of(&app, "").await;
    assert_eq!(guest["signed_in"], false);
    assert_eq!(guest["csrf_token"], Value::Null);
}

#[tokio::test]
async fn a_planted_session_cookie_is_never_adopted() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let planted = format!("{CUSTOMER_COOKIE}={}", "A".repeat(43));
    let response = app
        .post_from_shop("/auth/login")
        .header("cookie", &planted)
        .json(&json!({"email": shopper.email, "password": CUSTOMER_PASSWORD}))
        .send()
        .await
        .unwrap();
    let issued = app.shopper_of(&shopper.email, response).await;
    assert_ne!(issued.cookie, planted);
    assert_ne!(
        issued.cookie, shopper.cookie,
        "a new session at every sign-in"
    );
    assert_eq!(session_of(&app, &planted).await["signed_in"], false);
    assert_eq!(session_of(&app, &issued.cookie).await["signed_in"], true);
}

#[tokio::test]
async fn writes_with_the_cookie_need_the_csrf_token_and_the_shops_own_origin() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let log_out = |csrf: &str, origin: &str| {
        app.request(Method::POST, "/auth/logout")
            .header("cookie", &shopper.cookie)
            .header("x-csrf-token", csrf)
            .header("origin", origin)
            .send()
    };
    assert_problem(log_out("", &app.address).await.unwrap(), 403, "csrf-token").await;
    // A staff session's token for the same cookie value is another realm's.
    let staff_token = {
        use shop_api::domain::accounts::Realm;
        let token = shopper.cookie.split_once('=').unwrap().1;
        shop_api::services::auth::secrets::csrf_token(token, Realm::Staff)
    };
    assert_problem(
        log_out(&staff_token, &app.address).await.unwrap(),
        403,
        "csrf-token",
    )
    .await;
    assert_problem(
        log_out(&shopper.csrf, "https://evil.example")
            .await
            .unwrap(),
        403,
        "cross-origin",
    )
    .await;
    let done = log_out(&shopper.csrf, &app.address).await.unwrap();
    assert_eq!(done.status(), 204);
    let cleared = customer_set_cookie(&done).unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let after = app
        .as_shopper(&shopper, Method::GET, "/customers/me")
        .send()
        .await
        .unwrap();
    assert_eq!(after.headers()["www-authenticate"], "Cookie realm=\"shop\"");
    assert_problem(after, 401, "sign-in-required").await;
}

#[tokio::test]
async fn signing_in_from_another_site_is_refused() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let forged = app
        .request(Method::POST, "/auth/login")
        .header("origin", "https://evil.example")
        .json(&json!({"email": shopper.email, "password": CUSTOMER_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(customer_set_cookie(&forged).is_none());
    assert_problem(forged, 403, "cross-origin").await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_briefly_and_it_unlocks() {
    let app = spawn_mailing_app(&[
        ("CUSTOMER_LOCK_AFTER_FAILURES", "3"),
        ("CUSTOMER_LOCK_SECS", "60"),
    ])
    .await;
    let shopper: Shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    for _ in 0..3 {
        assert_problem(
            app.sign_in(&shopper.email, "not the password at all").await,
            401,
            "invalid-credentials",
        )
        .await;
    }
    // Locked: the right password is refused exactly as a wrong one.
    assert_problem(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    let seconds: f64 = diesel::dsl::sql::<diesel::sql_types::Double>(
        "SELECT extract(epoch from locked_until - now())::float8 FROM customers WHERE email = ",
    )
    .bind::<diesel::sql_types::Text, _>(&shopper.email)
    .get_result(&mut app.db())
    .unwrap();
    assert!((50.0..=60.0).contains(&seconds), "locked for {seconds} s");

    diesel::sql_query("UPDATE customers SET locked_until = now() - interval '1 second'")
        .execute(&mut app.db())
        .unwrap();
    assert_eq!(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_client_that_fails_too_often_is_throttled_apart_from_staff_logins() {
    let app = spawn_mailing_app(&[
        ("CUSTOMER_LOGIN_CLIENT_LIMIT", "2"),
        ("CUSTOMER_LOGIN_WINDOW_SECS", "600"),
    ])
    .await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    for _ in 0..2 {
        assert_problem(
            app.sign_in(&fresh_address(), CUSTOMER_PASSWORD).await,
            401,
            "invalid-credentials",
        )
        .await;
    }
    let throttled = app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await;
    assert_eq!(throttled.headers()["retry-after"], "600");
    assert_problem(throttled, 429, "too-many-login-attempts").await;

    // Staff logins from the same client have a throttle of their own.
    app.add_staff("ada@shop.example", Role::Owner, Some(STAFF_PASSWORD));
    assert_eq!(
        app.try_login("ada@shop.example", STAFF_PASSWORD)
            .await
            .status(),
        200
    );
}
