use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, product_body, spawn_app};

fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["slug"].as_str().expect("slug").to_owned())
        .collect()
}

fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values
}

#[tokio::test]
async fn pages_cover_the_catalog_once_and_respect_their_bounds() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;

    let first = app.get_json("/products?limit=5").await;
    assert_eq!(first["total"], 12);
    assert_eq!(first["total_pages"], 3);
    assert_eq!(first["page"], 1);
    assert_eq!(first["limit"], 5);

    let mut seen = HashSet::new();
    for page in 1..=3 {
        let body = app
            .get_json(&format!("/products?limit=5&page={page}"))
            .await;
        // The last page, not full, reports the total too.
        assert_eq!(body["total"], 12, "page {page}");
        let expected = if page == 3 { 2 } else { 5 };
        assert_eq!(
            body["items"].as_array().unwrap().len(),
            expected,
            "page {page}"
        );
        for slug in slugs(&body) {
            assert!(seen.insert(slug.clone()), "{slug} on two pages");
        }
    }
    assert_eq!(seen.len(), 12);

    let beyond = app.get_json("/products?limit=5&page=4").await;
    assert_eq!(beyond["items"], json!([]));
    assert_eq!(beyond["total"], 12);

    let all = app.get_json("/products?limit=100").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 12);
    let default = app.get_json("/products").await;
    assert_eq!(default["limit"], 24);

    for bad in [
        "limit=101",
        "limit=0",
        "limit=-1",
        "page=0",
        "page=10001",
        "limit=ten",
    ] {
        let response = app.get(&format!("/products?{bad}")).await;
        assert_problem(response, 400, "invalid-request").await;
    }
}

#[tokio::test]
async fn search_matches_words_of_names_and_descriptions_the_last_one_unfinished() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;
    let found = |query: &'static str| {
        let app = &app;
        async move { sorted(slugs(&app.get_json(&format!("/products?q={query}")).await)) }
    };

    let shirts = ["classic-tee", "flannel-shirt", "oxford-shirt"].map(String::from);
    assert_eq!(found("shirt").await, shirts);
    assert_eq!(found("SHIRT").await, shirts);
    assert_eq!(found("%20shirt%20").await, shirts);
    // The last word may be unfinished; the others are whole words, all of them required.
    assert_eq!(found("shir").await, shirts);
    assert_eq!(
        found("cotton%20sh").await,
        ["classic-tee", "flannel-shirt"].map(String::from)
    );
    assert_eq!(found("cott%20shirt").await, Vec::<String>::new());
    // A word, not a substring: "irt" is in "shirt" but is no word of it.
    assert_eq!(found("irt").await, Vec::<String>::new());
    // Only in descriptions; and a hyphenated word as the products' text has it.
    assert_eq!(
        found("cotton").await,
        ["classic-tee", "flannel-shirt"].map(String::from)
    );
    assert_eq!(found("t-shirt").await, ["classic-tee"].map(String::from));
    // Neither LIKE's wildcards nor the text-search syntax mean anything in a search.
    for literal in ["%25", "_", "%5C", "%3A*", "!", "%26%7C"] {
        let body = app.get_json(&format!("/products?q={literal}")).await;
        assert_eq!(body["total"], 0, "q={literal}");
    }
    assert_eq!(found("shirt%20%26%20!(").await, shirts);
    let injection = app
        .get_json("/products?q=%27%3B%20DROP%20TABLE%20products%3B%20--")
        .await;
    assert_eq!(injection["total"], 0);
    assert_eq!(app.get_json("/products").await["total"], 12);

    let too_long = "x".repeat(201);
    let response = app.get(&format!("/products?q={too_long}")).await;
    assert_problem(response, 400, "invalid-request").await;
}

