//! The admin API: every route under `/api/v1/admin` passes [`crate::http::admin::require_admin`] first.

use crate::http::routes::Routes;

pub mod categories;
pub mod emails;
pub mod orders;
pub mod products;
pub mod promotions;
pub mod shipping;
pub mod tax_rates;
pub mod variants;

pub fn configure(cfg: &mut impl Routes) {
    categories::configure(cfg);
    products::configure(cfg);
    variants::configure(cfg);
    orders::configure(cfg);
    emails::configure(cfg);
    shipping::configure(cfg);
    tax_rates::configure(cfg);
    promotions::configure(cfg);
}
