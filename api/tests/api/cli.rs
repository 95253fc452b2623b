//! The binary's own commands: start-up failures, migrate, seed, openapi.

use std::process::Command;

use diesel::prelude::*;

use crate::helpers::{database_url, spawn_app};

fn shop_api() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shop-api"));
    command.env_clear().env("RUST_LOG", "off");
    command
}

#[test]
fn a_missing_or_malformed_setting_stops_start_up_with_one_line() {
    let output = shop_api().output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "shop-api: configuration error: DATABASE_URL is required\n"
    );

    let output = shop_api()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
        .env("PORT", "http")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("PORT"), "{stderr}");

    let output = shop_api().arg("frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[tokio::test]
async fn seed_is_idempotent_and_serves_the_demo_catalog() {
    let app = spawn_app().await;
    let url = database_url(&app.db_name);
    for expected in [
        "seeded 4 categories, 12 products, 43 variants",
        "seeded 0 categories, 0 products, 0 variants",
    ] {
        let output = shop_api()
            .env("DATABASE_URL", &url)
            .arg("seed")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).starts_with(expected));
    }
    // Re-seeding does not reset stock that changed since.
    {
        use shop_api::db::schema::variants::dsl as v;
        diesel::update(v::variants.filter(v::sku.eq("MUG-1")))
            .set(v::stock_on_hand.eq(3))
            .execute(&mut app.db())
            .unwrap();
    }
    let output = shop_api()
        .env("DATABASE_URL", &url)
        .arg("seed")
        .output()
        .unwrap();
    assert!(output.status.success());
    let mug = app.get_json("/products/ceramic-mug").await;
    assert_eq!(mug["variants"][0]["available"], 3);
    let shirts = app.get_json("/products?q=shirt").await;
    assert_eq!(shirts["total"], 3);
}

#[test]
fn migrate_and_openapi_commands() {
    let output = shop_api().arg("openapi").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        shop_api::openapi::document_json()
    );

    let output = shop_api()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("shop-api: cannot connect to the database"),
        "{stderr}"
    );
}

#[tokio::test]
async fn healthcheck_reports_the_running_server() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let status = tokio::task::spawn_blocking(move || {
        shop_api().env("PORT", port).arg("healthcheck").status()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(status.success());
    let nothing_there = shop_api()
        .env("PORT", "9")
        .arg("healthcheck")
        .output()
        .unwrap();
    assert!(!nothing_there.status.success());
    assert!(String::from_utf8_lossy(&nothing_there.stderr).contains("connect"));
}
