//! HTTP handlers, one module per resource. Handlers parse and answer; queries live in `db`.

pub mod admin;
pub mod auth;
pub mod cart_delivery;
pub mod cart_promotions;
pub mod carts;
pub mod categories;
pub mod checkout;
pub mod customer_addresses;
pub mod customers;
pub mod demo;
pub mod health;
pub mod metrics;
pub mod orders;
pub mod products;
pub mod shop_config;
pub mod webhooks;

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::http::admin::admin_gate;
use crate::http::fallback::not_found;
use crate::http::routes::Routes;

/// Everything under `/api/v1` but the admin API.
fn shop(cfg: &mut impl Routes) {
    health::configure(cfg);
    products::configure(cfg);
    categories::configure(cfg);
    carts::configure(cfg);
    cart_delivery::configure(cfg);
    cart_promotions::configure(cfg);
    shop_config::configure(cfg);
    checkout::configure(cfg);
    orders::configure(cfg);
    auth::configure(cfg);
    customers::configure(cfg);
    customer_addresses::configure(cfg);
    webhooks::configure(cfg);
}

/// What each worker serves under `/api/v1`.
pub fn serve(cfg: &mut web::ServiceConfig) {
    shop(cfg);
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(admin_gate))
            .configure(admin::configure)
            .default_service(web::to(not_found)),
    );
}

/// The same routes, for the OpenAPI document to be collected from.
pub fn document(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    shop(cfg);
    cfg.service(
        utoipa_actix_web::scope::scope("/admin")
            .wrap(from_fn(admin_gate))
            .configure(|cfg| admin::configure(cfg))
            .default_service(web::to(not_found)),
    );
}
