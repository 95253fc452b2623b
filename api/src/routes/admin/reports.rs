//! The dashboard's reports: sales over time, and stock running low.

use actix_web::{get, web};
use chrono::{Days, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::money::Currency;
use crate::error::{ApiError, Problem};
use crate::http::extract::Admin;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::reports::{self, Interval, SalesReport, StockReport};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(sales_report).service(stock_report);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesParams {
    /// The first day counted (UTC); 29 days before `to` by default.
    pub from: Option<NaiveDate>,
    /// The last day counted (UTC); today by default.
    pub to: Option<NaiveDate>,
    /// `day` (the default), `week` or `month`. A report covers at most 400 days by day, 2,800 by
    /// week and 12,400 by month.
    #[param(inline)]
    pub interval: Option<Interval>,
}

/// Sales report
///
/// Gross sales, refunds, net, order count and average order value per day, week or month, in the
/// shop's currency, with the orders of the range by status.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(SalesParams),
    responses(
        (status = 200, description = "The report", body = SalesReport),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is before `from`, or the range is too long for the interval", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/sales")]
async fn sales_report(
    _admin: Admin,
    pool: web::Data<Pool>,
    currency: web::Data<Currency>,
    params: web::Query<SalesParams>,
) -> Result<web::Json<SalesReport>, ApiError> {
    let params = params.into_inner();
    let to = params.to.unwrap_or_else(|| Utc::now().date_naive());
    let from = params
        .from
        .unwrap_or_else(|| to.checked_sub_days(Days::new(29)).unwrap_or(to));
    let interval = params.interval.unwrap_or(Interval::Day);
    Ok(web::Json(
        reports::sales(&pool, **currency, interval, from, to).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StockParams {
    /// Variants with fewer units available than this (5 by default).
    #[param(minimum = 0, maximum = 1000000)]
    pub below: Option<i32>,
}

/// Low stock report
///
/// Active variants of active products with fewer units available (on hand less reserved) than
/// `below`, fewest first, at most 200.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(StockParams),
    responses(
        (status = 200, description = "The variants running low", body = StockReport),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/stock")]
async fn stock_report(
    _admin: Admin,
    pool: web::Data<Pool>,
    params: web::Query<StockParams>,
) -> Result<web::Json<StockReport>, ApiError> {
    let below = params.below.unwrap_or(5);
    if !(0..=1_000_000).contains(&below) {
        return Err(ApiError::BadRequest("below must be 0 to 1000000".into()));
    }
    Ok(web::Json(reports::low_stock(&pool, below).await?))
}
