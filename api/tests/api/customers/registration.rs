use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{
    CUSTOMER_PASSWORD, assert_problem, fresh_address, inbox, link_token, spawn_app,
    spawn_mailing_app, wait_for_mail,
};

/// Long enough for the outbox (polled every 50 ms) to have sent anything it was going to.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(600)).await;
}

#[tokio::test]
async fn signing_up_answers_alike_whether_or_not_the_address_has_an_account() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    let first = app.sign_up(&email, CUSTOMER_PASSWORD).await;
    assert_eq!(first.status(), 202);
    assert_eq!(first.headers()["cache-control"], "no-store");
    let first: Value = first.json().await.unwrap();
    let mail = wait_for_mail(&email, 1).await;
    assert_eq!(mail[0]["subject"], "Test Shop: Confirm your email address");
    assert!(mail[0]["text"].as_str().unwrap().contains("24 hours"));
    let token = link_token(&mail[0], "verify");
    let confirmed = app.confirm(&token, CUSTOMER_PASSWORD).await;
    let shopper = app.shopper_of(&email, confirmed).await;
    assert_eq!(shopper.body["signed_in"], true);
    assert_eq!(shopper.body["customer"]["email"], email.as_str());

    // Signing up again, even with another password, answers exactly the same ...
    let again = app
        .sign_up(&email.to_uppercase(), "another fine passphrase")
        .await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    // ... and mails the owner a note, changing nothing.
    let mail = wait_for_mail(&email, 2).await;
    assert_eq!(mail[1]["subject"], "Test Shop: You already have an account");
    assert!(
        mail[1]["text"]
            .as_str()
            .unwrap()
            .contains("https://shop.example/account/forgot-password")
    );
    assert_problem(
        app.sign_in(&email, "another fine passphrase").await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(app.sign_in(&email, CUSTOMER_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn weak_passwords_and_bad_addresses_are_refused_by_field() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    let name = email.split('@').next().unwrap().to_owned();
    for (address, password, field) in [
        (email.as_str(), "too short", "password"),
        (email.as_str(), "123456123456", "password"),
        (email.as_str(), &format!("my {name} pass"), "password"),
        ("not an address", CUSTOMER_PASSWORD, "email"),
    ] {
        let refused = assert_problem(app.sign_up(address, password).await, 422, "validation").await;
        assert_eq!(refused["field"], field, "{password}: {refused}");
    }
    settle().await;
    assert!(inbox(&email).await.is_empty());
}

#[tokio::test]
async fn an_address_gets_one_account_email_a_minute() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    for _ in 0..3 {
        assert_eq!(app.sign_up(&email, CUSTOMER_PASSWORD).await.status(), 202);
    }
    let resent = app
        .post_from_shop("/auth/verification")
        .json(&serde_json::json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 202);
    wait_for_mail(&email, 1).await;
    settle().await;
    assert_eq!(inbox(&email).await.len(), 1);

    // A minute later, a new link replaces the first.
    diesel::sql_query("UPDATE emails SET created_at = created_at - interval '61 seconds'")
        .execute(&mut app.db())
        .unwrap();
    let resent = app
        .post_from_shop("/auth/verification")
        .json(&serde_json::json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 202);
    let mail = wait_for_mail(&email, 2).await;
    let (old, new) = (
        link_token(&mail[0], "verify"),
        link_token(&mail[1], "verify"),
    );
    assert_problem(
        app.confirm(&old, CUSTOMER_PASSWORD).await,
        422,
        "link-invalid",
    )
    .await;
    assert_eq!(app.confirm(&new, CUSTOMER_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn nobody_signs_in_before_confirming_and_only_the_newest_sign_ups_password_confirms() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    // Someone else signs the address up first, with a password of their own.
    assert_eq!(
        app.sign_up(&email, "squatter chose this one")
            .await
            .status(),
        202
    );
    let link = link_token(&wait_for_mail(&email, 1).await[0], "verify");
    let refused = assert_problem(
        app.sign_in(&email, "squatter chose this one").await,
        403,
        "email-not-verified",
    )
    .await;
    assert!(refused["detail"].as_str().unwrap().contains("confirm"));
    // A wrong password says nothing about the account's state.
    assert_problem(
        app.sign_in(&email, "not the password at all").await,
        401,
        "invalid-credentials",
    )
    .await;

    // The owner signs up: their password replaces the squatter's, who cannot confirm.
    assert_eq!(app.sign_up(&email, CUSTOMER_PASSWORD).await.status(), 202);
    assert_problem(
        app.confirm(&link, "squatter chose this one").await,
        401,
        "invalid-credentials",
    )
    .await;
    let confirmed = app.confirm(&link, CUSTOMER_PASSWORD).await;
    assert_eq!(confirmed.status(), 200);
    assert_problem(
        app.sign_in(&email, "squatter chose this one").await,
        401,
        "invalid-credentials",
    )
    .await;
}

#[tokio::test]
async fn a_confirmation_link_works_once_for_its_purpose_until_it_expires() {
    let app = spawn_mailing_app(&[]).await;
    let email = fresh_address();
    assert_eq!(app.sign_up(&email, CUSTOMER_PASSWORD).await.status(), 202);
    let token = link_token(&wait_for_mail(&email, 1).await[0], "verify");

    // Not a reset link, and not once altered.
    let as_reset = app
        .post_from_shop("/auth/password-reset/confirm")
        .json(&serde_json::json!({"token": token, "new_password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(as_reset, 422, "link-invalid").await["field"],
        "token"
    );
    let last = if token.ends_with('0') { '1' } else { '0' };
    let altered = format!("{}{last}", &token[..token.len() - 1]);
    assert_problem(
        app.confirm(&altered, CUSTOMER_PASSWORD).await,
        422,
        "link-invalid",
    )
    .await;

    // Past its expiry in the database, the genuine link is refused too.
    diesel::sql_query("UPDATE customer_tokens SET expires_at = now() - interval '1 second'")
        .execute(&mut app.db())
        .unwrap();
    assert_problem(
        app.confirm(&token, CUSTOMER_PASSWORD).await,
        422,
        "link-invalid",
    )
    .await;
    diesel::sql_query("UPDATE customer_tokens SET expires_at = now() + interval '1 hour'")
        .execute(&mut app.db())
        .unwrap();
    assert_eq!(app.confirm(&token, CUSTOMER_PASSWORD).await.status(), 200);
    assert_problem(
        app.confirm(&token, CUSTOMER_PASSWORD).await,
        422,
        "link-invalid",
    )
    .await;
}

#[tokio::test]
async fn without_email_the_shop_has_no_accounts() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/config").await["accounts_enabled"], false);
    assert_problem(
        app.sign_up(&fresh_address(), CUSTOMER_PASSWORD).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(app.get("/auth/session").await, 404, "not-found").await;
    assert_problem(
        app.request(Method::GET, "/customers/me")
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
    let mailing = spawn_mailing_app(&[]).await;
    assert_eq!(mailing.get_json("/config").await["accounts_enabled"], true);
}
