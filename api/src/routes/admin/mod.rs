//! The admin API: every route under `/api/v1/admin` passes [`crate::http::admin::require_admin`] first.

pub mod catalog;
pub mod orders;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(catalog::configure)
        .configure(orders::configure);
}
