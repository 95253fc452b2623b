//! Once a product has sold out, the shoppers still pressing "pay" are refused at once: they do not
//! queue on the locks that a checkout takes, so a flash sale's crowd cannot hold the pool.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use diesel::prelude::*;
use uuid::Uuid;

use crate::helpers::{
    assert_problem, cart_with, checkout, checkout_without_delivery, ensure_delivery, spawn_app,
    stock, tee,
};

#[tokio::test]
async fn a_sold_out_checkout_is_refused_while_its_cart_and_variant_are_locked() {
    let app = spawn_app().await;
    let variant = tee(&app, 1).await;
    let late = cart_with(&app, &[(&variant, 1)]).await;
    ensure_delivery(&app, &late).await;
    let first = cart_with(&app, &[(&variant, 1)]).await;
    assert_eq!(checkout(&app, &first, "first").await.status(), 201);

    // Another transaction holds the late shopper's cart row, as a write to that cart would, and
    // the variant's row, as a checkout reserving it would.
    let (cart_id, variant_id): (Uuid, Uuid) = (late.id.parse().unwrap(), variant.parse().unwrap());
    let mut db = app.db();
    let (locked, release) = (mpsc::channel(), mpsc::channel::<()>());
    let holder = thread::spawn(move || {
        use shop_api::db::schema::{carts, variants};
        db.transaction(|conn| {
            carts::table
                .find(cart_id)
                .select(carts::id)
                .for_update()
                .first::<Uuid>(conn)?;
            variants::table
                .find(variant_id)
                .select(variants::id)
                .for_update()
                .first::<Uuid>(conn)?;
            locked.0.send(()).unwrap();
            release.1.recv().unwrap();
            diesel::QueryResult::Ok(())
        })
        .unwrap();
    });
    locked.1.recv().unwrap();

    let refused = tokio::time::timeout(
        Duration::from_secs(3),
        checkout_without_delivery(&app, &late, "late"),
    )
    .await
    .expect("answered while the locks were held");
    let problem = assert_problem(refused, 409, "insufficient-stock").await;
    assert_eq!(problem["shortages"][0]["sku"], "TEE-M");
    assert_eq!(problem["shortages"][0]["requested"], 1);
    assert_eq!(problem["shortages"][0]["available"], 0);

    release.0.send(()).unwrap();
    holder.join().unwrap();
    // The reservation made before still stands, and the first shopper's replay is answered
    // as a replay, not refused for the stock its own order holds.
    assert_eq!(stock(&app, &variant).await, (1, 1));
    assert_eq!(checkout(&app, &first, "first").await.status(), 200);
}
