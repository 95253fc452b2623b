//! An order as its shopper sees it: with the secret its checkout session handed out, or with a
//! lookup link mailed to the order's address, which also lists that address's orders.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::cache;
use crate::http::extract::{LookupToken, OrderSecret};
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::lookup::{self, FoundOrders, OrderLookup};
use crate::services::orders::{self, Order};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(request_lookup)
        .service(found_orders)
        .service(get_order);
}

fn private(body: impl Serialize) -> HttpResponse {
    cache::no_store(StatusCode::OK).json(body)
}

/// Get an order
///
/// With its `Order-Secret`, or with the `Lookup-Token` of a link mailed to the order's address.
#[utoipa::path(
    tag = "checkout",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Order-Secret" = Option<String>, Header, description = "The `order_secret` returned when the checkout session was created", pattern = "^[0-9a-f]{64}$"),
        LookupToken,
    ),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, description = "No such order, or a wrong secret, or a link that is not the order's, forged or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
async fn get_order(
    pool: web::Data<Pool>,
    lookup: web::Data<OrderLookup>,
    id: web::Path<Uuid>,
    secret: OrderSecret,
    token: LookupToken,
) -> Result<HttpResponse, ApiError> {
    let order = match token.token {
        Some(token) if secret.secret.is_empty() => {
            lookup::order(&pool, &lookup, id.into_inner(), &token).await?
        }
        _ => orders::read(&pool, id.into_inner(), secret.secret).await?,
    };
    Ok(private(order))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.com"}))]
pub struct LookupRequest {
    /// The address the orders were placed with, compared without regard to case:
    /// `local@domain`, at most 254 characters, the local part at most 64, the domain with at
    /// least one dot.
    #[schema(
        max_length = 254,
        pattern = r#"^[!#-+\-./0-9:=?A-~]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9-]$"#
    )]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LookupAccepted {
    #[schema(
        example = "If this address has orders, a link to them is on its way; it works for 30 minutes."
    )]
    pub detail: String,
}

/// Email me my orders
///
/// Mails the address a link (valid 30 minutes) to its paid orders. Answers 202 whether or not
/// the address has orders, so it tells nobody; at most one link a minute goes to an address.
#[utoipa::path(
    tag = "checkout",
    request_body = LookupRequest,
    responses(
        (status = 202, description = "Accepted: a link is mailed if the address has orders", body = LookupAccepted),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (nginx)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/lookup")]
async fn request_lookup(
    pool: web::Data<Pool>,
    lookup: web::Data<OrderLookup>,
    input: web::Json<LookupRequest>,
) -> Result<HttpResponse, ApiError> {
    lookup::request(&pool, &lookup, &input.email).await?;
    Ok(HttpResponse::Accepted().json(LookupAccepted {
        detail: "If this address has orders, a link to them is on its way; it works for 30 \
                 minutes."
            .into(),
    }))
}

/// List my orders
///
/// The paid orders of the address a lookup link was mailed to.
#[utoipa::path(
    tag = "checkout",
    params(LookupToken),
    responses(
        (status = 200, description = "The address's paid orders, newest first", body = FoundOrders),
        (status = 404, description = "No such link, or it was forged or has expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/lookup")]
async fn found_orders(
    pool: web::Data<Pool>,
    lookup: web::Data<OrderLookup>,
    token: LookupToken,
) -> Result<HttpResponse, ApiError> {
    let token = token.token.unwrap_or_default();
    Ok(private(lookup::found(&pool, &lookup, &token).await?))
}
