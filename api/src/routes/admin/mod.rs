//! The admin API: every route under `/api/v1/admin` passes [`crate::http::admin::require_admin`] first.

pub mod categories;
pub mod emails;
pub mod orders;
pub mod products;
pub mod promotions;
pub mod shipping;
pub mod tax_rates;
pub mod variants;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(categories::configure)
        .configure(products::configure)
        .configure(variants::configure)
        .configure(orders::configure)
        .configure(emails::configure)
        .configure(shipping::configure)
        .configure(tax_rates::configure)
        .configure(promotions::configure);
}
