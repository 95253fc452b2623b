//! An order as its shopper sees it, with the secret its checkout session handed out.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::extract::OrderSecret;
use crate::services::Pool;
use crate::services::orders::{self, Order};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_order);
}

/// Get an order
#[utoipa::path(
    tag = "checkout",
    params(("id" = Uuid, Path, description = "Order id"), OrderSecret),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, description = "No such order, or wrong secret", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
async fn get_order(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    secret: OrderSecret,
) -> Result<HttpResponse, ApiError> {
    let order = orders::read(&pool, id.into_inner(), secret.secret).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(order))
}
