//! Admins changing zones at the same moment: a country still ends in one zone at most, decided by
//! the database, and no two changes wait for each other forever.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

use super::{create_zone, zone_names};

#[tokio::test]
async fn of_two_admins_claiming_a_country_at_once_exactly_one_wins() {
    let app = spawn_app().await;
    let existing = create_zone(&app, "Existing", &["AT"]).await;
    let existing_path = format!("/admin/shipping-zones/{}", existing["id"].as_str().unwrap());
    for (round, country) in ["FR", "DE", "IT", "ES", "PT", "NL", "BE", "LU"]
        .into_iter()
        .enumerate()
    {
        // A new zone and a change to an existing one race for the same country.
        let new_zone = app
            .admin(Method::POST, "/admin/shipping-zones")
            .json(&json!({"name": format!("Race {round}"), "countries": [country, "ZA"]}))
            .send();
        let changed_zone = app
            .admin(Method::PATCH, &existing_path)
            .json(&json!({"countries": ["AT", country]}))
            .send();
        let (created, changed) = tokio::join!(new_zone, changed_zone);
        let (created, changed) = (created.unwrap(), changed.unwrap());
        let statuses = (created.status().as_u16(), changed.status().as_u16());
        let (loser, winner_id) = match statuses {
            (201, 409) => {
                let zone: Value = created.json().await.unwrap();
                assert_eq!(zone["countries"], json!([country, "ZA"]));
                // South Africa is the new zone's: free it for the next round.
                let response = app
                    .admin(
                        Method::DELETE,
                        &format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap()),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 204);
                (changed, zone["id"].clone())
            }
            (409, 200) => (created, existing["id"].clone()),
            other => panic!("round {round}: exactly one must win, got {other:?}"),
        };
        let problem = assert_problem(loser, 409, "country-in-another-zone").await;
        assert_eq!(problem["country"], country, "round {round}: {problem}");
        assert_eq!(problem["zone_id"], winner_id, "round {round}: {problem}");
        // Reset: the existing zone holds Austria alone again.
        let (status, _) = app
            .admin_json(Method::PATCH, &existing_path, &json!({"countries": ["AT"]}))
            .await;
        assert_eq!(status, 200);
    }
    // Two new zones racing: one is made, the other is not kept at all.
    let claim = |name: &str| {
        app.admin(Method::POST, "/admin/shipping-zones")
            .json(&json!({"name": name, "countries": ["SE"]}))
            .send()
    };
    let (first, second) = tokio::join!(claim("North"), claim("Nordics"));
    let mut statuses = [
        first.unwrap().status().as_u16(),
        second.unwrap().status().as_u16(),
    ];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    assert_eq!(zone_names(&app).await.len(), 2);
}

#[tokio::test]
async fn two_zones_swapping_countries_at_once_are_both_refused_without_a_deadlock() {
    let app = spawn_app().await;
    let west = create_zone(&app, "West", &["FR"]).await;
    let east = create_zone(&app, "East", &["PL"]).await;
    let path = |zone: &Value| format!("/admin/shipping-zones/{}", zone["id"].as_str().unwrap());
    let (west_path, east_path) = (path(&west), path(&east));
    for round in 0..10 {
        // Each could have the other's country only once the other gave it up, which it cannot
        // do before having the first's: both are refused, and neither waits for the other forever.
        let west_change = app
            .admin(Method::PATCH, &west_path)
            .json(&json!({"countries": ["PL"]}))
            .send();
        let east_change = app
            .admin(Method::PATCH, &east_path)
            .json(&json!({"countries": ["FR"]}))
            .send();
        let (west_answer, east_answer) = tokio::join!(west_change, east_change);
        let statuses = [
            west_answer.unwrap().status().as_u16(),
            east_answer.unwrap().status().as_u16(),
        ];
        assert_eq!(statuses, [409, 409], "round {round}");
    }
    let (_, west_now) = app.admin_json(Method::GET, &west_path, &Value::Null).await;
    let (_, east_now) = app.admin_json(Method::GET, &east_path, &Value::Null).await;
    assert_eq!((&west_now, &east_now), (&west, &east));
}
