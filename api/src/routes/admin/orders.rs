//! Order administration: find orders, look at one, refund it through Stripe.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::orders::{self as queries, OrderRow};
use crate::db::refunds::RefundRow;
use crate::db::{self, Pool};
use crate::domain::money::{Money, MoneyView};
use crate::error::{ApiError, Problem};
use crate::payments::Payments;
use crate::routes::checkout::{Order, OrderStatus, order_view};
use crate::routes::products::{MAX_PAGE_SIZE, stored_currency};
use crate::services::refunds::{self, RefundOutcome};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_orders)
        .service(get_order)
        .service(refund_order);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// Only orders in this state.
    #[param(inline)]
    pub status: Option<OrderStatus>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
    /// Orders per page, 1 to 100 (50 by default).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// An order as the admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminOrder {
    #[serde(flatten)]
    pub order: Order,
    pub payment_intent_id: Option<String>,
    /// `reserved`, `committed` (sold) or `released`.
    pub stock_state: String,
    pub reserved_until: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminOrderPage {
    pub items: Vec<AdminOrder>,
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": 1000}))]
pub struct NewRefund {
    /// Minor units to refund; all that is not yet refunded when absent.
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundView {
    pub id: Uuid,
    pub amount: MoneyView,
    /// Stripe's state of the refund (`pending`, `requires_action`, `succeeded`, `failed`,
    /// `canceled`), or `requested` while Stripe's answer is not known (replay the same
    /// Idempotency-Key to look it up).
    #[schema(pattern = "^(requested|pending|requires_action|succeeded|failed|canceled)$")]
    pub status: String,
    pub stripe_refund_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundResult {
    pub refund: RefundView,
    pub order: AdminOrder,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct RefundHeaders {
    /// Names this refund (1 to 255 printable characters): replaying it returns the same refund
    /// instead of refunding again.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$"
    )]
    idempotency_key: String,
}

fn admin_order(order: OrderRow, lines: Vec<queries::OrderLineRow>) -> Result<AdminOrder, ApiError> {
    let payment_intent_id = order.payment_intent_id.clone();
    let stock_state = order.stock_state.clone();
    let reserved_until = order.reserved_until;
    Ok(AdminOrder {
        order: order_view(order, lines)?,
        payment_intent_id,
        stock_state,
        reserved_until,
    })
}

async fn load(pool: &Pool, id: Uuid) -> Result<AdminOrder, ApiError> {
    let (order, lines) = db::run(pool, move |conn| {
        let order = queries::find_order(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))?;
        let lines = queries::order_lines(conn, id)?;
        Ok((order, lines))
    })
    .await?;
    admin_order(order, lines)
}

/// List orders
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(OrderListParams),
    responses(
        (status = 200, description = "A page of orders, newest first", body = AdminOrderPage),
        (status = 400, description = "Invalid query parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admin API disabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders")]
async fn list_orders(
    pool: web::Data<Pool>,
    params: web::Query<OrderListParams>,
) -> Result<web::Json<AdminOrderPage>, ApiError> {
    let limit = params.limit.unwrap_or(50);
    let page = params.page.unwrap_or(1);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) || !(1..=10_000).contains(&page) {
        return Err(ApiError::BadRequest(
            "limit must be 1 to 100 and page 1 to 10000".into(),
        ));
    }
    let status = params.status.map(OrderStatus::as_str);
    let offset = i64::from(page - 1) * i64::from(limit);
    let (rows, total) = db::run(&pool, move |conn| {
        let (orders, total) = queries::list_orders(conn, status, i64::from(limit), offset)?;
        let mut with_lines = Vec::with_capacity(orders.len());
        for order in orders {
            let lines = queries::order_lines(conn, order.id)?;
            with_lines.push((order, lines));
        }
        Ok((with_lines, total))
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|(order, lines)| admin_order(order, lines))
        .collect::<Result<_, _>>()?;
    Ok(web::Json(AdminOrderPage {
        items,
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    }))
}

/// Get an order
#[utoipa::path(
    tag = "admin",
    operation_id = "admin_get_order",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = AdminOrder),
        (status = 401, description = "Missing or wrong token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admin API disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
async fn get_order(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminOrder>, ApiError> {
    Ok(web::Json(load(&pool, id.into_inner()).await?))
}

fn refund_view(refund: &RefundRow, order: &AdminOrder) -> Result<RefundView, ApiError> {
    let currency = stored_currency(&order.order.total.currency)?;
    Ok(RefundView {
        id: refund.id,
        amount: Money::new(refund.amount, currency).into(),
        status: refund.status.clone(),
        stripe_refund_id: refund.stripe_refund_id.clone(),
        created_at: refund.created_at,
    })
}

/// Refund an order
///
/// Fully, or partially with `amount`, through Stripe.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "Order id"), RefundHeaders),
    request_body = NewRefund,
    responses(
        (status = 201, description = "Refunded", body = RefundResult),
        (status = 200, description = "The refund this Idempotency-Key made before", body = RefundResult),
        (status = 400, description = "Missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admin API disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is not paid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Amount out of range", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Stripe unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/refunds")]
async fn refund_order(
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    id: web::Path<Uuid>,
    req: HttpRequest,
    input: web::Json<NewRefund>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let key = crate::routes::idempotency_key(&req)?;
    let (refund, mut response) =
        match refunds::create(&pool, &payments, id, key, input.amount).await? {
            RefundOutcome::Created(refund) => (refund, HttpResponse::Created()),
            RefundOutcome::Replayed(refund) => (refund, HttpResponse::Ok()),
        };
    let order = load(&pool, id).await?;
    Ok(response.json(RefundResult {
        refund: refund_view(&refund, &order)?,
        order,
    }))
}
