//! The binary's own commands: start-up failures, migrate, seed, openapi.

use std::process::Command;

use diesel::prelude::*;

use crate::helpers::{database_url, spawn_app};

fn shop_api() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shop-api"));
    // Port 0: several of these may serve at once, and the metrics' own port must not collide.
    command
        .env_clear()
        .env("RUST_LOG", "off")
        .env("METRICS_PORT", "0");
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

    let output = shop_api()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
        .env("IMAGE_ORIGINS", "https://images.example.com/products")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "shop-api: configuration error: IMAGE_ORIGINS: \"https://images.example.com/products\" is not \
         an origin of the form https://host[:port]: a lower-case host name, an optional port from \
         1 to 65535, no path\n"
    );

    // Demo payments never meet a live key: the server does not start.
    let output = shop_api()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
        .env("DEMO_PAYMENTS", "true")
        .env("STRIPE_SECRET_KEY", "sk_live_0123456789")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "shop-api: configuration error: DEMO_PAYMENTS is on with a live Stripe key"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let output = shop_api().arg("frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[tokio::test]
async fn seed_is_idempotent_and_serves_the_demo_catalog() {
    let app = spawn_app().await;
    let url = database_url(&app.db_name);
    for expected in [
        "seeded 4 categories, 12 products, 43 variants, 2 shipping zones, 6 countries' tax rates",
        "seeded 0 categories, 0 products, 0 variants, 0 shipping zones, 0 countries' tax rates",
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

/// The first owner: made on the command line, with a password from standard input or a
/// one-time one printed for the first login.
#[tokio::test]
async fn staff_create_makes_the_first_owner() {
    use std::io::Write;
    use std::process::Stdio;
    let app = spawn_app().await;
    let url = database_url(&app.db_name);
    let mut child = shop_api()
        .env("DATABASE_URL", &url)
        .args([
            "staff",
            "create",
            "--email",
            "Owner@Shop.Example",
            "--role",
            "owner",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("created owner owner@shop.example ("),
        "{stdout}"
    );
    assert!(!stdout.contains("one-time"), "{stdout}");
    let owner = app
        .login("owner@shop.example", "correct horse battery staple")
        .await;
    assert_eq!(owner.body["role"], "owner");
    assert_eq!(owner.body["must_change_password"], false);

    let output = shop_api()
        .env("DATABASE_URL", &url)
        .args([
            "staff",
            "create",
            "--email",
            "pat@shop.example",
            "--role",
            "fulfilment",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let one_time = stdout
        .lines()
        .find_map(|line| line.strip_prefix("one-time password: "))
        .unwrap();
    let pat = app.login("pat@shop.example", one_time).await;
    assert_eq!(pat.body["must_change_password"], true);

    for (args, stdin, error) in [
        (
            vec!["--email", "x@shop.example", "--role", "boss"],
            "",
            "--role must be owner, manager, fulfilment or viewer",
        ),
        (
            vec![
                "--email",
                "x@shop.example",
                "--role",
                "owner",
                "--password-stdin",
            ],
            "password1234\n",
            "password: is one of the passwords tried first",
        ),
        (
            vec!["--email", "owner@shop.example", "--role", "owner"],
            "",
            "a staff member with this email already exists",
        ),
    ] {
        let mut child = shop_api()
            .env("DATABASE_URL", &url)
            .args(["staff", "create"])
            .args(&args)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(error), "{stderr}");
    }
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

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_refuses_new_ones() {
    let app = spawn_app().await;
    let product = app
        .create_product(crate::helpers::product_body(
            "tee",
            "Tee",
            "EUR",
            &[("TEE-1", 2500, 5)],
        ))
        .await;
    let variant = product["variants"][0]["id"].as_str().unwrap().to_owned();
    let slow = crate::helpers::slow_stripe(std::time::Duration::from_secs(2));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = shop_api()
        .env("DATABASE_URL", database_url(&app.db_name))
        .env("PORT", port.to_string())
        .env("WORKERS", "1")
        .env("STRIPE_SECRET_KEY", "sk_test_x")
        .env("STRIPE_API_BASE", &slow)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    while client
        .get(format!("{base}/health/ready"))
        .send()
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let cart: serde_json::Value = client
        .post(format!("{base}/carts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = cart["secret"].as_str().unwrap().to_owned();
    let cart_id = cart["id"].as_str().unwrap().to_owned();
    let added = client
        .post(format!("{base}/carts/{cart_id}/items"))
        .header("Cart-Secret", &secret)
        .json(&serde_json::json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);
    let cart = crate::helpers::Cart {
        id: cart_id.clone(),
        secret: secret.clone(),
    };
    crate::helpers::ensure_delivery(&app, &cart).await;

    // A checkout that waits two seconds on Stripe is in flight when the server is told to stop.
    let in_flight = tokio::spawn(
        client
            .post(format!("{base}/checkout/sessions"))
            .header("Cart-Secret", &secret)
            .header("Idempotency-Key", "k")
            .json(&serde_json::json!({"cart_id": cart_id, "email": "ada@example.com"}))
            .send(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let refused = reqwest::Client::new()
        .get(format!("{base}/health/live"))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a new connection was accepted after SIGTERM"
    );
    let finished = in_flight.await.unwrap().unwrap();
    assert_eq!(finished.status(), 201, "the request in flight completed");
    let exit = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}

/// Compose's `--scale api=3` (and a rolling upgrade) starts several processes on one database at
/// once: the migrations run once, whichever process gets there first, and every process starts.
#[test]
fn processes_migrating_one_database_at_once_all_succeed() {
    use diesel::connection::SimpleConnection;
    let name = format!("shop_race_{}", uuid::Uuid::new_v4().simple());
    let mut admin = crate::helpers::postgres::maintenance();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap();
    let url = database_url(&name);
    let children: Vec<_> = (0..4)
        .map(|_| {
            shop_api()
                .env("DATABASE_URL", &url)
                .arg("migrate")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outcomes: Vec<_> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .unwrap();
    for output in &outcomes {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let applied: usize = outcomes
        .iter()
        .map(|output| {
            let stdout = String::from_utf8_lossy(&output.stdout);
            stdout
                .trim()
                .strip_prefix("applied ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("unexpected output: {stdout}"))
        })
        .sum();
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(applied, migrations, "each migration applied exactly once");
}
