use std::time::{Duration, Instant};

use diesel::prelude::*;
use shop_api::domain::staff::Role;

use crate::helpers::{STAFF_PASSWORD, assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_are_answered_alike() {
    let app = spawn_app_with(&[("ADMIN_LOGIN_CLIENT_LIMIT", "1000")]).await;
    app.add_staff("ada@shop.example", Role::Owner, Some(STAFF_PASSWORD));
    let unknown = app.try_login("nobody@shop.example", STAFF_PASSWORD).await;
    let unknown_headers = unknown.headers().clone();
    let unknown = assert_problem(unknown, 401, "invalid-credentials").await;
    let wrong = app
        .try_login("ada@shop.example", "not the password at all")
        .await;
    assert_eq!(
        wrong.headers().get("content-length"),
        unknown_headers.get("content-length")
    );
    assert_eq!(
        assert_problem(wrong, 401, "invalid-credentials").await,
        unknown
    );

    // Both pay for one password hash: an unknown email is not answered sooner. A median of
    // several, alternating, so that a busy moment does not decide it.
    let (mut unknown_times, mut wrong_times) = (Vec::new(), Vec::new());
    for round in 0..7 {
        let started = Instant::now();
        app.try_login(
            &format!("nobody{round}@shop.example"),
            "not the password at all",
        )
        .await;
        unknown_times.push(started.elapsed());
        let started = Instant::now();
        app.try_login("ada@shop.example", "not the password at all")
            .await;
        wrong_times.push(started.elapsed());
        // Stay clear of the account lock, which is not what this measures.
        diesel::sql_query("UPDATE staff SET failed_logins = 0, locked_until = NULL")
            .execute(&mut app.db())
            .unwrap();
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (unknown, wrong) = (median(&mut unknown_times), median(&mut wrong_times));
    assert!(
        wrong > Duration::from_millis(5),
        "a password hash takes time: {wrong:?}"
    );
    assert!(
        unknown * 2 > wrong && wrong * 2 > unknown,
        "unknown email {unknown:?}, wrong password {wrong:?}"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    app.add_staff("ada@shop.example", Role::Owner, Some(STAFF_PASSWORD));
    for _ in 0..5 {
        let wrong = app.try_login("ada@shop.example", "guess guess guess").await;
        assert_problem(wrong, 401, "invalid-credentials").await;
    }
    // Locked: the right password is refused, in the same words as a wrong one.
    let locked = app.try_login("ada@shop.example", STAFF_PASSWORD).await;
    let problem = assert_problem(locked, 401, "invalid-credentials").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("locked for a while")
    );
    let (failures, locked_for): (i32, f64) = diesel::select((
        diesel::dsl::sql::<diesel::sql_types::Integer>("(SELECT failed_logins FROM staff)"),
        diesel::dsl::sql::<diesel::sql_types::Double>(
            "(SELECT extract(epoch FROM locked_until - now())::float8 FROM staff)",
        ),
    ))
    .get_result(&mut app.db())
    .unwrap();
    assert_eq!(failures, 6);
    assert!((800.0..=900.0).contains(&locked_for), "{locked_for}");

    // Once the lock has passed, the right password works and the count starts again.
    diesel::sql_query("UPDATE staff SET locked_until = now() - interval '1 second'")
        .execute(&mut app.db())
        .unwrap();
    app.login("ada@shop.example", STAFF_PASSWORD).await;
    let failures: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
        "(SELECT failed_logins FROM staff)",
    ))
    .get_result(&mut app.db())
    .unwrap();
    assert_eq!(failures, 0);
}

#[tokio::test]
async fn a_client_that_keeps_failing_is_throttled_whatever_the_account() {
    let app = spawn_app_with(&[("ADMIN_LOGIN_CLIENT_LIMIT", "3")]).await;
    app.add_staff("ada@shop.example", Role::Owner, Some(STAFF_PASSWORD));
    for n in 0..3 {
        let wrong = app
            .try_login(&format!("guess{n}@shop.example"), "guess guess guess")
            .await;
        assert_problem(wrong, 401, "invalid-credentials").await;
    }
    let throttled = app.try_login("ada@shop.example", STAFF_PASSWORD).await;
    assert_eq!(throttled.headers()["retry-after"], "900");
    assert_problem(throttled, 429, "too-many-login-attempts").await;
    // The account itself was never tried wrongly, so it is not locked.
    let failures: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
        "(SELECT failed_logins FROM staff)",
    ))
    .get_result(&mut app.db())
    .unwrap();
    assert_eq!(failures, 0);
}

#[tokio::test]
async fn deactivated_staff_cannot_log_in_and_lose_their_sessions() {
    let app = spawn_app().await;
    let owner = app.staff_of(Role::Owner).await;
    app.add_staff("leaver@shop.example", Role::Manager, Some(STAFF_PASSWORD));
    let leaver = app.login("leaver@shop.example", STAFF_PASSWORD).await;
    let id = leaver.body["id"].as_str().unwrap();
    let response = app
        .as_staff(
            &owner,
            reqwest::Method::PATCH,
            &format!("/admin/staff/{id}"),
        )
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let after = app
        .as_staff(&leaver, reqwest::Method::GET, "/admin/session")
        .send()
        .await
        .unwrap();
    assert_problem(after, 401, "unauthorized").await;
    assert_problem(
        app.try_login("leaver@shop.example", STAFF_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;

    // The last active owner cannot be demoted or deactivated.
    let owner_id = owner.body["id"].as_str().unwrap();
    for change in [
        serde_json::json!({"role": "manager"}),
        serde_json::json!({"active": false}),
    ] {
        let refused = app
            .as_staff(
                &owner,
                reqwest::Method::PATCH,
                &format!("/admin/staff/{owner_id}"),
            )
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_problem(refused, 409, "conflict").await;
    }
}
