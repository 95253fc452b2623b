//! The OpenAPI document, collected from the route registrations so it cannot miss an endpoint.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, scope};

use crate::routes;

/// The `If-None-Match` header of the catalog reads that answer `304 Not Modified`; never built,
/// it only describes the header.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatch {
    /// The `ETag`s of copies the client holds; when one still matches, the answer is `304`.
    #[param(
        rename = "If-None-Match",
        value_type = String,
        required = false,
        example = "\"3f2a9c0d41b7e6a85c1d2e3f4a5b6c7d\""
    )]
    pub if_none_match: Option<String>,
}

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
        (name = "webhooks", description = "Called by Stripe, signed"),
        (name = "admin", description = "Catalog administration; needs the admin bearer token"),
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
                        .description(Some("The ADMIN_API_TOKEN configured on the server"))
                        .build(),
                ),
            );
        }
    }
}

/// The document for the routes [`routes::configure`] mounts under `/api/v1`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    add_common_responses(&mut api);
    mark_public_operations(&mut api);
    describe_money_input(&mut api);
    describe_stock_adjustment(&mut api);
    add_links(&mut api);
    api
}

fn operations_mut(
    api: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    api.paths.paths.values_mut().flat_map(|item| {
        [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ]
        .into_iter()
        .flatten()
    })
}

/// Operations that name no security scheme are open to anyone (the cart and order secrets are
/// parameters, not schemes): say so with an empty `security`, rather than leave it unsaid.
fn mark_public_operations(api: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(api) {
        operation.security.get_or_insert_with(Vec::new);
    }
}

/// `MoneyInput` as `MoneyInput::to_unit_price` accepts it: a currency the shop and Stripe both
/// know, and an amount Stripe can charge in it. The currencies fall into groups by their amount
/// rules (a multiple of 10 in some, a lower ceiling in ISK), one `oneOf` branch per group, all
/// derived from the money module itself.
fn describe_money_input(api: &mut utoipa::openapi::OpenApi) {
    use crate::domain::money::{CURRENCIES, Currency, MAX_UNIT_AMOUNT, Money, StripeAmountError};
    use utoipa::openapi::schema::{
        AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
    };

    // (multiple, maximum) -> codes
    let mut groups: Vec<((i64, i64), Vec<&'static str>)> = Vec::new();
    for &(code, _) in CURRENCIES {
        let Ok(currency) = Currency::parse(code) else {
            continue;
        };
        if !currency.stripe_supported() {
            continue;
        }
        let multiple = match Money::new(1, currency).to_stripe() {
            Err(StripeAmountError::NotAMultiple { multiple, .. }) => multiple,
            _ => 1,
        };
        let factor = Money::new(multiple, currency)
            .to_stripe()
            .map_or(1, |stripe| stripe / multiple);
        let maximum = (crate::domain::money::MAX_STRIPE_AMOUNT / factor).min(MAX_UNIT_AMOUNT);
        let maximum = maximum - maximum % multiple;
        match groups
            .iter_mut()
            .find(|(rule, _)| *rule == (multiple, maximum))
        {
            Some((_, codes)) => codes.push(code),
            None => groups.push(((multiple, maximum), vec![code])),
        }
    }
    let branches = groups.into_iter().map(|((multiple, maximum), codes)| {
        let mut amount = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(maximum));
        if multiple > 1 {
            amount = amount.multiple_of(Some(multiple));
        }
        let currency = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("amount", amount)
            .property("currency", currency)
            .required("amount")
            .required("currency")
            .additional_properties(Some(
                AdditionalProperties::<utoipa::openapi::Schema>::FreeForm(false),
            ))
            .build()
    });
    let mut schema = OneOfBuilder::new()
        .description(Some(
            "A price as a client submits it: an amount in the currency's minor units, from 0 to \
99999999, that Stripe can charge (a multiple of 10 in BHD, JOD, KWD, OMR and TND, at most 999999 \
in ISK, which Stripe counts in hundredths), and an ISO 4217 currency code the shop supports.",
        ))
        .examples([serde_json::json!({"amount": 2500, "currency": "EUR"})]);
    for branch in branches {
        schema = schema.item(branch);
    }
    if let Some(components) = api.components.as_mut() {
        components.schemas.insert(
            "MoneyInput".to_owned(),
            utoipa::openapi::RefOr::T(utoipa::openapi::Schema::OneOf(schema.build())),
        );
    }
}

