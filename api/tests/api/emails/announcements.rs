//! What each change of an order tells its shopper, and that it is told once.

use reqwest::Method;
use serde_json::json;

use super::{order_emails, settled_emails};
use crate::fulfillment::{cancel, parcel, ship};
use crate::helpers::{
    fresh_address, order, paid_order, paid_order_as, refund, spawn_app, spawn_mailing_app, tee,
    wait_for_mail,
};

#[tokio::test]
async fn the_receipt_arrives_with_the_lines_the_address_and_the_total() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    let variant = tee(&app, 5).await;
    let session = paid_order_as(&app, &variant, 2, &shopper).await;
    let order_id = session["order_id"].as_str().unwrap();
    let placed = order(&app, &session).await;

    let mail = wait_for_mail(&shopper, 1).await;
    let receipt = &mail[0];
    let reference = order_id.replace('-', "")[..8].to_ascii_uppercase();
    assert_eq!(
        receipt["subject"],
        format!("Test Shop: Your order {reference} is confirmed")
    );
    assert_eq!(receipt["from"], "Test Shop <orders@shop.example>");
    let text = receipt["text"].as_str().unwrap();
    let html = receipt["html"].as_str().unwrap();
    let total = format!("{} EUR", placed["total"]["decimal"].as_str().unwrap());
    let address = &placed["shipping_address"];
    for body in [text, html] {
        assert!(body.contains("Tee (TEE-M title)"), "{body}");
        assert!(body.contains(&total), "the total {total}: {body}");
        assert!(body.contains(address["name"].as_str().unwrap()), "{body}");
        assert!(body.contains(address["city"].as_str().unwrap()), "{body}");
        assert!(body.contains("https://shop.example/orders/find"), "{body}");
    }
    assert!(text.contains("Tee (TEE-M title) x 2: 50.00 EUR"), "{text}");

    // The admin sees it sent, under the Message-ID the sink received.
    let emails = settled_emails(&app, order_id, 1).await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(emails[0]["kind"], "order_paid");
    assert_eq!(emails[0]["status"], "sent");
    assert_eq!(emails[0]["attempts"], 1);
    assert_eq!(emails[0]["recipient"], shopper.as_str());
    assert_eq!(emails[0]["message_id"], receipt["message_id"]);
    let expected = format!(
        "<{}@shop.example>",
        emails[0]["id"].as_str().unwrap().replace('-', "")
    );
    assert_eq!(receipt["message_id"], expected);
}

#[tokio::test]
async fn shipping_refunds_and_cancellations_are_announced() {
    let app = spawn_mailing_app(&[]).await;
    let shopper = fresh_address();
    let variant = tee(&app, 9).await;
    let session = paid_order_as(&app, &variant, 2, &shopper).await;
    let order_id = session["order_id"].as_str().unwrap();
    let line = order(&app, &session).await["lines"][0]["id"].clone();
    wait_for_mail(&shopper, 1).await;

    assert_eq!(ship(&app, order_id, "s1", &parcel(&line, 2)).await.0, 201);
    let mail = wait_for_mail(&shopper, 2).await;
    let shipped = &mail[1];
    assert!(
        shipped["subject"]
            .as_str()
            .unwrap()
            .ends_with("has shipped"),
        "{shipped}"
    );
    let text = shipped["text"].as_str().unwrap();
    assert!(
        text.contains("La Poste") && text.contains("6A12345678901"),
        "{text}"
    );
    assert!(
        shipped["html"].as_str().unwrap().contains(
            "href=\"https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901\""
        ),
        "{shipped}"
    );

    assert_eq!(
        refund(&app, order_id, "r1", json!({"amount": 700})).await.0,
        201
    );
    let mail = wait_for_mail(&shopper, 3).await;
    assert!(
        mail[2]["text"]
            .as_str()
            .unwrap()
            .contains("We have refunded 7.00 EUR"),
        "{}",
        mail[2]
    );

    // A cancelled paid order: the cancellation, then the refund Stripe accepted.
    let other = fresh_address();
    let second = paid_order_as(&app, &variant, 1, &other).await;
    let (status, cancelled) = cancel(&app, second["order_id"].as_str().unwrap(), "c").await;
    assert_eq!(status, 200, "{cancelled}");
    let mail = wait_for_mail(&other, 3).await;
    let subjects: Vec<&str> = mail
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert!(subjects[1].ends_with("is cancelled"), "{subjects:?}");
    assert!(
        subjects[2].contains("a refund for your order")
            || subjects[2].contains("A refund for your order"),
        "{subjects:?}"
    );
    let total = cancelled["total"]["decimal"].as_str().unwrap();
    assert!(
        mail[1]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{total} EUR goes back")),
        "{}",
        mail[1]
    );

    // Each change was announced once.
    let kinds: Vec<String> = order_emails(&app, order_id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["order_paid", "order_shipped", "order_refunded"]);
}

#[tokio::test]
async fn without_smtp_email_is_off_and_each_message_is_recorded_as_skipped() {
    let app = spawn_app().await;
    let config = app.get_json("/config").await;
    assert_eq!(config["emails_enabled"], false);
    let variant = tee(&app, 5).await;
    let session = paid_order(&app, &variant, 1).await;
    let emails = settled_emails(&app, session["order_id"].as_str().unwrap(), 1).await;
    assert_eq!(emails[0]["kind"], "order_paid");
    assert_eq!(emails[0]["status"], "skipped");
    assert_eq!(emails[0]["attempts"], 0);

    let mailing = spawn_mailing_app(&[]).await;
    assert_eq!(mailing.get_json("/config").await["emails_enabled"], true);
    let (status, _) = app
        .admin_json(
            Method::GET,
            &format!("/admin/orders/{}/emails", uuid::Uuid::new_v4()),
            &json!(null),
        )
        .await;
    assert_eq!(status, 404);
}