#[tokio::test]
async fn sorting_by_price_name_and_newest() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;

    let amounts = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["price_from"]["amount"].as_i64().unwrap())
            .collect()
    };
    let ascending = amounts(&app.get_json("/products?sort=price_asc&limit=100").await);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    assert_eq!(ascending[0], 1500);
    let descending = amounts(&app.get_json("/products?sort=price_desc&limit=100").await);
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );
    assert_eq!(descending[0], 13900);

    let by_name: Vec<String> = app.get_json("/products?sort=name&limit=100").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(by_name.first().map(String::as_str), Some("Canvas Tote"));
    assert_eq!(by_name.last().map(String::as_str), Some("Zip Hoodie"));

    app.create_product(product_body("newer", "Newer", "EUR", &[("NEW-1", 100, 1)]))
        .await;
    app.create_product(product_body(
        "newest",
        "Newest",
        "EUR",
        &[("NEW-2", 100, 1)],
    ))
    .await;
    let newest = slugs(&app.get_json("/products?sort=newest&limit=2").await);
    assert_eq!(newest, ["newest", "newer"]);

    let response = app.get("/products?sort=cheapest").await;
    let problem = assert_problem(response, 400, "invalid-request").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("price_asc"),
        "{problem}"
    );
}

#[tokio::test]
async fn category_filter_and_category_list() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;

    let outerwear = app.get_json("/products?category=outerwear").await;
    assert_eq!(
        sorted(slugs(&outerwear)),
        ["denim-jacket", "rain-jacket"].map(String::from)
    );
    assert!(
        outerwear["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["category"]["slug"] == "outerwear")
    );
    assert_eq!(
        app.get_json("/products?category=nothing-here").await["total"],
        0
    );

    let categories = app.get_json("/categories").await;
    let names: Vec<&str> = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Accessories", "Home", "Outerwear", "Tops"]);
}

#[tokio::test]
async fn product_detail_by_slug_or_id_with_availability() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;

    let tee = app.get_json("/products/classic-tee").await;
    assert_eq!(tee["name"], "Classic T-Shirt");
    assert_eq!(tee["category"]["slug"], "tops");
    assert_eq!(tee["images"][0]["alt"], "White cotton T-shirt laid flat");
    let variants = tee["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 6);
    assert_eq!(variants[0]["sku"], "TEE-WHI-S");
    assert_eq!(variants[0]["available"], 20);
    assert_eq!(variants[0]["in_stock"], true);
    assert_eq!(
        variants[0]["price"],
        json!({"amount": 2500, "currency": "EUR", "decimal": "25.00"})
    );

    let id = tee["id"].as_str().unwrap();
    let by_id = app.get_json(&format!("/products/{id}")).await;
    assert_eq!(by_id["slug"], "classic-tee");

    let socks = app.get_json("/products/running-socks").await;
    assert_eq!(socks["in_stock"], false);
    assert!(
        socks["variants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["available"] == 0 && v["in_stock"] == false)
    );

    let response = app.get("/products/no-such-thing").await;
    let problem = assert_problem(response, 404, "not-found").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("no-such-thing")
    );
    let response = app
        .get("/products/00000000-0000-0000-0000-000000000000")
        .await;
    assert_problem(response, 404, "not-found").await;
    let response = app.get(&format!("/products/{}", "a".repeat(5000))).await;
    assert_problem(response, 404, "not-found").await;
}