/// `StockAdjustment` takes exactly one of `delta` and `on_hand` (`null` counts as absent).
fn describe_stock_adjustment(api: &mut utoipa::openapi::OpenApi) {
    use crate::domain::catalog::MAX_STOCK;
    use utoipa::openapi::schema::{
        AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
    };
    let number = |description: &str, minimum: i32| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(minimum))
            .maximum(Some(MAX_STOCK))
            .description(Some(description))
    };
    let absent = || ObjectBuilder::new().schema_type(Type::Null);
    let branch = |given: &str, schema: ObjectBuilder, other: &str| {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(given, schema)
            .property(other, absent())
            .required(given)
            .additional_properties(Some(
                AdditionalProperties::<utoipa::openapi::Schema>::FreeForm(false),
            ))
            .build()
    };
    let delta = number(
        "Units to add (a delivery) or, when negative, remove (breakage, loss).",
        -MAX_STOCK,
    );
    let on_hand = number("The counted number of units on hand, after a stocktake.", 0);
    let schema = OneOfBuilder::new()
        .item(branch("delta", delta, "on_hand"))
        .item(branch("on_hand", on_hand, "delta"))
        .description(Some("Exactly one of `delta` and `on_hand`."))
        .examples([serde_json::json!({"delta": -2})]);
    if let Some(components) = api.components.as_mut() {
        components.schemas.insert(
            "StockAdjustment".to_owned(),
            utoipa::openapi::RefOr::T(utoipa::openapi::Schema::OneOf(schema.build())),
        );
    }
}

