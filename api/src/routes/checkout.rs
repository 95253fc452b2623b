//! Checkout sessions and orders: a cart becomes an order, paid through a Stripe PaymentIntent.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::orders::{OrderLineRow, OrderRow, SessionRow};
use crate::db::{self, Pool};
use crate::domain::email;
use crate::domain::money::{Money, MoneyView};
use crate::error::{ApiError, Problem};
use crate::payments::Payments;
use crate::routes::carts::CART_SECRET;
use crate::routes::products::stored_currency;
use crate::services::carts::CartKey;
use crate::services::checkout::{self, CheckoutRequest, CheckoutRules, order_secret};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_session)
        .service(get_session)
        .service(get_order);
}

pub const ORDER_SECRET: &str = "order-secret";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"cart_id": "0d9e3c1a-3b7e-4f6b-9d2a-8c1f5e6a7b80", "email": "ada@example.com"}))]
pub struct NewCheckout {
    pub cart_id: Uuid,
    /// Where the receipt goes: `local@domain`, at most 254 characters, the local part at most 64,
    /// the domain with at least one dot.
    #[schema(
        max_length = 254,
        pattern = r#"^[!#-+\-./0-9:=?A-~]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9-]$"#
    )]
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the payment; stock is reserved until `expires_at`.
    PendingPayment,
    Paid,
    /// Paid, but something did not match (amount, currency, or stock after a late payment).
    NeedsReview,
    Cancelled,
    Refunded,
    PartiallyRefunded,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::NeedsReview => "needs_review",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
            OrderStatus::PartiallyRefunded => "partially_refunded",
        }
    }
}

fn order_status(status: &str) -> Result<OrderStatus, ApiError> {
    Ok(match status {
        "pending_payment" => OrderStatus::PendingPayment,
        "paid" => OrderStatus::Paid,
        "needs_review" => OrderStatus::NeedsReview,
        "cancelled" => OrderStatus::Cancelled,
        "refunded" => OrderStatus::Refunded,
        "partially_refunded" => OrderStatus::PartiallyRefunded,
        other => return Err(ApiError::Internal(format!("unknown order status {other}"))),
    })
}

