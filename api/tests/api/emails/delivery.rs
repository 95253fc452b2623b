//! Getting email out: through an SMTP outage, past the last attempt, from two processes at once,
//! and across a process killed mid-send.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;
use reqwest::Method;
use serde_json::json;

use super::{order_emails, settled_emails};
use crate::helpers::{
    create_test_database, database_url, drop_test_database, fresh_address, inbox, mail_rule,
    mail_sink_smtp, paid_order_as, spawn_mailing_app, tee, wait_for_mail,
};

#[tokio::test]
async fn an_smtp_outage_delays_mail_but_loses_none() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    mail_rule(&shopper, "defer", 0.0, Some(3)).await;
    let variant = tee(&app, 5).await;
    let session = paid_order_as(&app, &variant, 1, &shopper).await;
    let order_id = session["order_id"].as_str().unwrap();

    // While the server refuses, the email waits with its error.
    let started = Instant::now();
    let waiting = loop {
        let emails = order_emails(&app, order_id).await;
        if emails[0]["attempts"].as_i64().unwrap() >= 1 {
            break emails;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{emails:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(waiting[0]["status"], "pending", "{waiting:?}");
    assert!(
        waiting[0]["last_error"].as_str().unwrap().contains("451"),
        "{waiting:?}"
    );
    assert!(waiting[0]["next_attempt_at"].is_string());

    // Three refusals and back-offs of 1, 2 and 4 seconds later, it is sent, once.
    let emails = settled_emails(&app, order_id, 1).await;
    assert_eq!(emails[0]["status"], "sent", "{emails:?}");
    assert_eq!(emails[0]["attempts"], 4);
    assert_eq!(emails[0]["last_error"], json!(null));
    assert_eq!(inbox(&shopper).await.len(), 1);
}

#[tokio::test]
async fn an_email_whose_attempts_ran_out_is_failed_and_can_be_resent() {
    let app = spawn_mailing_app(&[("EMAIL_MAX_ATTEMPTS", "2")]).await;
    let shopper = fresh_address();
    mail_rule(&shopper, "defer", 0.0, Some(3)).await;
    let variant = tee(&app, 5).await;
    let session = paid_order_as(&app, &variant, 1, &shopper).await;
    let order_id = session["order_id"].as_str().unwrap();
    let emails = settled_emails(&app, order_id, 1).await;
    assert_eq!(emails[0]["status"], "failed", "{emails:?}");
    assert_eq!(emails[0]["attempts"], 2);
    assert!(emails[0]["last_error"].as_str().unwrap().contains("451"));
    assert!(inbox(&shopper).await.is_empty());

    // The resend meets the rule's last refusal, so it is still waiting when asked for again.
    let path = format!(
        "/admin/orders/{order_id}/emails/{}/resend",
        emails[0]["id"].as_str().unwrap()
    );
    let (status, resent) = app.admin_json(Method::POST, &path, &json!(null)).await;
    assert_eq!(status, 202, "{resent}");
    assert_eq!(resent["resent_from"], emails[0]["id"]);
    assert_ne!(resent["message_id"], emails[0]["message_id"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, again) = app.admin_json(Method::POST, &path, &json!(null)).await;
    assert_eq!(status, 202);
    assert_eq!(again["id"], resent["id"], "one resend at a time");

    let mail = wait_for_mail(&shopper, 1).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["message_id"], resent["message_id"]);
    let emails = settled_emails(&app, order_id, 2).await;
    assert_eq!(emails[1]["status"], "sent", "{emails:?}");

    let unknown = format!(
        "/admin/orders/{order_id}/emails/{}/resend",
        uuid::Uuid::new_v4()
    );
    assert_eq!(
        app.admin_json(Method::POST, &unknown, &json!(null)).await.0,
        404
    );
}

/// The API's binary serving `database` with email through the sink; answers once it is ready.
async fn api_process(database: &str) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_shop-api"))
        .env_clear()
        .env("RUST_LOG", "off")
        .env("DATABASE_URL", database_url(database))
        .env("PORT", port.to_string())
        .env("METRICS_PORT", "0")
        .env("WORKERS", "1")
        .env("SMTP_URL", mail_sink_smtp())
        .env("MAIL_FROM", "Test Shop <orders@shop.example>")
        .env("ORDER_LOOKUP_SECRET", crate::helpers::LOOKUP_SECRET)
        .env("EMAIL_POLL_INTERVAL_MS", "50")
        .env("EMAIL_RETRY_BASE_SECS", "1")
        .arg("serve")
        .spawn()
        .unwrap();
    let ready = format!("http://127.0.0.1:{port}/api/v1/health/ready");
    let started = Instant::now();
    while reqwest::get(&ready)
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the API did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

/// An email due now, written as a change's transaction would write it.
fn queue_email(database: &str, recipient: &str) {
    let mut conn = PgConnection::establish(&database_url(database)).unwrap();
    diesel::sql_query(
        "INSERT INTO emails (kind, recipient, payload) VALUES ('order_lookup', $1, \
         '{\"kind\": \"order_lookup\", \"url\": \"https://shop.example/orders/find\", \"valid_minutes\": 30}')",
    )
    .bind::<Text, _>(recipient)
    .execute(&mut conn)
    .unwrap();
}

fn statuses(database: &str) -> Vec<(String, i32)> {
    use shop_api::db::schema::emails;
    let mut conn = PgConnection::establish(&database_url(database)).unwrap();
    emails::table
        .select((emails::status, emails::attempts))
        .load(&mut conn)
        .unwrap()
}

async fn wait_until_all_sent(database: &str) {
    let started = Instant::now();
    loop {
        let rows = statuses(database);
        if rows.iter().all(|(status, _)| status == "sent") {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A database migrated by the binary, as a fresh deployment's would be, and dropped at the end.
struct Database(String);

impl Database {
    fn migrated() -> Database {
        let name = create_test_database();
        let status = Command::new(env!("CARGO_BIN_EXE_shop-api"))
            .env_clear()
            .env("RUST_LOG", "off")
            .env("DATABASE_URL", database_url(&name))
            .arg("migrate")
            .status()
            .unwrap();
        assert!(status.success());
        Database(name)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        drop_test_database(&self.0);
    }
}

fn kill(mut child: Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap();
}

#[tokio::test]
async fn two_processes_never_send_one_email_twice() {
    let database = Database::migrated();
    let shoppers: Vec<String> = (0..30).map(|_| fresh_address()).collect();
    for shopper in &shoppers {
        // Each message keeps its sender busy a while, so both processes are sending at once.
        mail_rule(shopper, "stall", 0.1, Some(1)).await;
        queue_email(&database.0, shopper);
    }
    let first = api_process(&database.0).await;
    let second = api_process(&database.0).await;
    wait_until_all_sent(&database.0).await;
    kill(first, "-TERM");
    kill(second, "-TERM");
    for shopper in &shoppers {
        let mail = inbox(shopper).await;
        assert_eq!(mail.len(), 1, "{shopper}: {mail:?}");
    }
    assert!(
        statuses(&database.0)
            .iter()
            .all(|(_, attempts)| *attempts == 1)
    );
}

#[tokio::test]
async fn a_process_killed_mid_send_loses_no_email_and_sends_it_again_once() {
    let database = Database::migrated();
    let shopper = fresh_address();
    // The server has the message but has not answered when the process dies.
    mail_rule(&shopper, "stall", 5.0, Some(1)).await;
    queue_email(&database.0, &shopper);
    let doomed = api_process(&database.0).await;
    wait_for_mail(&shopper, 1).await;
    kill(doomed, "-KILL");
    assert_eq!(statuses(&database.0), [("pending".to_owned(), 0)]);

    let survivor = api_process(&database.0).await;
    wait_until_all_sent(&database.0).await;
    kill(survivor, "-TERM");
    let mail = inbox(&shopper).await;
    assert_eq!(
        mail.len(),
        2,
        "the one duplicate the crash allows: {mail:?}"
    );
    assert_eq!(mail[0]["message_id"], mail[1]["message_id"]);
}
