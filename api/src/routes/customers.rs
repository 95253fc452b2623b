//! The signed-in shopper's own account: their profile and their orders.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::customer::Customer;
use crate::http::paging::{Paging, paging};
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::customers::orders::{self, CustomerOrderPage};
use crate::services::customers::{CustomerView, sessions};
use crate::services::orders::Order;

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(get_me)
        .service(list_my_orders)
        .service(get_my_order);
}

fn private(body: impl serde::Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Get my account
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    responses(
        (status = 200, description = "The account", body = CustomerView),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This shop has no accounts (email is off)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me")]
async fn get_me(customer: Customer, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    Ok(private(sessions::me(&pool, customer.0.id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyOrdersParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
    /// Orders per page, 50 by default.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// List my orders
///
/// The account's paid orders, newest first: those placed signed in, and the guest orders of the
/// account's address, which join it once the address is confirmed.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    params(MyOrdersParams),
    responses(
        (status = 200, description = "A page of orders", body = CustomerOrderPage),
        (status = 400, description = "`page` or `limit` out of range", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This shop has no accounts (email is off)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me/orders")]
async fn list_my_orders(
    customer: Customer,
    pool: web::Data<Pool>,
    params: web::Query<MyOrdersParams>,
) -> Result<web::Json<CustomerOrderPage>, ApiError> {
    let Paging { page, limit } = paging(params.page, params.limit)?;
    Ok(web::Json(
        orders::list(&pool, customer.0.id, page, limit).await?,
    ))
}

/// Get one of my orders
///
/// Without the order's secret; another's order answers 404, as a missing one does.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order of this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me/orders/{id}")]
async fn get_my_order(
    customer: Customer,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(private(
        orders::get(&pool, customer.0.id, id.into_inner()).await?,
    ))
}