/// A checkout in progress: what to pay, and the PaymentIntent's client secret to pay it with.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutSession {
    pub id: Uuid,
    pub order_id: Uuid,
    /// Send as `Order-Secret` to read the order; only returned by `POST /checkout/sessions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_secret: Option<String>,
    pub amount: MoneyView,
    #[schema(example = "EUR")]
    pub currency: String,
    pub status: OrderStatus,
    /// Stripe's state of the payment, such as `requires_payment_method` or `succeeded`.
    pub payment_status: Option<String>,
    /// Why the last payment attempt failed, as Stripe put it.
    pub payment_error: Option<String>,
    /// For Stripe.js (`elements({clientSecret})`).
    pub client_secret: Option<String>,
    /// Until when the stock stays reserved for this payment: briefly at first
    /// (RESERVATION_HOLD_SECS), and up to RESERVATION_TTL_SECS from the start once the shopper has
    /// attempted a payment.
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLine {
    pub variant_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub unit_price: MoneyView,
    pub quantity: i32,
    pub line_total: MoneyView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Order {
    pub id: Uuid,
    pub status: OrderStatus,
    pub email: String,
    pub lines: Vec<OrderLine>,
    pub total: MoneyView,
    pub refunded: MoneyView,
    pub payment_status: Option<String>,
    pub payment_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct CheckoutHeaders {
    /// The cart's secret.
    #[param(rename = "Cart-Secret")]
    cart_secret: String,
    /// A key unique to this checkout attempt (1 to 255 printable characters); replaying it returns
    /// the same session.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$"
    )]
    idempotency_key: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct OrderHeaders {
    /// The order's secret, from the checkout session.
    #[param(rename = "Order-Secret")]
    order_secret: String,
}

fn header_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn session_view(
    session: &SessionRow,
    order: &OrderRow,
    secret: Option<String>,
) -> Result<CheckoutSession, ApiError> {
    let currency = stored_currency(&order.currency)?;
    Ok(CheckoutSession {
        id: session.id,
        order_id: order.id,
        order_secret: secret,
        amount: Money::new(order.total_amount, currency).into(),
        currency: order.currency.clone(),
        status: order_status(&order.status)?,
        payment_status: order.payment_status.clone(),
        payment_error: order.payment_error.clone(),
        client_secret: order.client_secret.clone(),
        expires_at: order.reserved_until,
    })
}

pub(crate) fn order_view(order: OrderRow, lines: Vec<OrderLineRow>) -> Result<Order, ApiError> {
    let currency = stored_currency(&order.currency)?;
    Ok(Order {
        id: order.id,
        status: order_status(&order.status)?,
        email: order.email,
        lines: lines
            .into_iter()
            .map(|line| OrderLine {
                variant_id: line.variant_id,
                sku: line.sku,
                product_name: line.product_name,
                variant_title: line.variant_title,
                unit_price: Money::new(line.unit_amount, currency).into(),
                quantity: line.quantity,
                line_total: Money::new(line.line_amount, currency).into(),
            })
            .collect(),
        total: Money::new(order.total_amount, currency).into(),
        refunded: Money::new(order.refunded_amount, currency).into(),
        payment_status: order.payment_status,
        payment_error: order.payment_error,
        created_at: order.created_at,
        updated_at: order.updated_at,
        paid_at: order.paid_at,
    })
}

/// Start a checkout
///
/// Locks the cart, snapshots it into an order with its stock reserved, and creates the Stripe
/// PaymentIntent for exactly the order's total. Replaying the `Idempotency-Key` returns the same
/// session; nothing is created twice.
#[utoipa::path(
    tag = "checkout",
    params(CheckoutHeaders),
    request_body = NewCheckout,
    responses(
        (status = 201, description = "A new checkout session", body = CheckoutSession),
        (status = 200, description = "The session this Idempotency-Key created before", body = CheckoutSession),
        (status = 400, description = "Missing or malformed Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cart, or wrong secret", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty cart, invalid email, an item no longer sold, or more units of a variant than one order may take (CHECKOUT_MAX_UNITS_PER_VARIANT, 10 by default)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "This client already has as many checkouts awaiting payment as it may (`too-many-checkouts`; CHECKOUT_MAX_OPEN_PER_CLIENT, 3 by default), or sends too fast (`too-many-requests`)", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the first of them lets its stock go"))),
        (status = 409, description = "Not enough stock (`insufficient-stock`, naming the variants), a checkout of this cart is under way (`locked`), or this one is still being prepared or was given up (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused, or answered unreadably; the stock is released and the cart open again", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Stripe unreachable or payments not configured; the stock is released and the cart open again", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/checkout/sessions")]
async fn create_session(
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    rules: web::Data<CheckoutRules>,
    trusted: web::Data<crate::routes::TrustedProxies>,
    req: HttpRequest,
    input: web::Json<NewCheckout>,
) -> Result<HttpResponse, ApiError> {
    let idempotency_key = crate::routes::idempotency_key(&req)?;
    let input = input.into_inner();
    let email = email::parse(&input.email).map_err(|e| ApiError::Validation(e.to_string()))?;
    let cart_secret = header_value(&req, CART_SECRET);
    let request = CheckoutRequest {
        cart: CartKey {
            id: input.cart_id,
            secret: cart_secret.clone(),
        },
        idempotency_key,
        email,
        client: crate::routes::client_ip(&req, &trusted),
    };
    let started = checkout::start(&pool, &payments, request, **rules).await?;
    let secret = order_secret(cart_secret.as_deref().unwrap_or_default(), started.order.id);
    let view = session_view(&started.session, &started.order, Some(secret))?;
    let mut response = if started.replayed {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// Get a checkout session
#[utoipa::path(
    tag = "checkout",
    params(("id" = Uuid, Path, description = "Checkout session id"), OrderHeaders),
    responses(
        (status = 200, description = "The session's current state", body = CheckoutSession),
        (status = 404, description = "No such session, or wrong secret", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/checkout/sessions/{id}")]
async fn get_session(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let secret = header_value(&req, ORDER_SECRET);
    let (session, order) = db::run(&pool, move |conn| {
        checkout::read_session(conn, id, secret.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(session_view(&session, &order, None)?))
}

/// Get an order
#[utoipa::path(
    tag = "checkout",
    params(("id" = Uuid, Path, description = "Order id"), OrderHeaders),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, description = "No such order, or wrong secret", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
async fn get_order(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let secret = header_value(&req, ORDER_SECRET);
    let (order, lines) = db::run(&pool, move |conn| {
        checkout::read_order(conn, id, secret.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(order_view(order, lines)?))
}
