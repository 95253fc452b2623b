//! Guest carts: their life, their secret, what they refuse, and If-Match.

use diesel::prelude::*;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, product_body, spawn_app, spawn_app_with};

pub(crate) struct Shopper<'a> {
    app: &'a TestApp,
    pub(crate) id: String,
    secret: String,
}

impl Shopper<'_> {
    pub(crate) fn call(&self, method: Method, suffix: &str) -> RequestBuilder {
        self.app
            .request(method, &format!("/carts/{}{suffix}", self.id))
            .header("Cart-Secret", &self.secret)
    }

    pub(crate) async fn ok(&self, request: RequestBuilder) -> Value {
        let response = request.send().await.unwrap();
        let status = response.status();
        let etag = response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(etag, Some(format!("\"{}\"", body["version"])));
        body
    }

    pub(crate) async fn get(&self) -> Value {
        self.ok(self.call(Method::GET, "")).await
    }

    pub(crate) async fn add(&self, variant_id: &str, quantity: i64) -> Value {
        self.ok(self
            .call(Method::POST, "/items")
            .json(&json!({"variant_id": variant_id, "quantity": quantity})))
            .await
    }

    pub(crate) async fn add_response(
        &self,
        variant_id: &str,
        quantity: Value,
    ) -> reqwest::Response {
        self.call(Method::POST, "/items")
            .json(&json!({"variant_id": variant_id, "quantity": quantity}))
            .send()
            .await
            .unwrap()
    }
}

pub(crate) async fn new_cart(app: &TestApp) -> Shopper<'_> {
    let response = app.request(Method::POST, "/carts").send().await.unwrap();
    assert_eq!(response.status(), 201);
    let location = response
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/carts/{id}"));
    Shopper {
        app,
        id,
        secret: body["secret"].as_str().unwrap().to_owned(),
    }
}

/// Two products: a tee (two variants, EUR 25.00 and 27.50) and a mug (EUR 12.00).
pub(crate) async fn catalog(app: &TestApp) -> (String, String, String) {
    let tee = app
        .create_product(product_body(
            "tee",
            "Tee",
            "EUR",
            &[("TEE-M", 2500, 10), ("TEE-L", 2750, 30)],
        ))
        .await;
    let mug = app
        .create_product(product_body("mug", "Mug", "EUR", &[("MUG-1", 1200, 5)]))
        .await;
    let id = |p: &Value, i: usize| p["variants"][i]["id"].as_str().unwrap().to_owned();
    (id(&tee, 0), id(&tee, 1), id(&mug, 0))
}

pub(crate) fn line<'a>(cart: &'a Value, sku: &str) -> &'a Value {
    cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == sku)
        .unwrap_or_else(|| panic!("no line {sku} in {cart}"))
}

