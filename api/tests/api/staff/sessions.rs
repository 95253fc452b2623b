use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use shop_api::domain::staff::Role;

use crate::helpers::{
    SESSION_COOKIE, STAFF_PASSWORD, assert_problem, session_cookie_of, spawn_app,
};

#[tokio::test]
async fn login_sets_a_strict_host_only_cookie_and_answers_the_csrf_token() {
    let app = spawn_app().await;
    app.add_staff("Ada@Shop.Example", Role::Manager, Some(STAFF_PASSWORD));
    let response = app.try_login("ada@shop.example", STAFF_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.starts_with(&format!("{SESSION_COOKIE}=")),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["role"], "manager");
    assert_eq!(body["label"], "ada@shop.example");
    assert_eq!(body["csrf_token"].as_str().unwrap().len(), 43);

    // Over plain http the cookie cannot be Secure, so it cannot be __Host- either.
    let plain = crate::helpers::spawn_app_with(&[("ADMIN_COOKIE_SECURE", "false")]).await;
    plain.add_staff("ada@shop.example", Role::Manager, Some(STAFF_PASSWORD));
    let response = plain.try_login("ada@shop.example", STAFF_PASSWORD).await;
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.starts_with("shop_admin="), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
}

#[tokio::test]
async fn a_session_id_is_new_at_every_login_and_a_planted_one_is_never_adopted() {
    let app = spawn_app().await;
    app.add_staff("ada@shop.example", Role::Viewer, Some(STAFF_PASSWORD));
    let planted = format!("{SESSION_COOKIE}={}", "A".repeat(43));
    let response = app
        .request(Method::POST, "/admin/session")
        .header("cookie", &planted)
        .json(&json!({"email": "ada@shop.example", "password": STAFF_PASSWORD}))
        .send()
        .await
        .unwrap();
    let issued = session_cookie_of(&response).unwrap();
    assert_ne!(issued, planted);
    let planted_works = app
        .request(Method::GET, "/admin/session")
        .header("cookie", &planted)
        .send()
        .await
        .unwrap();
    assert_problem(planted_works, 401, "unauthorized").await;

    let again = app.login("ada@shop.example", STAFF_PASSWORD).await;
    assert_ne!(again.cookie, issued);
    // Both sessions stand: a second device does not end the first.
    for cookie in [&issued, &again.cookie] {
        let who = app
            .request(Method::GET, "/admin/session")
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(who.status(), 200);
    }
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let staff = app.staff_of(Role::Owner).await;
    let response = app
        .as_staff(&staff, Method::DELETE, "/admin/session")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = app
        .as_staff(&staff, Method::GET, "/admin/orders")
        .send()
        .await
        .unwrap();
    assert_problem(after, 401, "unauthorized").await;
}

