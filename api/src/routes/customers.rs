//! The signed-in shopper's own account: their profile, password, cart and orders, and their data
//! (export and erasure).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::cache;
use crate::http::client::ClientIp;
use crate::http::cookie::CustomerCookie;
use crate::http::customer::Customer;
use crate::http::paging::{Paging, paging};
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::carts::CartConfig;
use crate::services::customers::carts::{self, AccountCart, AccountCartInput};
use crate::services::customers::orders::{self, CustomerOrderPage};
use crate::services::customers::privacy::{self, CustomerExport, ErasureInput};
use crate::services::customers::profile::{self, PasswordChangeInput, ProfileInput};
use crate::services::customers::sessions::CustomerSession;
use crate::services::customers::{Accounts, CustomerView, sessions};
use crate::services::orders::Order;

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(get_me)
        .service(update_me)
        .service(change_my_password)
        .service(my_cart)
        .service(export_me)
        .service(erase_me)
        .service(list_my_orders)
        .service(get_my_order);
}

fn private(body: impl serde::Serialize) -> HttpResponse {
    cache::no_store(StatusCode::OK).json(body)
}

/// Get my account
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    responses(
        (status = 200, description = "The account", body = CustomerView),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This shop has no accounts (email is off)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me")]
async fn get_me(customer: Customer, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    Ok(private(sessions::me(&pool, customer.0.id).await?))
}

const UNAUTHORIZED: &str = "Not signed in, or the session ended (`sign-in-required`)";

/// Change my profile
///
/// The name, and the consent to marketing email, each change of which is recorded with its time.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    request_body = ProfileInput,
    responses(
        (status = 200, description = "The account as changed", body = CustomerView),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`field` says which)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/customers/me")]
async fn update_me(
    customer: Customer,
    pool: web::Data<Pool>,
    input: web::Json<Object<ProfileInput>>,
) -> Result<HttpResponse, ApiError> {
    let view = profile::update(&pool, customer.0.id, input.into_inner().0).await?;
    Ok(private(view))
}

/// Change my password
///
/// With the current one. Every session of the account ends, this one included, and a new one
/// begins: the answer sets a new cookie and has a new CSRF token. The address is mailed a notice.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    request_body = PasswordChangeInput,
    responses(
        (status = 200, description = "Changed; a new session cookie is set", body = CustomerSession),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong, or the new one is weak (`field` says which)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/customers/me/password")]
async fn change_my_password(
    customer: Customer,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    cookie: web::Data<CustomerCookie>,
    client: ClientIp,
    input: web::Json<Object<PasswordChangeInput>>,
) -> Result<HttpResponse, ApiError> {
    let signed_in = profile::change_password(
        &pool,
        &accounts,
        cookie.0.rules,
        &customer.0,
        input.into_inner().0,
        client.0.to_string(),
    )
    .await?;
    let mut response = cache::no_store(StatusCode::OK);
    cookie.0.set(&mut response, signed_in.token);
    Ok(response.json(signed_in.session))
}

/// Get my cart
///
/// The account's cart, created when it has none, the same on every device of the shopper. The
/// cart they had as a guest, if sent, joins it under the rules of adding items (quantities capped
/// at what one line may hold and what is in stock, prices from the catalog, items no longer sold
/// left out; `notices` says which) and is gone afterwards. Use the answer's `cart_secret` as the
/// `Cart-Secret` of every cart operation, and for checkout, which then uses the account's address.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    request_body = AccountCartInput,
    responses(
        (status = 200, description = "The account's cart", body = AccountCart),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/customers/me/cart")]
async fn my_cart(
    customer: Customer,
    pool: web::Data<Pool>,
    accounts: web::Data<Accounts>,
    config: web::Data<CartConfig>,
    input: web::Json<Object<AccountCartInput>>,
) -> Result<HttpResponse, ApiError> {
    let cart = carts::my_cart(
        &pool,
        &accounts,
        **config,
        customer.0.id,
        input.into_inner().0,
    )
    .await?;
    Ok(private(cart))
}

/// Export my data
///
/// Everything the shop holds about the account, as one JSON document to keep: the profile,
/// consents, addresses, orders, the emails sent (not their contents) and the sessions.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    responses(
        (status = 200, description = "The account's data, as an attachment", body = CustomerExport),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me/export")]
async fn export_me(customer: Customer, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let export = privacy::export(&pool, customer.0.id).await?;
    Ok(cache::no_store(StatusCode::OK)
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"my-shop-data.json\"",
        ))
        .json(export))
}

/// Delete my account
///
/// With the password, asked again. The account goes with its sessions, addresses, consents, cart
/// and email; its orders stay for the shop's accounts but lose who placed them (the email becomes
/// a placeholder, the addresses keep only their country). Refused while an order is still to be
/// paid or shipped. Cannot be undone.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    request_body = ErasureInput,
    responses(
        (status = 204, description = "Erased; the cookie is cleared"),
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Orders are still to be paid or shipped (`account-has-open-orders`, naming them in `order_ids`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password (`field`: `password`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins from this address (`too-many-login-attempts`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/customers/me")]
async fn erase_me(
    customer: Customer,
    pool: web::Data<Pool>,
    cookie: web::Data<CustomerCookie>,
    client: ClientIp,
    input: web::Json<Object<ErasureInput>>,
) -> Result<HttpResponse, ApiError> {
    privacy::erase(
        &pool,
        cookie.0.rules,
        &customer.0,
        input.into_inner().0,
        client.0.to_string(),
    )
    .await?;
    let mut response = cache::no_store(StatusCode::NO_CONTENT);
    cookie.0.clear(&mut response);
    Ok(response.finish())
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
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
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
        (status = 401, description = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
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
