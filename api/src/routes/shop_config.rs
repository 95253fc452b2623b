//! What the storefront needs at run time, so nothing environment-specific is baked into its bundle.

use actix_web::{get, web};

use crate::domain::currency::Currency;
use crate::domain::pricing::TaxMode;
use crate::http::routes::Routes;
use crate::services::customers::Accounts;
use crate::services::storefront::{self, StorefrontConfig};
use crate::services::{Mailer, Payments};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(get_config);
}

/// Storefront configuration
#[utoipa::path(
    tag = "checkout",
    responses((status = 200, description = "Run-time settings for the storefront", body = StorefrontConfig))
)]
#[get("/config")]
async fn get_config(
    payments: web::Data<Payments>,
    mailer: web::Data<Mailer>,
    accounts: web::Data<Accounts>,
    currency: web::Data<Currency>,
    tax_mode: web::Data<TaxMode>,
) -> web::Json<StorefrontConfig> {
    web::Json(storefront::config(
        &payments, &mailer, &accounts, **currency, **tax_mode,
    ))
}
