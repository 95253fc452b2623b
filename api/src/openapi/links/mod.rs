//! The OpenAPI links from a created resource to the operations on it, which clients and
//! schemathesis's stateful phase follow.

use serde_json::{Value, json};

use super::constraints::operations_mut;

mod admin;

use self::admin::{catalog_links, order_links, shipping_links};

/// From operation, status, link name, to operation, parameters, request body.
type Link = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Value,
    Option<Value>,
);

/// The links a client (and schemathesis's stateful phase) follows from a created resource to the
/// operations on it: cart -> line, addresses, shipping options -> method -> checkout session ->
/// order; admin category -> product ->
/// variant -> stock; admin order list -> order -> refund; shipping zone -> rate. Every response
/// that shows a cart, a checkout, an order or a product links on to what can be done with it,
/// carrying the secrets and the cart version (ETag) the next request needs, so that no step has
/// to guess them.
pub(super) fn add_links(api: &mut utoipa::openapi::OpenApi) {
    let mut links = Vec::new();
    links.extend(cart_links(
        "create_cart",
        "201",
        "$response.body#/secret",
        false,
    ));
    for from in [
        "add_item",
        "update_line",
        "remove_line",
        "get_cart",
        "put_shipping_address",
        "put_billing_address",
        "delete_billing_address",
        "put_shipping_method",
    ] {
        links.extend(cart_links(from, "200", "$request.header.Cart-Secret", true));
    }
    // The options of a cart -> choosing the first of them.
    links.push((
        "get_shipping_options",
        "200",
        "ChooseShippingMethod",
        "put_shipping_method",
        json!({"path.id": "$request.path.id", "header.Cart-Secret": "$request.header.Cart-Secret"}),
        Some(json!({"rate_id": "$response.body#/options/0/rate_id"})),
    ));
    // An emptied cart has no line to change.
    links.extend(cart_links(
        "clear_cart",
        "200",
        "$request.header.Cart-Secret",
        false,
    ));
    links.extend(checkout_links());
    links.extend(catalog_links());
    links.extend(shipping_links());
    links.extend(order_links());
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

/// From a response that is a cart: read it, change it (at the version it is now), and check it
/// out. `secret` is where the cart's secret is: in the response that made the cart, or in the
/// request that got this answer.
fn cart_links(from: &'static str, status: &'static str, secret: &str, lines: bool) -> Vec<Link> {
    let at = |extra: Value| {
        let mut parameters = json!({"path.id": "$response.body#/id", "header.Cart-Secret": secret,
                                    "header.If-Match": "$response.header.ETag"});
        if let (Value::Object(parameters), Value::Object(extra)) = (&mut parameters, extra) {
            parameters.extend(extra);
        }
        parameters
    };
    let read = json!({"path.id": "$response.body#/id", "header.Cart-Secret": secret});
    let line = || at(json!({"path.line_id": "$response.body#/lines/0/id"}));
    let mut links: Vec<Link> = vec![
        (from, status, "GetCart", "get_cart", read.clone(), None),
        (from, status, "AddItem", "add_item", at(json!({})), None),
        (from, status, "ClearCart", "clear_cart", at(json!({})), None),
        (
            from,
            status,
            "SetShippingAddress",
            "put_shipping_address",
            at(json!({})),
            None,
        ),
        (
            from,
            status,
            "SetBillingAddress",
            "put_billing_address",
            at(json!({})),
            None,
        ),
        (
            from,
            status,
            "BillToShippingAddress",
            "delete_billing_address",
            at(json!({})),
            None,
        ),
        (
            from,
            status,
            "GetShippingOptions",
            "get_shipping_options",
            read,
            None,
        ),
    ];
    if lines {
        links.extend([
            (from, status, "UpdateLine", "update_line", line(), None),
            (from, status, "RemoveLine", "remove_line", line(), None),
            (
                from,
                status,
                "StartCheckout",
                "create_session",
                json!({"header.Cart-Secret": secret}),
                Some(json!({"cart_id": "$response.body#/id"})),
            ),
        ]);
    }
    links
}

/// Checkout session -> its cancellation, and -> order, for the shopper (with the order's secret)
/// and for the admin, and admin order list -> order -> refund.
fn checkout_links() -> Vec<Link> {
    let order = |id: &str, secret: &str| json!({"path.id": id, "header.Order-Secret": secret});
    let by_id = |pointer: &str| json!({ "path.id": format!("$response.body#{pointer}") });
    let mut links: Vec<Link> = Vec::new();
    for status in ["201", "200"] {
        let secret = "$response.body#/order_secret";
        links.extend([
            (
                "create_session",
                status,
                "GetSession",
                "get_session",
                order("$response.body#/id", secret),
                None,
            ),
            (
                "create_session",
                status,
                "CancelSession",
                "cancel_session",
                order("$response.body#/id", secret),
                None,
            ),
            (
                "create_session",
                status,
                "GetOrder",
                "get_order",
                order("$response.body#/order_id", secret),
                None,
            ),
            (
                "create_session",
                status,
                "AdminGetOrder",
                "admin_get_order",
                by_id("/order_id"),
                None,
            ),
            (
                "create_session",
                status,
                "RefundOrder",
                "refund_order",
                by_id("/order_id"),
                None,
            ),
        ]);
    }
    let secret = "$request.header.Order-Secret";
    links.extend([
        (
            "get_session",
            "200",
            "GetOrder",
            "get_order",
            order("$response.body#/order_id", secret),
            None,
        ),
        (
            "get_session",
            "200",
            "AdminGetOrder",
            "admin_get_order",
            by_id("/order_id"),
            None,
        ),
        (
            "get_session",
            "200",
            "RefundOrder",
            "refund_order",
            by_id("/order_id"),
            None,
        ),
        (
            "get_order",
            "200",
            "AdminGetOrder",
            "admin_get_order",
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
    ]);
    for status in ["201", "200"] {
        links.extend([
            (
                "refund_order",
                status,
                "GetOrder",
                "admin_get_order",
                by_id("/order/id"),
                None,
            ),
            (
                "refund_order",
                status,
                "RefundOrder",
                "refund_order",
                by_id("/order/id"),
                None,
            ),
        ]);
    }
    links
}