#[tokio::test]
async fn inactive_products_and_variants_are_hidden_from_shoppers() {
    let app = spawn_app().await;
    let product = app
        .create_product(product_body(
            "hidden-hat",
            "Hidden Hat",
            "EUR",
            &[("HAT-1", 900, 3), ("HAT-2", 1900, 3)],
        ))
        .await;
    let id = product["id"].as_str().unwrap();
    assert_eq!(app.get_json("/products").await["total"], 1);

    // A deactivated variant disappears from the detail and from the "from" price.
    let cheap = product["variants"][0]["id"].as_str().unwrap();
    let response = app
        .admin(Method::DELETE, &format!("/admin/variants/{cheap}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let detail = app.get_json("/products/hidden-hat").await;
    assert_eq!(detail["variants"].as_array().unwrap().len(), 1);
    assert_eq!(detail["price_from"]["amount"], 1900);

    // Without any active variant, the product is not for sale.
    let other = product["variants"][1]["id"].as_str().unwrap();
    app.admin(Method::DELETE, &format!("/admin/variants/{other}"))
        .send()
        .await
        .unwrap();
    assert_eq!(app.get_json("/products").await["total"], 0);
    assert_problem(app.get("/products/hidden-hat").await, 404, "not-found").await;

    // Reactivate the variant, deactivate the product.
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{other}"),
            &json!({"active": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.get_json("/products").await["total"], 1);
    let response = app
        .admin(Method::DELETE, &format!("/admin/products/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_json("/products").await["total"], 0);
    assert_problem(app.get("/products/hidden-hat").await, 404, "not-found").await;
    assert_problem(app.get(&format!("/products/{id}")).await, 404, "not-found").await;
}

#[tokio::test]
async fn money_is_rendered_with_each_currency_exponent() {
    let app = spawn_app().await;
    // Stripe takes three-decimal amounts only when they end in 0.
    for (slug, amount, currency, decimal) in [
        ("euro-item", 1999, "EUR", "19.99"),
        ("yen-item", 1999, "JPY", "1999"),
        ("dinar-item", 1990, "KWD", "1.990"),
    ] {
        app.create_product(product_body(
            slug,
            slug,
            currency,
            &[(&slug.to_uppercase(), amount, 1)],
        ))
        .await;
        let detail = app.get_json(&format!("/products/{slug}")).await;
        let expected = json!({"amount": amount, "currency": currency, "decimal": decimal});
        assert_eq!(detail["price_from"], expected, "{slug}");
        assert_eq!(detail["variants"][0]["price"], expected, "{slug}");
    }
    let zero = app
        .create_product(product_body(
            "free-item",
            "Free",
            "KWD",
            &[("FREE-1", 0, 1)],
        ))
        .await;
    assert_eq!(zero["variants"][0]["price"]["decimal"], "0.000");
}

#[tokio::test]
async fn hostile_text_never_reaches_the_database() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;
    for query in [
        "q=a%00b",
        "q=%07",
        "category=%00",
        "category=Tops",
        "category=a%20b",
    ] {
        let response = app.get(&format!("/products?{query}")).await;
        assert_problem(response, 400, "invalid-request").await;
    }
    for slug in ["a%00b", "%E2%80%AE", "Classic-Tee", "a'b"] {
        let response = app.get(&format!("/products/{slug}")).await;
        assert_problem(response, 404, "not-found").await;
    }
    assert_eq!(app.get_json("/products?category=tops").await["total"], 5);
}

#[tokio::test]
async fn catalog_reads_are_revalidated_by_etag_and_follow_every_price_change() {
    let app = spawn_app().await;
    app.seed_demo_catalog().await;
    let path = "/products?sort=price_asc&limit=3";
    let first = app.get(path).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "public, no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let page: Value = first.json().await.unwrap();

    let unchanged = app
        .request(Method::GET, path)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["etag"], etag.as_str());
    assert!(unchanged.bytes().await.unwrap().is_empty());

    // The most expensive product becomes the cheapest: the listing's "from" price follows its
    // variants, and the old ETag no longer matches.
    let priciest = app.get_json("/products?sort=price_desc&limit=1").await["items"][0].clone();
    let detail = app
        .get_json(&format!("/products/{}", priciest["slug"].as_str().unwrap()))
        .await;
    let variant_id = detail["variants"][0]["id"].as_str().unwrap();
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/admin/variants/{variant_id}"),
            &json!({"price": {"amount": 1, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(status, 200);
    let changed = app
        .request(Method::GET, path)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"], etag.as_str());
    let now: Value = changed.json().await.unwrap();
    assert_eq!(now["items"][0]["slug"], priciest["slug"]);
    assert_eq!(now["items"][0]["price_from"]["amount"], 1);
    assert_ne!(now["items"], page["items"]);

    // Deactivating its only variants hides a product from listings and counts.
    for variant in detail["variants"].as_array().unwrap() {
        let (status, _) = app
            .admin_json(
                Method::PATCH,
                &format!("/admin/variants/{}", variant["id"].as_str().unwrap()),
                &json!({"active": false}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let hidden = app.get_json(path).await;
    assert_eq!(hidden["total"], 11);
    assert_ne!(hidden["items"][0]["slug"], priciest["slug"]);
}
