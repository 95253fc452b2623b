//! Shipping zones: made, listed, read, changed and deleted; refused with the input at fault; and
//! a country in another zone refused with that zone named.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

use super::{create_zone, refused, zone_names};

#[tokio::test]
async fn zones_are_created_listed_read_changed_and_deleted() {
    let app = spawn_app().await;
    let europe = create_zone(&app, " Europe ", &["FR", "DE", "BE"]).await;
    assert_eq!(europe["name"], "Europe");
    assert_eq!(europe["countries"], json!(["BE", "DE", "FR"]));
    assert_eq!(europe["rates"], json!([]));
    let america = create_zone(&app, "North America", &["US", "CA"]).await;
    let europe_path = format!("/admin/shipping-zones/{}", europe["id"].as_str().unwrap());

    assert_eq!(zone_names(&app).await, ["Europe", "North America"]);
    let (status, read) = app
        .admin_json(Method::GET, &europe_path, &Value::Null)
        .await;
    assert_eq!((status, &read), (200, &europe));

    let (status, changed) = app
        .admin_json(
            Method::PATCH,
            &europe_path,
            &json!({"name": "EU", "countries": ["NL", "FR", "DE"]}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["name"], "EU");
    assert_eq!(changed["countries"], json!(["DE", "FR", "NL"]));
    // Belgium left the zone, so another zone may have it.
    create_zone(&app, "Benelux", &["BE"]).await;
    let (status, renamed) = app
        .admin_json(Method::PATCH, &europe_path, &json!({"name": "Europe"}))
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["countries"], json!(["DE", "FR", "NL"]));

    let response = app
        .admin(Method::DELETE, &europe_path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    refused(
        &app,
        Method::GET,
        &europe_path,
        &Value::Null,
        404,
        "not-found",
    )
    .await;
    refused(
        &app,
        Method::DELETE,
        &europe_path,
        &Value::Null,
        404,
        "not-found",
    )
    .await;
    assert_eq!(zone_names(&app).await, ["Benelux", "North America"]);
    // Its countries are free again.
    create_zone(&app, "France", &["FR"]).await;
    let america_path = format!("/admin/shipping-zones/{}", america["id"].as_str().unwrap());
    let (_, america_now) = app
        .admin_json(Method::GET, &america_path, &Value::Null)
        .await;
    assert_eq!(america_now["countries"], json!(["CA", "US"]));
}

#[tokio::test]
async fn zones_refuse_bad_names_and_country_lists_naming_the_field() {
    let app = spawn_app().await;
    let zone = create_zone(&app, "Europe", &["FR"]).await;
    let zone_path = format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap());
    let cases = [
        (json!({"name": "Nowhere", "countries": []}), "countries"),
        (json!({"name": "Nowhere"}), "countries"),
        (json!({"name": "Kosovo", "countries": ["XK"]}), "countries"),
        (json!({"name": "Lower", "countries": ["de"]}), "countries"),
        (
            json!({"name": "Alpha-3", "countries": ["DEU"]}),
            "countries",
        ),
        (
            json!({"name": "Twice", "countries": ["DE", "AT", "DE"]}),
            "countries",
        ),
        (json!({"name": "  ", "countries": ["DE"]}), "name"),
        (json!({"name": "a\u{7}b", "countries": ["DE"]}), "name"),
        (
            json!({"name": "x".repeat(201), "countries": ["DE"]}),
            "name",
        ),
        (json!({"countries": ["DE"]}), "name"),
        (
            json!({"name": "Extra", "countries": ["DE"], "rates": []}),
            "rates",
        ),
    ];
    for (body, field) in &cases {
        let problem = refused(
            &app,
            Method::POST,
            "/admin/shipping-zones",
            body,
            422,
            "validation",
        )
        .await;
        assert_eq!(problem["field"], *field, "{body}: {problem}");
        // A patch is held to the same rules, except that it may leave a field out.
        if body.get("name").is_some() && body.get("countries").is_some() {
            let problem = refused(&app, Method::PATCH, &zone_path, body, 422, "validation").await;
            assert_eq!(problem["field"], *field, "{body}: {problem}");
        }
    }
    let problem = refused(
        &app,
        Method::POST,
        "/admin/shipping-zones",
        &json!({"name": "Twice", "countries": ["DE", "AT", "DE"]}),
        422,
        "validation",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("DE is listed twice"),
        "{problem}"
    );
    // A body is an object: not the fields' values in order, which serde alone would take.
    for (method, path, body) in [
        (
            Method::POST,
            "/admin/shipping-zones",
            json!(["Asia", ["JP"]]),
        ),
        (Method::PATCH, zone_path.as_str(), json!([null, null])),
        (Method::PATCH, zone_path.as_str(), json!(["Asia", ["JP"]])),
    ] {
        refused(&app, method, path, &body, 422, "validation").await;
    }
    assert_eq!(zone_names(&app).await, ["Europe"], "nothing was written");
    let (_, read) = app.admin_json(Method::GET, &zone_path, &Value::Null).await;
    assert_eq!(read, zone, "refused patches change nothing");
}

#[tokio::test]
async fn a_country_in_another_zone_is_a_conflict_naming_the_country_and_the_zone() {
    let app = spawn_app().await;
    let europe = create_zone(&app, "Europe", &["FR", "DE"]).await;
    let problem = refused(
        &app,
        Method::POST,
        "/admin/shipping-zones",
        &json!({"name": "Iberia and more", "countries": ["ES", "PT", "DE"]}),
        409,
        "country-in-another-zone",
    )
    .await;
    assert_eq!(problem["country"], "DE", "{problem}");
    assert_eq!(problem["zone_id"], europe["id"], "{problem}");
    assert_eq!(problem["field"], "countries", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("Europe"),
        "{problem}"
    );
    assert_eq!(
        zone_names(&app).await,
        ["Europe"],
        "the refused zone is not kept"
    );

    // Nothing of the refused zone was kept: its other countries are free.
    let iberia = create_zone(&app, "Iberia", &["ES", "PT"]).await;
    let iberia_path = format!("/admin/shipping-zones/{}", iberia["id"].as_str().unwrap());
    let problem = refused(
        &app,
        Method::PATCH,
        &iberia_path,
        &json!({"name": "Iberia and France", "countries": ["ES", "FR", "PT"]}),
        409,
        "country-in-another-zone",
    )
    .await;
    assert_eq!(problem["country"], "FR", "{problem}");
    assert_eq!(problem["zone_id"], europe["id"], "{problem}");
    let (_, read) = app
        .admin_json(Method::GET, &iberia_path, &Value::Null)
        .await;
    assert_eq!(
        read, iberia,
        "a refused patch changes nothing, its name neither"
    );

    // A zone keeps its own countries when it lists them again.
    let europe_path = format!("/admin/shipping-zones/{}", europe["id"].as_str().unwrap());
    let (status, same) = app
        .admin_json(
            Method::PATCH,
            &europe_path,
            &json!({"countries": ["DE", "FR", "IT"]}),
        )
        .await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["countries"], json!(["DE", "FR", "IT"]));
}
