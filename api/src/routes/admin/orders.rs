//! Order administration: find orders, look at one, refund it through Stripe, record its
//! shipments, cancel it.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::status::FulfillmentStatus;
use crate::domain::status::OrderStatus;
use crate::error::{ApiError, Problem};
use crate::http::extract::{Admin, IdempotencyKey};
use crate::http::paging::{Paging, paging, search_text};
use crate::http::routes::Routes;
use crate::services::cancellations;
use crate::services::fulfillments::{self, Fulfilled, FulfillmentResult, NewFulfillmentInput};
use crate::services::orders::{
    self, AdminOrder, AdminOrderPage, OrderFilter, OrderOrder, OrderQuery,
};
use crate::services::refunds::{self, RefundResult, Refunded};
use crate::services::{Payments, Pool};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_orders)
        .service(get_order)
        .service(refund_order)
        .service(fulfill_order)
        .service(cancel_order);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// Only orders in this state.
    #[param(inline)]
    pub status: Option<OrderStatus>,
    /// Only orders shipped this far.
    #[param(inline)]
    pub fulfillment_status: Option<FulfillmentStatus>,
    /// Only orders whose email contains this, any case.
    #[param(min_length = 1, max_length = 254)]
    pub email: Option<String>,
    /// `-created_at` (the default), `created_at`, `-total` or `total`.
    #[param(inline)]
    pub sort: Option<OrderOrder>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
    /// Orders per page, 1 to 100 (50 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": 1000}))]
pub struct NewRefund {
    /// Minor units to refund; all that is not yet refunded when absent.
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
}

/// List orders
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(OrderListParams),
    responses(
        (status = 200, description = "A page of orders, newest first", body = AdminOrderPage),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders")]
async fn list_orders(
    _admin: Admin,
    pool: web::Data<Pool>,
    params: web::Query<OrderListParams>,
) -> Result<web::Json<AdminOrderPage>, ApiError> {
    let Paging { page, limit } = paging(params.page, params.limit)?;
    let params = params.into_inner();
    let email = search_text(params.email, "email", 254)?.map(|e| e.to_lowercase());
    let query = OrderQuery {
        filter: OrderFilter {
            status: params.status,
            fulfillment: params.fulfillment_status,
            email,
        },
        order: params.sort.unwrap_or(OrderOrder::NewestFirst),
        page,
        limit,
    };
    Ok(web::Json(orders::admin_orders(&pool, query).await?))
}

/// Get an order
#[utoipa::path(
    tag = "admin",
    operation_id = "admin_get_order",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = AdminOrder),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
async fn get_order(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminOrder>, ApiError> {
    Ok(web::Json(
        orders::admin_order(&pool, id.into_inner()).await?,
    ))
}

/// Refund an order
///
/// Fully, or partially with `amount`, through Stripe.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id"), IdempotencyKey),
    request_body = NewRefund,
    responses(
        (status = 201, description = "Refunded", body = RefundResult),
        (status = 200, description = "The refund this Idempotency-Key made before", body = RefundResult),
        (status = 400, description = "Missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is not paid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Amount out of range", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Stripe unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/refunds")]
async fn refund_order(
    _admin: Admin,
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    id: web::Path<Uuid>,
    key: IdempotencyKey,
    input: web::Json<NewRefund>,
) -> Result<HttpResponse, ApiError> {
    let refunded = refunds::refund(&pool, &payments, id.into_inner(), key.key, input.amount);
    Ok(match refunded.await? {
        Refunded::Created(result) => HttpResponse::Created().json(result),
        Refunded::Replayed(result) => HttpResponse::Ok().json(result),
    })
}

/// Record a shipment
///
/// Some or all of the units of some or all of the order's lines, with the carrier's tracking.
/// Only a paid order ships; its `fulfillment_status` follows.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id"), IdempotencyKey),
    request_body = NewFulfillmentInput,
    responses(
        (status = 201, description = "Recorded", body = FulfillmentResult),
        (status = 200, description = "The shipment this Idempotency-Key recorded before", body = FulfillmentResult),
        (status = 400, description = "Missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order does not ship: `order-not-paid`, `order-cancelled`, `order-refunded`, or `fulfillment-exceeds-order` (more units of a line than are left to ship; `field` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a line that is not the order's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/fulfillments")]
async fn fulfill_order(
    _admin: Admin,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    key: IdempotencyKey,
    input: web::Json<NewFulfillmentInput>,
) -> Result<HttpResponse, ApiError> {
    let fulfilled = fulfillments::ship(&pool, id.into_inner(), key.key, input.into_inner());
    Ok(match fulfilled.await? {
        Fulfilled::Created(result) => HttpResponse::Created().json(result),
        Fulfilled::Replayed(result) => HttpResponse::Ok().json(result),
    })
}

/// Cancel an order
///
/// One awaiting payment: its PaymentIntent is cancelled at Stripe and its stock released. One
/// paid and not shipped: it is refunded in full through Stripe and its units return to stock on
/// hand. Cancelling a cancelled order answers it again.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id"), IdempotencyKey),
    responses(
        (status = 200, description = "The order, cancelled", body = AdminOrder),
        (status = 400, description = "Missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in, or an unknown API key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role does not allow it, or a write with the session cookie lacks its CSRF token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`order-fulfilled`: it has shipped; `payment-under-way`: its payment is processing or succeeded meanwhile (cancel again to refund it)", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Stripe unreachable: the order is cancelled and its refund is retried by cancelling again", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/cancel")]
async fn cancel_order(
    _admin: Admin,
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    id: web::Path<Uuid>,
    _key: IdempotencyKey,
) -> Result<web::Json<AdminOrder>, ApiError> {
    Ok(web::Json(
        cancellations::cancel(&pool, &payments, id.into_inner()).await?,
    ))
}
