//! The OpenAPI document, collected from the route registrations so it cannot miss an endpoint.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, scope};

use crate::http::fallback::RouteTable;
use crate::routes;

mod constraints;
mod links;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shop API",
        description = "JSON API of the shop: catalog, carts, checkout and orders, and an admin API for the catalog. \
Amounts are integers in the currency's minor unit. Errors are `application/problem+json` (RFC 9457) \
and clients should branch on their `type`.",
        license(name = "Proprietary", identifier = "LicenseRef-Proprietary"),
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "catalog", description = "Products and categories, as shoppers see them"),
        (name = "carts", description = "Guest carts; every call but creation needs the cart's secret"),
        (name = "checkout", description = "Checkout sessions, orders, and the storefront's run-time settings"),
        (name = "accounts", description = "Shoppers' accounts: sign-up with a confirmed email, sessions, password reset, and the account's orders"),
        (name = "webhooks", description = "Called by Stripe, signed"),
        (name = "admin", description = "Administration of the catalog, orders and shipping; needs the admin bearer token"),
        (name = "health", description = "Liveness and readiness probes"),
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&AdminTokenScheme),
)]
struct ApiDoc;

/// Answers any operation can give, documented once for all of them: the framework's own refusals
/// (a malformed request, a wrong method, a body too large or of the wrong type), nginx's rate
/// limit, and a server or database failure.
fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    crate::error::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for item in api.paths.paths.values_mut() {
        let operations = [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ];
        for operation in operations.into_iter().flatten() {
            let has_body = operation.request_body.is_some();
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            add("400", "The request is malformed (`invalid-request`)");
            add(
                "405",
                "The resource does not accept this method (`method-not-allowed`)",
            );
            add("429", "Too many requests (`too-many-requests`)");
            add("500", "The server failed (`internal`)");
            add("503", "A dependency is unavailable (`unavailable`)");
            if has_body {
                add("413", "The body is too large (`payload-too-large`)");
                add("415", "The body is not JSON (`unsupported-media-type`)");
                add("422", "The body does not fit the schema (`validation`)");
            }
        }
    }
}

struct AdminTokenScheme;

impl Modify for AdminTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "admin_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "An API key (owner > API keys), or ADMIN_API_TOKEN, the bootstrap owner key",
                        ))
                        .build(),
                ),
            );
            components.add_security_scheme(
                "admin_session",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    "__Host-shop_admin",
                    "The staff session cookie set by POST /api/v1/admin/session (named \
                     shop_admin when ADMIN_COOKIE_SECURE=false); writes also need X-CSRF-Token",
                ))),
            );
            components.add_security_scheme(
                "customer_session",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    "__Host-shop_session",
                    "A shopper's session cookie, set by POST /api/v1/auth/login (named \
                     shop_session when CUSTOMER_COOKIE_SECURE=false); writes also need \
                     X-CSRF-Token and the shop's own Origin",
                ))),
            );
        }
    }
}

/// The document for the routes [`routes::document`] mounts under `/api/v1`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope("/api/v1").configure(routes::document))
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    add_common_responses(&mut api);
    constraints::offer_session_cookie(&mut api);
    constraints::mark_public_operations(&mut api);
    constraints::describe_money_input(&mut api);
    constraints::describe_stock_adjustment(&mut api);
    constraints::describe_text_fields(&mut api);
    links::add_links(&mut api);
    api
}

/// The exported form: pretty JSON with a final newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    exported(&document())
}

fn exported(api: &utoipa::openapi::OpenApi) -> String {
    let mut json = api
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// What the server needs of the document at start-up, built once: the exported JSON it serves,
/// and the routes table the fallback answers 405 from.
pub fn served() -> (String, RouteTable) {
    let api = document();
    (exported(&api), RouteTable::from_document(&api))
}