#[tokio::test]
async fn full_cart_lifecycle_with_server_computed_totals() {
    let app = spawn_app().await;
    let (tee_m, tee_l, mug) = catalog(&app).await;

    let response = app.request(Method::POST, "/carts").send().await.unwrap();
    assert_eq!(response.headers().get("etag").unwrap(), "\"1\"");
    let created: Value = response.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(created["status"], "open");
    assert_eq!(created["version"], 1);
    assert_eq!(created["lines"], json!([]));
    assert_eq!(
        created["subtotal"],
        json!({"amount": 0, "currency": "EUR", "decimal": "0.00"})
    );

    let cart = new_cart(&app).await;
    cart.add(&tee_m, 2).await;
    let body = cart.add(&mug, 1).await;
    assert_eq!(body["item_count"], 3);
    assert_eq!(body["subtotal"]["amount"], 2 * 2500 + 1200);
    assert_eq!(body["subtotal"]["decimal"], "62.00");
    let tee_line = line(&body, "TEE-M");
    assert_eq!(tee_line["product_name"], "Tee");
    assert_eq!(tee_line["product_slug"], "tee");
    assert_eq!(tee_line["variant_title"], "TEE-M title");
    assert_eq!(tee_line["image"]["url"], "/images/products/tee.svg");
    assert_eq!(tee_line["unit_price"]["amount"], 2500);
    assert_eq!(tee_line["line_total"]["amount"], 5000);
    assert_eq!(tee_line["available"], 10);
    assert_eq!(tee_line["availability"], "in_stock");
    assert_eq!(tee_line["price_changed"], false);

    // The same variant again merges into its line.
    let body = cart.add(&tee_m, 3).await;
    assert_eq!(body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(line(&body, "TEE-M")["quantity"], 5);
    assert_eq!(body["version"], 4);

    let body = cart.add(&tee_l, 1).await;
    let large_line = line(&body, "TEE-L")["id"].as_str().unwrap().to_owned();
    let body = cart
        .ok(cart
            .call(Method::PATCH, &format!("/items/{large_line}"))
            .json(&json!({"quantity": 4})))
        .await;
    assert_eq!(line(&body, "TEE-L")["quantity"], 4);
    assert_eq!(body["subtotal"]["amount"], 5 * 2500 + 1200 + 4 * 2750);
    assert_eq!(body["item_count"], 10);

    let body = cart
        .ok(cart
            .call(Method::PATCH, &format!("/items/{large_line}"))
            .json(&json!({"quantity": 0})))
        .await;
    assert_eq!(body["lines"].as_array().unwrap().len(), 2);

    let mug_line = line(&body, "MUG-1")["id"].as_str().unwrap().to_owned();
    let body = cart
        .ok(cart.call(Method::DELETE, &format!("/items/{mug_line}")))
        .await;
    assert_eq!(body["lines"].as_array().unwrap().len(), 1);
    assert_eq!(body["subtotal"]["amount"], 12500);

    let body = cart.ok(cart.call(Method::DELETE, "/items")).await;
    assert_eq!(body["lines"], json!([]));
    assert_eq!(body["item_count"], 0);
    assert_eq!(body["subtotal"]["amount"], 0);
    assert_eq!(body["version"], 9);

    let read = cart.get().await;
    assert_eq!(read["version"], 9);
    let missing_line = Uuid::new_v4();
    let response = cart
        .call(Method::DELETE, &format!("/items/{missing_line}"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not-found").await;
    let response = cart
        .call(Method::PATCH, &format!("/items/{missing_line}"))
        .json(&json!({"quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not-found").await;
}

#[tokio::test]
async fn the_secret_is_required_and_a_wrong_one_looks_like_no_cart() {
    let app = spawn_app().await;
    let (tee_m, _, _) = catalog(&app).await;
    let cart = new_cart(&app).await;
    cart.add(&tee_m, 1).await;

    let nonexistent = app
        .request(Method::GET, &format!("/carts/{}", Uuid::new_v4()))
        .header("Cart-Secret", &cart.secret)
        .send()
        .await
        .unwrap();
    let reference = assert_problem(nonexistent, 404, "not-found").await;

    let mut off_by_one = cart.secret.clone();
    let last = off_by_one.pop().unwrap();
    off_by_one.push(if last == '0' { '1' } else { '0' });
    let impostors = [
        Some(off_by_one.as_str()),
        Some(""),
        Some(&cart.secret[..63]),
        Some("' OR '1'='1"),
        None,
    ];
    for secret in impostors {
        for (method, suffix, body) in [
            (Method::GET, "".to_owned(), Value::Null),
            (
                Method::POST,
                "/items".to_owned(),
                json!({"variant_id": tee_m, "quantity": 1}),
            ),
            (Method::DELETE, "/items".to_owned(), Value::Null),
        ] {
            let mut request = app
                .request(method, &format!("/carts/{}{suffix}", cart.id))
                .json(&body);
            if let Some(secret) = secret {
                request = request.header("Cart-Secret", secret);
            }
            let problem = assert_problem(request.send().await.unwrap(), 404, "not-found").await;
            assert_eq!(
                problem, reference,
                "a wrong secret must look like a missing cart"
            );
        }
    }
    let body = cart.get().await;
    assert_eq!(body["item_count"], 1);
    assert_eq!(body["version"], 2);

    // The secret is stored only as a digest.
    let stored: Vec<u8> = {
        use shop_api::db::schema::carts::dsl as c;
        c::carts
            .select(c::secret_hash)
            .first(&mut app.db())
            .unwrap()
    };
    assert_ne!(stored, cart.secret.as_bytes());
    assert_eq!(stored.len(), 32);
}

#[tokio::test]
async fn invalid_items_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (tee_m, _, mug) = catalog(&app).await;
    let dollar = app
        .create_product(product_body("cap", "Cap", "USD", &[("CAP-1", 1500, 10)]))
        .await;
    let dollar_variant = dollar["variants"][0]["id"].as_str().unwrap().to_owned();
    let retired = app
        .create_product(product_body("old", "Old", "EUR", &[("OLD-1", 1500, 10)]))
        .await;
    let retired_variant = retired["variants"][0]["id"].as_str().unwrap().to_owned();
    app.admin(
        Method::DELETE,
        &format!("/admin/variants/{retired_variant}"),
    )
    .send()
    .await
    .unwrap();

    let cart = new_cart(&app).await;
    let unknown = Uuid::new_v4().to_string();
    for (variant, quantity) in [
        (unknown.as_str(), json!(1)),
        (retired_variant.as_str(), json!(1)),
        (dollar_variant.as_str(), json!(1)),
        (tee_m.as_str(), json!(0)),
        (tee_m.as_str(), json!(-1)),
        (tee_m.as_str(), json!(100)),
        (tee_m.as_str(), json!(1.5)),
        (tee_m.as_str(), json!("2")),
        (tee_m.as_str(), json!(1e20)),
    ] {
        let response = cart.add_response(variant, quantity.clone()).await;
        let problem = assert_problem(response, 422, "validation").await;
        if variant == dollar_variant {
            assert!(
                problem["detail"].as_str().unwrap().contains("USD"),
                "{problem}"
            );
        }
    }
    let response = cart
        .call(Method::POST, "/items")
        .json(&json!({"variant_id": tee_m, "quantity": 1, "price": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 422, "validation").await;

    // More than the stock on hand: 409 naming the variant and what is available.
    let response = cart.add_response(&mug, json!(6)).await;
    let problem = assert_problem(response, 409, "insufficient-stock").await;
    assert_eq!(
        problem["shortages"],
        json!([{"variant_id": mug, "sku": "MUG-1", "requested": 6, "available": 5}])
    );
    assert!(problem["detail"].as_str().unwrap().contains("MUG-1"));
    // Merging counts the units already in the cart.
    cart.add(&mug, 4).await;
    let response = cart.add_response(&mug, json!(2)).await;
    let problem = assert_problem(response, 409, "insufficient-stock").await;
    assert_eq!(problem["shortages"][0]["requested"], 6);

    // The per-line maximum applies to the merged quantity too.
    let big = app
        .create_product(product_body("bulk", "Bulk", "EUR", &[("BULK-1", 10, 1000)]))
        .await;
    let bulk = big["variants"][0]["id"].as_str().unwrap().to_owned();
    cart.add(&bulk, 98).await;
    let response = cart.add_response(&bulk, json!(2)).await;
    assert_problem(response, 422, "validation").await;

    let body = cart.get().await;
    assert_eq!(body["item_count"], 4 + 98);
    assert_eq!(body["version"], 3);
}

#[tokio::test]
async fn the_line_maximum_is_configurable() {
    let app = spawn_app_with(&[("CART_MAX_LINE_QUANTITY", "3")]).await;
    let (tee_m, _, _) = catalog(&app).await;
    let cart = new_cart(&app).await;
    cart.add(&tee_m, 3).await;
    assert_problem(cart.add_response(&tee_m, json!(1)).await, 422, "validation").await;
}

#[tokio::test]
async fn a_cart_in_checkout_is_locked() {
    let app = spawn_app().await;
    let (tee_m, _, _) = catalog(&app).await;
    let cart = new_cart(&app).await;
    let body = cart.add(&tee_m, 1).await;
    let line_id = body["lines"][0]["id"].as_str().unwrap().to_owned();
    {
        use shop_api::db::schema::carts::dsl as c;
        diesel::update(c::carts)
            .set(c::status.eq("locked"))
            .execute(&mut app.db())
            .unwrap();
    }
    for request in [
        cart.call(Method::POST, "/items")
            .json(&json!({"variant_id": tee_m, "quantity": 1})),
        cart.call(Method::PATCH, &format!("/items/{line_id}"))
            .json(&json!({"quantity": 2})),
        cart.call(Method::DELETE, &format!("/items/{line_id}")),
        cart.call(Method::DELETE, "/items"),
    ] {
        assert_problem(request.send().await.unwrap(), 409, "locked").await;
    }
    let body = cart.get().await;
    assert_eq!(body["status"], "locked");
    assert_eq!(body["item_count"], 1);
}

#[tokio::test]
async fn if_match_guards_writes() {
    let app = spawn_app().await;
    let (tee_m, _, mug) = catalog(&app).await;
    let cart = new_cart(&app).await;
    let body = cart.add(&tee_m, 1).await;
    assert_eq!(body["version"], 2);

    let stale = cart
        .call(Method::POST, "/items")
        .header("If-Match", "\"1\"")
        .json(&json!({"variant_id": mug, "quantity": 1}));
    let problem = assert_problem(stale.send().await.unwrap(), 412, "precondition-failed").await;
    assert!(problem["detail"].as_str().unwrap().contains('2'));
    let garbage = cart
        .call(Method::DELETE, "/items")
        .header("If-Match", "\"banana\"");
    assert_problem(garbage.send().await.unwrap(), 412, "precondition-failed").await;
    assert_eq!(cart.get().await["item_count"], 1);

    let body = cart
        .ok(cart
            .call(Method::POST, "/items")
            .header("If-Match", "\"2\"")
            .json(&json!({"variant_id": mug, "quantity": 1})))
        .await;
    assert_eq!(body["version"], 3);
    let body = cart
        .ok(cart.call(Method::DELETE, "/items").header("If-Match", "*"))
        .await;
    assert_eq!(body["version"], 4);
}
