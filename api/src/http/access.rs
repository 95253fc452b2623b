//! Every admin operation's access rule, in one table: what it needs, what it is called in the
//! audit log and what kind of thing it changes. The admin middleware finds a request's row by
//! its method and route pattern; a handler without a row refuses everyone (see
//! [`crate::http::extract::Admin`]), and a test walks the OpenAPI document against this table.

use actix_web::http::Method;

use crate::domain::staff::Capability::{self, *};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: logging in.
    Public,
    /// Any logged-in staff member or key, even one that must change its password first.
    SignedIn,
    Needs(Capability),
}

#[derive(Debug, Clone, Copy)]
pub struct Operation {
    pub method: &'static str,
    /// The route pattern, as in the OpenAPI document.
    pub path: &'static str,
    /// The OpenAPI operationId, which the audit log names it by.
    pub name: &'static str,
    /// What kind of thing it changes or reads.
    pub target: &'static str,
    pub access: Access,
}

impl Operation {
    pub fn is_write(&self) -> bool {
        self.method != "GET"
    }
}

const fn op(
    method: &'static str,
    path: &'static str,
    name: &'static str,
    target: &'static str,
    access: Access,
) -> Operation {
    Operation {
        method,
        path,
        name,
        target,
        access,
    }
}

macro_rules! admin_path {
    ($tail:literal) => {
        concat!("/api/v1/admin", $tail)
    };
}

// One row per line reads as a table; rustfmt would spread each over seven.
#[rustfmt::skip]
pub const OPERATIONS: &[Operation] = &[
    op("POST", admin_path!("/session"), "log_in", "session", Access::Public),
    op("GET", admin_path!("/session"), "get_staff_session", "session", Access::SignedIn),
    op("DELETE", admin_path!("/session"), "log_out", "session", Access::SignedIn),
    op("POST", admin_path!("/session/password"), "change_password", "staff", Access::SignedIn),
    op("GET", admin_path!("/staff"), "list_staff", "staff", Access::Needs(ManageStaff)),
    op("POST", admin_path!("/staff"), "create_staff", "staff", Access::Needs(ManageStaff)),
    op("PATCH", admin_path!("/staff/{id}"), "update_staff", "staff", Access::Needs(ManageStaff)),
    op("GET", admin_path!("/api-keys"), "list_api_keys", "api_key", Access::Needs(ManageStaff)),
    op("POST", admin_path!("/api-keys"), "create_api_key", "api_key", Access::Needs(ManageStaff)),
    op("DELETE", admin_path!("/api-keys/{id}"), "revoke_api_key", "api_key", Access::Needs(ManageStaff)),
    op("GET", admin_path!("/audit-events"), "list_audit_events", "audit_event", Access::Needs(ManageStaff)),
    op("GET", admin_path!("/reports/sales"), "sales_report", "report", Access::Needs(ReadShop)),
    op("GET", admin_path!("/reports/stock"), "stock_report", "report", Access::Needs(ReadShop)),
    op("POST", admin_path!("/categories"), "create_category", "category", Access::Needs(ManageShop)),
    op("GET", admin_path!("/products"), "admin_list_products", "product", Access::Needs(ReadShop)),
    op("POST", admin_path!("/products"), "create_product", "product", Access::Needs(ManageShop)),
    op("GET", admin_path!("/products/{id}"), "admin_get_product", "product", Access::Needs(ReadShop)),
    op("PATCH", admin_path!("/products/{id}"), "update_product", "product", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/products/{id}"), "deactivate_product", "product", Access::Needs(ManageShop)),
    op("POST", admin_path!("/products/{id}/variants"), "create_variant", "variant", Access::Needs(ManageShop)),
    op("PATCH", admin_path!("/variants/{id}"), "update_variant", "variant", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/variants/{id}"), "deactivate_variant", "variant", Access::Needs(ManageShop)),
    op("POST", admin_path!("/variants/{id}/stock"), "adjust_stock", "variant", Access::Needs(ManageShop)),
    op("GET", admin_path!("/orders"), "list_orders", "order", Access::Needs(ReadOrders)),
    op("GET", admin_path!("/orders/{id}"), "admin_get_order", "order", Access::Needs(ReadOrders)),
    op("POST", admin_path!("/orders/{id}/refunds"), "refund_order", "order", Access::Needs(ManageShop)),
    op("POST", admin_path!("/orders/{id}/fulfillments"), "fulfill_order", "order", Access::Needs(ShipOrders)),
    op("POST", admin_path!("/orders/{id}/cancel"), "cancel_order", "order", Access::Needs(ManageShop)),
    op("GET", admin_path!("/orders/{id}/emails"), "list_order_emails", "order", Access::Needs(ReadOrders)),
    op("POST", admin_path!("/orders/{id}/emails/{email_id}/resend"), "resend_order_email", "order", Access::Needs(ManageShop)),
    op("GET", admin_path!("/shipping-zones"), "list_shipping_zones", "shipping_zone", Access::Needs(ReadShop)),
    op("POST", admin_path!("/shipping-zones"), "create_shipping_zone", "shipping_zone", Access::Needs(ManageShop)),
    op("GET", admin_path!("/shipping-zones/{id}"), "get_shipping_zone", "shipping_zone", Access::Needs(ReadShop)),
    op("PATCH", admin_path!("/shipping-zones/{id}"), "update_shipping_zone", "shipping_zone", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/shipping-zones/{id}"), "delete_shipping_zone", "shipping_zone", Access::Needs(ManageShop)),
    op("POST", admin_path!("/shipping-zones/{id}/rates"), "create_shipping_rate", "shipping_rate", Access::Needs(ManageShop)),
    op("PATCH", admin_path!("/shipping-rates/{id}"), "update_shipping_rate", "shipping_rate", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/shipping-rates/{id}"), "delete_shipping_rate", "shipping_rate", Access::Needs(ManageShop)),
    op("GET", admin_path!("/tax-rates"), "list_tax_rates", "tax_rate", Access::Needs(ReadShop)),
    op("GET", admin_path!("/tax-rates/{country}"), "get_tax_rate", "tax_rate", Access::Needs(ReadShop)),
    op("PUT", admin_path!("/tax-rates/{country}"), "put_tax_rate", "tax_rate", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/tax-rates/{country}"), "delete_tax_rate", "tax_rate", Access::Needs(ManageShop)),
    op("GET", admin_path!("/promotions"), "list_promotions", "promotion", Access::Needs(ReadShop)),
    op("POST", admin_path!("/promotions"), "create_promotion", "promotion", Access::Needs(ManageShop)),
    op("GET", admin_path!("/promotions/{id}"), "get_promotion", "promotion", Access::Needs(ReadShop)),
    op("PATCH", admin_path!("/promotions/{id}"), "update_promotion", "promotion", Access::Needs(ManageShop)),
    op("DELETE", admin_path!("/promotions/{id}"), "delete_promotion", "promotion", Access::Needs(ManageShop)),
];

/// The operation a request is, by its method and matched route pattern.
pub fn find(method: &Method, pattern: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|op| op.path == pattern && op.method == method.as_str())
}
