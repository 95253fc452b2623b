//! Orders found from any device: a link mailed on request, signed and expiring, which lists the
//! address's orders and opens each of them without the order's secret.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    LOOKUP_SECRET, TestApp, fresh_address, inbox, order, paid_order_as, spawn_mailing_app, tee,
    wait_for_mail,
};

async fn ask_for_link(app: &TestApp, email: &str) -> (u16, Value) {
    let response = app
        .request(Method::POST, "/orders/lookup")
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn with_token(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let response = app
        .request(Method::GET, path)
        .header("Lookup-Token", token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The token of the link in the mail.
fn token_in(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    let start = text
        .find("https://shop.example/orders/find#token=")
        .expect(text)
        + 39;
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_mailed_link_lists_the_addresses_orders_and_opens_each() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    let variant = tee(&app, 9).await;
    // The shopper typed their address in capitals at one checkout.
    let first = paid_order_as(&app, &variant, 1, &shopper.to_uppercase()).await;
    let second = paid_order_as(&app, &variant, 2, &shopper).await;
    let stranger = paid_order_as(&app, &variant, 1, &fresh_address()).await;
    wait_for_mail(&shopper, 2).await;

    let (status, accepted) = ask_for_link(&app, &shopper).await;
    assert_eq!(status, 202, "{accepted}");
    let mail = wait_for_mail(&shopper, 3).await;
    let link = &mail[2];
    assert_eq!(link["subject"], "Test Shop: Your orders");
    assert!(link["text"].as_str().unwrap().contains("30 minutes"));
    let token = token_in(link);

    let (status, found) = with_token(&app, "/orders/lookup", &token).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["email"], shopper.as_str());
    let ids: Vec<&str> = found["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            second["order_id"].as_str().unwrap(),
            first["order_id"].as_str().unwrap()
        ],
        "newest first, whatever the case of the address"
    );

    // Each order opens with the token alone, as on a device that never saw its secret.
    let path = format!("/orders/{}", first["order_id"].as_str().unwrap());
    let (status, opened) = with_token(&app, &path, &token).await;
    assert_eq!(status, 200, "{opened}");
    assert_eq!(opened, order(&app, &first).await);
    let path = format!("/orders/{}", stranger["order_id"].as_str().unwrap());
    let (status, _) = with_token(&app, &path, &token).await;
    assert_eq!(status, 404, "another address's order");
}

#[tokio::test]
async fn asking_tells_nothing_and_mails_one_link_a_minute() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    let nobody = fresh_address();
    let variant = tee(&app, 9).await;
    paid_order_as(&app, &variant, 1, &shopper).await;
    wait_for_mail(&shopper, 1).await;

    let known = ask_for_link(&app, &shopper).await;
    let unknown = ask_for_link(&app, &nobody).await;
    assert_eq!(known, unknown, "the same answer either way");
    assert_eq!(known.0, 202);
    let again = ask_for_link(&app, &shopper.to_uppercase()).await;
    assert_eq!(again, known);

    wait_for_mail(&shopper, 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(inbox(&shopper).await.len(), 2, "one receipt, one link");
    assert!(inbox(&nobody).await.is_empty());

    let (status, problem) = ask_for_link(&app, "not an address").await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "email");
}

#[tokio::test]
async fn forged_altered_and_expired_links_answer_as_unknown_ones() {
    use shop_api::domain::lookup::sign;
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    let variant = tee(&app, 9).await;
    let session = paid_order_as(&app, &variant, 1, &shopper).await;
    let path = format!("/orders/{}", session["order_id"].as_str().unwrap());
    let now = chrono::Utc::now().timestamp();

    let genuine = sign(LOOKUP_SECRET.as_bytes(), &shopper, now + 60);
    assert_eq!(with_token(&app, &path, &genuine).await.0, 200);

    let expired = sign(LOOKUP_SECRET.as_bytes(), &shopper, now - 1);
    let forged = sign(
        b"a secret the server does not have, 32+ bytes",
        &shopper,
        now + 60,
    );
    let mut altered = genuine.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == '0' { '1' } else { '0' });
    let unknown = with_token(&app, "/orders/lookup", "00.0.00").await;
    assert_eq!(unknown.0, 404);
    for token in [&expired, &forged, &altered] {
        assert_eq!(
            with_token(&app, &path, token).await,
            unknown_order(&app, &path).await
        );
        assert_eq!(with_token(&app, "/orders/lookup", token).await, unknown);
    }
    let bare = app
        .request(Method::GET, "/orders/lookup")
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 404);
}

/// What the order answers to a caller with no credential at all.
async fn unknown_order(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.request(Method::GET, path).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}
