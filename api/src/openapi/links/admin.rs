//! The admin side's links: category -> product -> variant -> stock, and shipping zone -> rate.

use serde_json::json;

use super::Link;

/// Admin category -> product -> variant -> stock, from every answer that shows the product or
/// the variant.
pub(super) fn catalog_links() -> Vec<Link> {
    let by_id = |pointer: &str| json!({ "path.id": format!("$response.body#{pointer}") });
    let mut links: Vec<Link> = vec![
        (
            "create_category",
            "201",
            "CreateProduct",
            "create_product",
            json!({}),
            Some(json!({"category_id": "$response.body#/id"})),
        ),
        (
            "list_categories",
            "200",
            "CreateProduct",
            "create_product",
            json!({}),
            Some(json!({"category_id": "$response.body#/items/0/id"})),
        ),
        (
            "list_products",
            "200",
            "GetProduct",
            "get_product",
            json!({"path.slug_or_id": "$response.body#/items/0/slug"}),
            None,
        ),
    ];
    for (from, status) in [
        ("create_product", "201"),
        ("admin_get_product", "200"),
        ("update_product", "200"),
    ] {
        if from != "admin_get_product" {
            links.push((
                from,
                status,
                "GetProduct",
                "admin_get_product",
                by_id("/id"),
                None,
            ));
        }
        links.extend([
            (
                from,
                status,
                "UpdateProduct",
                "update_product",
                by_id("/id"),
                None,
            ),
            (
                from,
                status,
                "DeactivateProduct",
                "deactivate_product",
                by_id("/id"),
                None,
            ),
            (
                from,
                status,
                "CreateVariant",
                "create_variant",
                by_id("/id"),
                None,
            ),
            (
                from,
                status,
                "UpdateVariant",
                "update_variant",
                by_id("/variants/0/id"),
                None,
            ),
            (
                from,
                status,
                "AdjustStock",
                "adjust_stock",
                by_id("/variants/0/id"),
                None,
            ),
            (
                from,
                status,
                "DeactivateVariant",
                "deactivate_variant",
                by_id("/variants/0/id"),
                None,
            ),
        ]);
    }
    for (from, status) in [
        ("create_variant", "201"),
        ("update_variant", "200"),
        ("adjust_stock", "200"),
    ] {
        links.extend([
            (
                from,
                status,
                "GetProduct",
                "admin_get_product",
                by_id("/product_id"),
                None,
            ),
            (
                from,
                status,
                "UpdateVariant",
                "update_variant",
                by_id("/id"),
                None,
            ),
            (
                from,
                status,
                "AdjustStock",
                "adjust_stock",
                by_id("/id"),
                None,
            ),
            (
                from,
                status,
                "DeactivateVariant",
                "deactivate_variant",
                by_id("/id"),
                None,
            ),
        ]);
    }
    links
}

/// Shipping zone -> its reading, change, deletion and rates, from every answer that shows the
/// zone; rate -> its change and deletion, and back to its zone.
pub(super) fn shipping_links() -> Vec<Link> {
    let by_id = |pointer: &str| json!({ "path.id": format!("$response.body#{pointer}") });
    let mut links: Vec<Link> = vec![(
        "list_shipping_zones",
        "200",
        "GetShippingZone",
        "get_shipping_zone",
        by_id("/items/0/id"),
        None,
    )];
    for (from, status) in [
        ("create_shipping_zone", "201"),
        ("get_shipping_zone", "200"),
        ("update_shipping_zone", "200"),
    ] {
        for (name, to, pointer) in [
            ("GetShippingZone", "get_shipping_zone", "/id"),
            ("UpdateShippingZone", "update_shipping_zone", "/id"),
            ("DeleteShippingZone", "delete_shipping_zone", "/id"),
            ("CreateShippingRate", "create_shipping_rate", "/id"),
            ("UpdateShippingRate", "update_shipping_rate", "/rates/0/id"),
            ("DeleteShippingRate", "delete_shipping_rate", "/rates/0/id"),
        ] {
            // Reading the zone again from its reading tells nothing new, and a zone just made
            // has no rate yet.
            let pointless = (from, to) == ("get_shipping_zone", "get_shipping_zone")
                || (from == "create_shipping_zone" && pointer.starts_with("/rates"));
            if !pointless {
                links.push((from, status, name, to, by_id(pointer), None));
            }
        }
    }
    for (from, status) in [
        ("create_shipping_rate", "201"),
        ("update_shipping_rate", "200"),
    ] {
        for (name, to, pointer) in [
            ("GetShippingZone", "get_shipping_zone", "/zone_id"),
            ("UpdateShippingRate", "update_shipping_rate", "/id"),
            ("DeleteShippingRate", "delete_shipping_rate", "/id"),
        ] {
            links.push((from, status, name, to, by_id(pointer), None));
        }
    }
    links
}

/// An admin order -> its shipments and its cancellation, from every answer that shows it.
pub(super) fn order_links() -> Vec<Link> {
    let by_id = |pointer: &str| json!({ "path.id": format!("$response.body#{pointer}") });
    let mut links: Vec<Link> = Vec::new();
    for (from, status, pointer) in [
        ("admin_get_order", "200", "/id"),
        ("list_orders", "200", "/items/0/id"),
        ("fulfill_order", "201", "/order/id"),
        ("fulfill_order", "200", "/order/id"),
        ("cancel_order", "200", "/id"),
    ] {
        links.extend([
            (
                from,
                status,
                "FulfillOrder",
                "fulfill_order",
                by_id(pointer),
                None,
            ),
            (
                from,
                status,
                "CancelOrder",
                "cancel_order",
                by_id(pointer),
                None,
            ),
        ]);
        if from != "admin_get_order" && from != "list_orders" {
            links.push((
                from,
                status,
                "GetOrder",
                "admin_get_order",
                by_id(pointer),
                None,
            ));
        }
    }
    links
}