#[tokio::test]
async fn sessions_end_when_idle_too_long_or_too_old() {
    let app = spawn_app().await;
    let idle = app.staff_of(Role::Viewer).await;
    let old = app.staff_of(Role::Viewer).await;
    let fresh = app.staff_of(Role::Viewer).await;
    let mut conn = app.db();
    diesel::sql_query(
        "UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes' \
         WHERE staff_id = (SELECT id FROM staff WHERE email = $1)",
    )
    .bind::<diesel::sql_types::Text, _>(idle.body["label"].as_str().unwrap())
    .execute(&mut conn)
    .unwrap();
    // Used a minute ago, but opened thirteen hours ago: past the twelve-hour limit.
    diesel::sql_query(
        "UPDATE staff_sessions SET created_at = now() - interval '13 hours' \
         WHERE staff_id = (SELECT id FROM staff WHERE email = $1)",
    )
    .bind::<diesel::sql_types::Text, _>(old.body["label"].as_str().unwrap())
    .execute(&mut conn)
    .unwrap();
    for ended in [&idle, &old] {
        let response = app
            .as_staff(ended, Method::GET, "/admin/session")
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
    let response = app
        .as_staff(&fresh, Method::GET, "/admin/session")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["idle_timeout_secs"],
        1800
    );
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    app.add_staff("ada@shop.example", Role::Manager, Some(STAFF_PASSWORD));
    let laptop = app.login("ada@shop.example", STAFF_PASSWORD).await;
    let phone = app.login("ada@shop.example", STAFF_PASSWORD).await;
    let new_password = "a much longer passphrase now";
    let weak = app
        .as_staff(&laptop, Method::POST, "/admin/session/password")
        .json(&json!({"current_password": STAFF_PASSWORD, "new_password": "password1234"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(weak, 422, "validation").await;
    assert_eq!(problem["field"], "new_password");
    let wrong = app
        .as_staff(&laptop, Method::POST, "/admin/session/password")
        .json(&json!({"current_password": "not the password", "new_password": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(wrong, 422, "validation").await["field"],
        "current_password"
    );

    let changed = app
        .as_staff(&laptop, Method::POST, "/admin/session/password")
        .json(&json!({"current_password": STAFF_PASSWORD, "new_password": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let renewed = session_cookie_of(&changed).unwrap();
    assert_ne!(renewed, laptop.cookie);
    for ended in [&laptop, &phone] {
        let response = app
            .as_staff(ended, Method::GET, "/admin/session")
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
    let response = app
        .request(Method::GET, "/admin/session")
        .header("cookie", &renewed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_problem(
        app.try_login("ada@shop.example", STAFF_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    app.login("ada@shop.example", new_password).await;
}

#[tokio::test]
async fn a_one_time_password_allows_nothing_but_changing_it() {
    let app = spawn_app().await;
    let one_time = app
        .add_staff("grace@shop.example", Role::Owner, None)
        .unwrap();
    let staff = app.login("grace@shop.example", &one_time).await;
    assert_eq!(staff.body["must_change_password"], true);
    let refused = app
        .as_staff(&staff, Method::GET, "/admin/orders")
        .send()
        .await
        .unwrap();
    assert_problem(refused, 403, "password-change-required").await;
    let changed = app
        .as_staff(&staff, Method::POST, "/admin/session/password")
        .json(&json!({"current_password": one_time, "new_password": "my own long passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let body: serde_json::Value = changed.json().await.unwrap();
    assert_eq!(body["must_change_password"], false);
    let staff = app
        .login("grace@shop.example", "my own long passphrase")
        .await;
    let allowed = app
        .as_staff(&staff, Method::GET, "/admin/orders")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token_and_the_shops_own_origin() {
    let app = spawn_app().await;
    let staff = app.staff_of(Role::Manager).await;
    let category = json!({"slug": "hats", "name": "Hats"});
    let bare = |method| {
        app.request(method, "/admin/categories")
            .header("cookie", &staff.cookie)
            .header("origin", &app.address)
    };
    let missing = bare(Method::POST).json(&category).send().await.unwrap();
    assert_problem(missing, 403, "csrf-token").await;
    let wrong = bare(Method::POST)
        .header("x-csrf-token", "A".repeat(43))
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(wrong, 403, "csrf-token").await;
    let other_site = app
        .request(Method::POST, "/admin/categories")
        .header("cookie", &staff.cookie)
        .header("x-csrf-token", &staff.csrf)
        .header("origin", "https://evil.example")
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(other_site, 403, "cross-origin").await;
    let two_origins = app
        .as_staff(&staff, Method::POST, "/admin/categories")
        .header("origin", "https://evil.example")
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(two_origins, 403, "cross-origin").await;
    let cross_fetch = app
        .as_staff(&staff, Method::POST, "/admin/categories")
        .header("sec-fetch-site", "cross-site")
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(cross_fetch, 403, "cross-origin").await;
    let no_origin = app
        .request(Method::POST, "/admin/categories")
        .header("cookie", &staff.cookie)
        .header("x-csrf-token", &staff.csrf)
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(no_origin, 403, "cross-origin").await;
    assert_eq!(app.get_json("/categories").await["items"], json!([]));

    // Another session's token is not this one's.
    let other = app.staff_of(Role::Manager).await;
    let borrowed = bare(Method::POST)
        .header("x-csrf-token", &other.csrf)
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_problem(borrowed, 403, "csrf-token").await;

    let read = app
        .request(Method::GET, "/admin/orders")
        .header("cookie", &staff.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200, "reads need no token");
    let made = app
        .as_staff(&staff, Method::POST, "/admin/categories")
        .header("sec-fetch-site", "same-origin")
        .json(&category)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    // A forged login is refused too, while a client without Origin (curl) may log in.
    let forged = app
        .request(Method::POST, "/admin/session")
        .header("origin", "https://evil.example")
        .json(&json!({"email": staff.body["label"], "password": STAFF_PASSWORD}))
        .send()
        .await
        .unwrap();
    let status = forged.status();
    let text = forged.text().await.unwrap();
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("cross-origin"), "{text}");
}
