//! The signed-in shopper's address book, which checkout preselects from.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::http::body::Object;
use crate::http::cache;
use crate::http::customer::Customer;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::customers::addresses::{
    self, AddressBook, AddressPatchInput, CustomerAddress, NewAddressInput,
};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(list_my_addresses)
        .service(add_my_address)
        .service(update_my_address)
        .service(delete_my_address);
}

/// List my addresses
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    responses(
        (status = 200, description = "The address book", body = AddressBook),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/customers/me/addresses")]
async fn list_my_addresses(
    customer: Customer,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let book = addresses::list(&pool, customer.0.id).await?;
    Ok(cache::no_store(StatusCode::OK).json(book))
}

/// Add an address
///
/// Any country. The account's first address becomes its default for shipping and for billing;
/// `default_shipping` or `default_billing` moves a default to the new one. At most 20 addresses.
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    request_body = NewAddressInput,
    responses(
        (status = 201, description = "Added", body = CustomerAddress),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each in `errors`, named `address.postal_code` and so on), or the book is full", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/customers/me/addresses")]
async fn add_my_address(
    customer: Customer,
    pool: web::Data<Pool>,
    input: web::Json<Object<NewAddressInput>>,
) -> Result<HttpResponse, ApiError> {
    let added = addresses::add(&pool, customer.0.id, input.into_inner().0).await?;
    Ok(cache::no_store(StatusCode::CREATED)
        .insert_header((
            header::LOCATION,
            format!("/api/v1/customers/me/addresses/{}", added.id),
        ))
        .json(added))
}

/// Change an address
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    params(("id" = Uuid, Path, description = "Address id")),
    request_body = AddressPatchInput,
    responses(
        (status = 200, description = "Changed", body = CustomerAddress),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such address in the book", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each in `errors`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/customers/me/addresses/{id}")]
async fn update_my_address(
    customer: Customer,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
    input: web::Json<Object<AddressPatchInput>>,
) -> Result<HttpResponse, ApiError> {
    let changed =
        addresses::update(&pool, customer.0.id, id.into_inner(), input.into_inner().0).await?;
    Ok(cache::no_store(StatusCode::OK).json(changed))
}

/// Delete an address
#[utoipa::path(
    tag = "accounts",
    security(("customer_session" = [])),
    params(("id" = Uuid, Path, description = "Address id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in, or the session ended (`sign-in-required`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such address in the book", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/customers/me/addresses/{id}")]
async fn delete_my_address(
    customer: Customer,
    pool: web::Data<Pool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    addresses::delete(&pool, customer.0.id, id.into_inner()).await?;
    Ok(cache::no_store(StatusCode::NO_CONTENT).finish())
}
