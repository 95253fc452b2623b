use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    CUSTOMER_PASSWORD, Shopper, TestApp, assert_problem, fresh_address, spawn_mailing_app,
    wait_for_mail,
};

async fn patch_me(app: &TestApp, shopper: &Shopper, body: Value) -> reqwest::Response {
    app.as_shopper(shopper, Method::PATCH, "/customers/me")
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_name_and_every_change_of_marketing_consent_are_kept() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    assert_eq!(
        shopper.body["customer"]["marketing_consent"]["granted"],
        false
    );
    let changed = patch_me(
        &app,
        &shopper,
        json!({"name": "  Ada Lovelace ", "marketing_consent": true}),
    )
    .await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["name"], "Ada Lovelace");
    assert_eq!(changed["marketing_consent"]["granted"], true);
    assert!(changed["marketing_consent"]["changed_at"].is_string());
    // The same answer again records nothing new; a withdrawal does.
    patch_me(&app, &shopper, json!({"marketing_consent": true})).await;
    let withdrawn: Value = patch_me(
        &app,
        &shopper,
        json!({"marketing_consent": false, "name": null}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(withdrawn["name"], Value::Null);
    assert_eq!(withdrawn["marketing_consent"]["granted"], false);
    let history: Vec<bool> = diesel::dsl::sql::<diesel::sql_types::Bool>(
        "SELECT granted FROM customer_consents ORDER BY id",
    )
    .load(&mut app.db())
    .unwrap();
    assert_eq!(history, [true, false]);

    let refused = assert_problem(
        patch_me(&app, &shopper, json!({"name": ""})).await,
        422,
        "validation",
    )
    .await;
    assert_eq!(refused["field"], "name");
    let refused = patch_me(&app, &shopper, json!({"marketing_consent": null})).await;
    assert_problem(refused, 422, "validation").await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_other_session() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let other_device = app
        .shopper_of(
            &shopper.email,
            app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        )
        .await;
    let change = |current: &str, new: &str| {
        app.as_shopper(&shopper, Method::POST, "/customers/me/password")
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = change("not the password at all", "a brand new passphrase")
        .await
        .unwrap();
    assert_eq!(
        assert_problem(wrong, 422, "validation").await["field"],
        "current_password"
    );
    let weak = change(CUSTOMER_PASSWORD, "short").await.unwrap();
    assert_eq!(
        assert_problem(weak, 422, "validation").await["field"],
        "new_password"
    );

    let changed = change(CUSTOMER_PASSWORD, "a brand new passphrase")
        .await
        .unwrap();
    let renewed = app.shopper_of(&shopper.email, changed).await;
    assert_ne!(renewed.cookie, shopper.cookie);
    for ended in [&shopper, &other_device] {
        let me = app
            .as_shopper(ended, Method::GET, "/customers/me")
            .send()
            .await
            .unwrap();
        assert_problem(me, 401, "sign-in-required").await;
    }
    let me = app
        .as_shopper(&renewed, Method::GET, "/customers/me")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let mail = wait_for_mail(&shopper.email, 2).await;
    assert_eq!(mail[1]["subject"], "Test Shop: Your password was changed");
    assert_eq!(
        app.sign_in(&shopper.email, "a brand new passphrase")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_wrong_current_password_counts_as_a_failed_sign_in() {
    let app = spawn_mailing_app(&[("CUSTOMER_LOCK_AFTER_FAILURES", "2")]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let change = |current: &'static str| {
        app.as_shopper(&shopper, Method::POST, "/customers/me/password")
            .json(&json!({"current_password": current, "new_password": "a brand new passphrase"}))
            .send()
    };
    for _ in 0..2 {
        let wrong = change("not the password at all").await.unwrap();
        assert_eq!(
            assert_problem(wrong, 422, "validation").await["field"],
            "current_password"
        );
    }
    // Locked now: even the right one is refused, and sign-in too.
    let locked = change(CUSTOMER_PASSWORD).await.unwrap();
    assert_eq!(
        assert_problem(locked, 422, "validation").await["field"],
        "current_password"
    );
    assert_problem(
        app.sign_in(&shopper.email, CUSTOMER_PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
}
