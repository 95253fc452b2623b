//! The admin API: every route under `/api/v1/admin` passes [`crate::http::admin::admin_gate`] first.

use crate::http::routes::Routes;

pub mod api_keys;
pub mod audit;
pub mod categories;
pub mod emails;
pub mod orders;
pub mod products;
pub mod promotions;
pub mod reports;
pub mod session;
pub mod shipping;
pub mod staff;
pub mod tax_rates;
pub mod variants;

pub fn configure(cfg: &mut impl Routes) {
    session::configure(cfg);
    staff::configure(cfg);
    api_keys::configure(cfg);
    audit::configure(cfg);
    reports::configure(cfg);
    categories::configure(cfg);
    products::configure(cfg);
    variants::configure(cfg);
    orders::configure(cfg);
    emails::configure(cfg);
    shipping::configure(cfg);
    tax_rates::configure(cfg);
    promotions::configure(cfg);
}
