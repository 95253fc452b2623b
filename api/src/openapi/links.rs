//! The OpenAPI links from a created resource to the operations on it, which clients and
//! schemathesis's stateful phase follow.

use serde_json::Value;

use super::constraints::operations_mut;

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
/// operations on it: cart -> line -> checkout session -> order; admin category -> product ->
/// variant -> stock; admin order list -> order -> refund.
pub(super) fn add_links(api: &mut utoipa::openapi::OpenApi) {
    use serde_json::json;
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
    let mut links: Vec<Link> = vec![
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