/// The links a client (and schemathesis's stateful phase) follows from a created resource to the
/// operations on it: cart -> line -> checkout session -> order; admin category -> product ->
/// variant -> stock; admin order list -> order -> refund.
fn add_links(api: &mut utoipa::openapi::OpenApi) {
    use serde_json::{Value, json};
    // (from operation, status, link name, to operation, parameters, request body)
    let cart = |id: &str, secret: &str| json!({"path.id": id, "header.Cart-Secret": secret, "header.If-Match": "$response.header.ETag"});
    let new_cart = || cart("$response.body#/id", "$response.body#/secret");
    let same_cart = || cart("$response.body#/id", "$request.header.Cart-Secret");
    let line = || {
        json!({"path.id": "$response.body#/id", "path.line_id": "$response.body#/lines/0/id",
               "header.Cart-Secret": "$request.header.Cart-Secret", "header.If-Match": "$response.header.ETag"})
    };
    let by_id = |pointer: &str| json!({ "path.id": format!("$response.body#{pointer}") });
    let session = |status| {
        [
            (
                "create_session",
                status,
                "GetSession",
                "get_session",
                json!({"path.id": "$response.body#/id", "header.Order-Secret": "$response.body#/order_secret"}),
                None,
            ),
            (
                "create_session",
                status,
                "GetOrder",
                "get_order",
                json!({"path.id": "$response.body#/order_id", "header.Order-Secret": "$response.body#/order_secret"}),
                None,
            ),
        ]
    };
    let mut links: Vec<(&str, &str, &str, &str, Value, Option<Value>)> = vec![
        (
            "list_products",
            "200",
            "GetProduct",
            "get_product",
            json!({"path.slug_or_id": "$response.body#/items/0/slug"}),
            None,
        ),
        (
            "create_cart",
            "201",
            "GetCart",
            "get_cart",
            new_cart(),
            None,
        ),
        (
            "create_cart",
            "201",
            "AddItem",
            "add_item",
            new_cart(),
            None,
        ),
        (
            "create_cart",
            "201",
            "ClearCart",
            "clear_cart",
            new_cart(),
            None,
        ),
        ("add_item", "200", "GetCart", "get_cart", same_cart(), None),
        ("add_item", "200", "AddItem", "add_item", same_cart(), None),
        ("add_item", "200", "UpdateLine", "update_line", line(), None),
        ("add_item", "200", "RemoveLine", "remove_line", line(), None),
        (
            "add_item",
            "200",
            "ClearCart",
            "clear_cart",
            same_cart(),
            None,
        ),
        (
            "add_item",
            "200",
            "StartCheckout",
            "create_session",
            json!({"header.Cart-Secret": "$request.header.Cart-Secret"}),
            Some(json!({"cart_id": "$response.body#/id"})),
        ),
        (
            "update_line",
            "200",
            "GetCart",
            "get_cart",
            same_cart(),
            None,
        ),
        (
            "update_line",
            "200",
            "RemoveLine",
            "remove_line",
            line(),
            None,
        ),
        (
            "create_category",
            "201",
            "CreateProduct",
            "create_product",
            json!({}),
            Some(json!({"category_id": "$response.body#/id"})),
        ),
        (
            "create_product",
            "201",
            "GetProduct",
            "admin_get_product",
            by_id("/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "UpdateProduct",
            "update_product",
            by_id("/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "DeactivateProduct",
            "deactivate_product",
            by_id("/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "CreateVariant",
            "create_variant",
            by_id("/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "UpdateVariant",
            "update_variant",
            by_id("/variants/0/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "AdjustStock",
            "adjust_stock",
            by_id("/variants/0/id"),
            None,
        ),
        (
            "create_product",
            "201",
            "DeactivateVariant",
            "deactivate_variant",
            by_id("/variants/0/id"),
            None,
        ),
        (
            "create_variant",
            "201",
            "UpdateVariant",
            "update_variant",
            by_id("/id"),
            None,
        ),
        (
            "create_variant",
            "201",
            "AdjustStock",
            "adjust_stock",
            by_id("/id"),
            None,
        ),
        (
            "create_variant",
            "201",
            "DeactivateVariant",
            "deactivate_variant",
            by_id("/id"),
            None,
        ),
        (
            "list_orders",
            "200",
            "GetOrder",
            "admin_get_order",
            by_id("/items/0/id"),
            None,
        ),
        (
            "list_orders",
            "200",
            "RefundOrder",
            "refund_order",
            by_id("/items/0/id"),
            None,
        ),
        (
            "admin_get_order",
            "200",
            "RefundOrder",
            "refund_order",
            by_id("/id"),
            None,
        ),
    ];
    links.extend(session("201"));
    links.extend(session("200"));
    for (from, status, name, to, parameters, body) in links {
        let Some(operation) =
            operations_mut(api).find(|op| op.operation_id.as_deref() == Some(from))
        else {
            continue;
        };
        let Some(utoipa::openapi::RefOr::T(response)) =
            operation.responses.responses.get_mut(status)
        else {
            continue;
        };
        let mut link = utoipa::openapi::link::LinkBuilder::new().operation_id(to);
        if let Value::Object(parameters) = parameters {
            for (name, value) in parameters {
                link = link.parameter(name, value);
            }
        }
        link = link.request_body(body);
        response.links.insert(name.to_owned(), link.build().into());
    }
}

/// The exported form: pretty JSON with a final newline, as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// A page that renders the document; the renderer comes from a pinned CDN build.
pub const DOCS_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shop API reference</title>
</head>
<body>
  <script id="api-reference" data-url="/api/v1/openapi.json"></script>
  <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.25.11/dist/browser/standalone.js"></script>
</body>
</html>
"#;

/// The API's routes as the document lists them, to tell "no such resource" (404) from "no such
/// method on this resource" (405, with `Allow`).
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        use utoipa::openapi::path::HttpMethod;
        let mut routes = Vec::new();
        for (path, item) in &api.paths.paths {
            let methods: Vec<&'static str> = [
                (HttpMethod::Get, "GET"),
                (HttpMethod::Post, "POST"),
                (HttpMethod::Put, "PUT"),
                (HttpMethod::Patch, "PATCH"),
                (HttpMethod::Delete, "DELETE"),
            ]
            .into_iter()
            .filter(|(method, _)| match method {
                HttpMethod::Get => item.get.is_some(),
                HttpMethod::Post => item.post.is_some(),
                HttpMethod::Put => item.put.is_some(),
                HttpMethod::Patch => item.patch.is_some(),
                HttpMethod::Delete => item.delete.is_some(),
                _ => false,
            })
            .map(|(_, name)| name)
            .collect();
            routes.push((segments(path), methods));
        }
        routes.push((segments("/api/v1/openapi.json"), vec!["GET"]));
        routes.push((segments("/api/docs"), vec!["GET"]));
        RouteTable { routes }
    }

    /// The methods the resource at `path` answers, merged over every template it matches.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        let requested: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut allowed: Vec<&'static str> = Vec::new();
        for (template, methods) in &self.routes {
            let matches = template.len() == requested.len()
                && template
                    .iter()
                    .zip(&requested)
                    .all(|(t, r)| (t.starts_with('{') && !r.is_empty()) || t == r);
            if matches {
                for method in methods {
                    if !allowed.contains(method) {
                        allowed.push(method);
                    }
                }
            }
        }
        allowed
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}
