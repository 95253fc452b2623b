//! HTTP handlers, one module per resource. Handlers parse and answer; queries live in `db`.

pub mod admin;
pub mod cart_delivery;
pub mod cart_promotions;
pub mod carts;
pub mod categories;
pub mod checkout;
pub mod demo;
pub mod health;
pub mod orders;
pub mod products;
pub mod shop_config;
pub mod webhooks;

use actix_web::middleware::from_fn;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`; the OpenAPI document is collected from these registrations.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::configure)
        .configure(products::configure)
        .configure(categories::configure)
        .configure(carts::configure)
        .configure(cart_delivery::configure)
        .configure(cart_promotions::configure)
        .configure(shop_config::configure)
        .configure(checkout::configure)
        .configure(orders::configure)
        .configure(webhooks::configure)
        .service(
            scope::scope("/admin")
                .wrap(from_fn(crate::http::admin::require_admin))
                .configure(admin::configure)
                .default_service(actix_web::web::to(crate::http::fallback::not_found)),
        );
}
