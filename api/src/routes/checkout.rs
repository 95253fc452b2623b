//! Checkout sessions: a cart becomes an order, paid through a Stripe PaymentIntent.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::email;
use crate::error::{ApiError, Problem};
use crate::http::client::ClientIp;
use crate::http::extract::{CartSecret, IdempotencyKey, OrderSecret};
use crate::http::routes::Routes;
use crate::services::carts::CartKey;
use crate::services::checkout::{self, CheckoutRequest, CheckoutRules, CheckoutSession};
use crate::services::{Payments, Pool};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(create_session)
        .service(get_session)
        .service(cancel_session);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"cart_id": "0d9e3c1a-3b7e-4f6b-9d2a-8c1f5e6a7b80", "email": "ada@example.com"}))]
pub struct NewCheckout {
    pub cart_id: Uuid,
    /// Where the receipt goes: `local@domain`, at most 254 characters, the local part at most 64,
    /// the domain with at least one dot. Required for a guest's cart; a signed-in shopper's cart
    /// (`POST /customers/me/cart`) is bought with the account's address, and may only repeat it.
    #[serde(default)]
    #[schema(
        max_length = 254,
        pattern = r#"^[!#-+\-./0-9:=?A-~]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9-]$"#
    )]
    pub email: Option<String>,
}

/// Start a checkout
///
/// Locks the cart, snapshots it into an order with its stock reserved, and creates the Stripe
/// PaymentIntent for exactly the order's total. Replaying the `Idempotency-Key` returns the same
/// session; nothing is created twice.
#[utoipa::path(
    tag = "checkout",
    params(CartSecret, IdempotencyKey),
    request_body = NewCheckout,
    responses(
        (status = 201, description = "A new checkout session", body = CheckoutSession),
        (status = 200, description = "The session this Idempotency-Key created before", body = CheckoutSession),
        (status = 400, description = "Missing or malformed Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cart, or wrong secret", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty cart, a missing or invalid email (or, for an account's cart, another address than the account's), an item no longer sold, or more units of a variant than one order may take (CHECKOUT_MAX_UNITS_PER_VARIANT, 10 by default)", body = Problem, content_type = "application/problem+json"),
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
    client: ClientIp,
    cart_secret: CartSecret,
    idempotency_key: IdempotencyKey,
    input: web::Json<NewCheckout>,
) -> Result<HttpResponse, ApiError> {
    let input = input.into_inner();
    let email = input
        .email
        .as_deref()
        .map(|given| email::parse(given).map_err(|e| ApiError::invalid("email", e)))
        .transpose()?;
    let request = CheckoutRequest {
        cart: CartKey {
            id: input.cart_id,
            secret: cart_secret.into_option(),
        },
        idempotency_key: idempotency_key.key,
        email,
        client: client.0,
    };
    let started = checkout::start(&pool, &payments, request, **rules).await?;
    let mut response = if started.replayed {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(started.session))
}

/// Get a checkout session
#[utoipa::path(
    tag = "checkout",
    params(("id" = Uuid, Path, description = "Checkout session id"), OrderSecret),
    responses(
        (status = 200, description = "The session's current state", body = CheckoutSession),
        (status = 404, description = "No such session, or wrong secret", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/checkout/sessions/{id}")]
async fn get_session(
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    secret: OrderSecret,
) -> Result<HttpResponse, ApiError> {
    let session = checkout::read_session(&pool, id.into_inner(), secret.secret).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(session))
}

/// Cancel a checkout
///
/// Gives up a checkout awaiting payment, so that its cart can change ("Edit cart"): the
/// PaymentIntent is cancelled at Stripe, the stock released, the order cancelled, and the cart
/// opened again with its lines. Cancelling a cancelled checkout answers the same. A payment that
/// is processing or has succeeded cannot be cancelled: 409 `payment-under-way` names the order,
/// which is kept.
#[utoipa::path(
    tag = "checkout",
    params(("id" = Uuid, Path, description = "Checkout session id"), OrderSecret),
    responses(
        (status = 200, description = "The session, now `cancelled`", body = CheckoutSession),
        (status = 404, description = "No such session, or wrong secret", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payment is processing or has succeeded (`payment-under-way`, with the `order_id` to show), or the checkout is still being prepared (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe refused, or answered unreadably; the checkout goes on", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Stripe unreachable or payments not configured; the checkout goes on", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/checkout/sessions/{id}")]
async fn cancel_session(
    pool: web::Data<Pool>,
    payments: web::Data<Payments>,
    id: web::Path<Uuid>,
    secret: OrderSecret,
) -> Result<HttpResponse, ApiError> {
    let session = checkout::cancel(&pool, &payments, id.into_inner(), secret.secret).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(session))
}
