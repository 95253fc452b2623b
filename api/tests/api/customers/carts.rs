use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Cart, Shopper, TestApp, assert_problem, cart_now, cart_with, ensure_delivery, fresh_address,
    pay_session, product_body, spawn_mailing_app, tee,
};

/// The account's cart, the guest cart (if any) joined into it.
pub async fn account_cart(app: &TestApp, shopper: &Shopper, guest: Option<&Cart>) -> (Cart, Value) {
    let body = match guest {
        Some(cart) => json!({"guest_cart": {"id": cart.id, "secret": cart.secret}}),
        None => json!({}),
    };
    let response = app
        .as_shopper(shopper, Method::POST, "/customers/me/cart")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let cart = Cart {
        id: answer["cart"]["id"].as_str().unwrap().to_owned(),
        secret: answer["cart_secret"].as_str().unwrap().to_owned(),
    };
    (cart, answer["cart"].clone())
}

async fn add(app: &TestApp, cart: &Cart, variant: &str, quantity: i64) -> u16 {
    app.request(Method::POST, &format!("/carts/{}/items", cart.id))
        .header("Cart-Secret", &cart.secret)
        .json(&json!({"variant_id": variant, "quantity": quantity}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn quantities(cart: &Value) -> Vec<(String, i64)> {
    cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["sku"].as_str().unwrap().to_owned(),
                l["quantity"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn notices(cart: &Value) -> Vec<&str> {
    cart["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_guest_cart_joins_the_account_cart_under_the_rules_of_adding_items() {
    let app = spawn_mailing_app(&[("CART_MAX_LINE_QUANTITY", "5")]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let tee = tee(&app, 50).await;
    let hat = app
        .create_product(product_body("hat", "Hat", "EUR", &[("HAT-1", 1500, 1)]))
        .await["variants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cap = app
        .create_product(product_body("cap", "Cap", "EUR", &[("CAP-1", 900, 9)]))
        .await["variants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (account, _) = account_cart(&app, &shopper, None).await;
    assert_eq!(add(&app, &account, &tee, 4).await, 200);

    let guest = cart_with(&app, &[(&tee, 3), (&hat, 1), (&cap, 2)]).await;
    // Meanwhile the hat sold out to someone else, and the cap was withdrawn.
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("/admin/variants/{hat}/stock"),
            &json!({"delta": -1}),
        )
        .await;
    assert_eq!(status, 200);
    let withdrawn = app
        .admin(Method::DELETE, &format!("/admin/variants/{cap}"))
        .send()
        .await
        .unwrap();
    assert!(withdrawn.status().is_success());

    let (merged, view) = account_cart(&app, &shopper, Some(&guest)).await;
    assert_eq!(merged.id, account.id);
    assert_eq!(
        merged.secret, account.secret,
        "the account's cart keeps its secret"
    );
    assert_eq!(quantities(&view), [("TEE-M".to_owned(), 5)]);
    assert_eq!(notices(&view), ["quantity_capped", "item_unavailable"]);
    assert_eq!(view["lines"][0]["unit_price"]["amount"], 2500);
    let gone = app
        .request(Method::GET, &format!("/carts/{}", guest.id))
        .header("Cart-Secret", &guest.secret)
        .send()
        .await
        .unwrap();
    assert_problem(gone, 404, "not-found").await;
}

#[tokio::test]
async fn without_an_account_cart_the_guest_cart_becomes_it_on_every_device() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let tee = tee(&app, 9).await;
    let guest = cart_with(&app, &[(&tee, 2)]).await;
    let (adopted, view) = account_cart(&app, &shopper, Some(&guest)).await;
    assert_eq!(adopted.id, guest.id);
    assert_ne!(
        adopted.secret, guest.secret,
        "re-keyed: the guest's secret no longer opens it"
    );
    assert_eq!(quantities(&view), [("TEE-M".to_owned(), 2)]);
    let old = app
        .request(Method::GET, &format!("/carts/{}", guest.id))
        .header("Cart-Secret", &guest.secret)
        .send()
        .await
        .unwrap();
    assert_problem(old, 404, "not-found").await;

    // Another device of the shopper opens the same cart.
    let other_device = app
        .shopper_of(
            &shopper.email,
            app.sign_in(&shopper.email, crate::helpers::CUSTOMER_PASSWORD)
                .await,
        )
        .await;
    let (same, _) = account_cart(&app, &other_device, None).await;
    assert_eq!(
        (same.id.as_str(), same.secret.as_str()),
        (adopted.id.as_str(), adopted.secret.as_str())
    );
    assert_eq!(cart_now(&app, &same).await["item_count"], 2);

    // Another account cannot take it over by naming it.
    let eve = app.confirmed_shopper(&fresh_address(), 0).await;
    let (eves, view) = account_cart(&app, &eve, Some(&adopted)).await;
    assert_ne!(eves.id, adopted.id);
    assert!(quantities(&view).is_empty());
    assert_eq!(cart_now(&app, &adopted).await["item_count"], 2);

    let forged = app
        .request(Method::POST, "/customers/me/cart")
        .header("cookie", &shopper.cookie)
        .header("origin", &app.address)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(forged, 403, "csrf-token").await;
}

#[tokio::test]
async fn an_account_cart_is_bought_with_the_accounts_address_and_the_order_is_the_accounts() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let tee = tee(&app, 9).await;
    let (cart, _) = account_cart(&app, &shopper, None).await;
    assert_eq!(add(&app, &cart, &tee, 1).await, 200);
    ensure_delivery(&app, &cart).await;
    let checkout = |body: Value| {
        app.request(Method::POST, "/checkout/sessions")
            .header("Cart-Secret", &cart.secret)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&body)
            .send()
    };
    let other = checkout(json!({"cart_id": cart.id, "email": "someone.else@example.com"}))
        .await
        .unwrap();
    assert_eq!(
        assert_problem(other, 422, "validation").await["field"],
        "email"
    );
    let session = checkout(json!({"cart_id": cart.id})).await.unwrap();
    assert_eq!(session.status(), 201);
    let session: Value = session.json().await.unwrap();
    pay_session(&app, &session).await;

    let orders = app
        .as_shopper(&shopper, Method::GET, "/customers/me/orders")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(orders["items"][0]["id"], session["order_id"]);
    assert_eq!(orders["items"][0]["email"], shopper.email.as_str());

    // A guest's cart still needs an address.
    let guest = cart_with(&app, &[(&tee, 1)]).await;
    ensure_delivery(&app, &guest).await;
    let missing = app
        .request(Method::POST, "/checkout/sessions")
        .header("Cart-Secret", &guest.secret)
        .header("Idempotency-Key", "guest")
        .json(&json!({"cart_id": guest.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(missing, 422, "validation").await["field"],
        "email"
    );

    // Once paid, the account gets a new cart.
    let (next, view) = account_cart(&app, &shopper, None).await;
    assert_ne!(next.id, cart.id);
    assert!(quantities(&view).is_empty());
}

#[tokio::test]
async fn a_new_password_retires_every_copy_of_the_account_carts_secret() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    let tee = tee(&app, 9).await;
    let (cart, _) = account_cart(&app, &shopper, None).await;
    assert_eq!(add(&app, &cart, &tee, 1).await, 200);

    let changed = app
        .as_shopper(&shopper, Method::POST, "/customers/me/password")
        .json(&json!({"current_password": crate::helpers::CUSTOMER_PASSWORD, "new_password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    let renewed = app.shopper_of(&shopper.email, changed).await;
    assert_eq!(
        add(&app, &cart, &tee, 1).await,
        404,
        "a copy kept from before is dead"
    );
    let (same, view) = account_cart(&app, &renewed, None).await;
    assert_eq!(same.id, cart.id);
    assert_ne!(same.secret, cart.secret);
    assert_eq!(view["item_count"], 1);
}

#[tokio::test]
async fn devices_asking_for_the_account_cart_at_once_get_the_same_one() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = app.confirmed_shopper(&fresh_address(), 0).await;
    // Polled together: every request is sent before any answer is awaited.
    let (a, b, c, d) = tokio::join!(
        account_cart(&app, &shopper, None),
        account_cart(&app, &shopper, None),
        account_cart(&app, &shopper, None),
        account_cart(&app, &shopper, None),
    );
    for (cart, _) in [&b, &c, &d] {
        assert_eq!(
            (cart.id.as_str(), cart.secret.as_str()),
            (a.0.id.as_str(), a.0.secret.as_str())
        );
    }
}
