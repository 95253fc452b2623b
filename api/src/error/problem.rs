//! The problem document every refusal answers, and the members particular refusals add.

use std::borrow::Cow;

use serde::Serialize;
use utoipa::ToSchema;

use super::problem_type;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:shop:problem:not-found",
    "title": "Resource not found",
    "status": 404,
    "detail": "no product with slug or id \"blue-hat\""
}))]
pub struct Problem {
    /// Stable identifier of the kind of problem; clients branch on this.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short human summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong with this request, safe to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For `validation` and `country-in-another-zone`: the request's input at fault (a body field
    /// such as `price`, `email` or `countries`, a field of a list's item such as
    /// `variants[1].sku`, or a parameter), the first of them when several are. For `cart-incomplete`: what the cart lacks (`shipping_address`, `shipping_method`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "quantity")]
    pub field: Option<String>,
    /// For `validation` of a form with several wrong fields (an address): each of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// For `insufficient-stock`: each variant that cannot be supplied, with what is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortages: Option<Vec<StockShortage>>,
    /// For `payment-under-way`: the order whose payment goes on, to show the shopper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<uuid::Uuid>,
    /// For `account-has-open-orders`: the orders still to be paid or shipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_ids: Option<Vec<uuid::Uuid>>,
    /// For `country-in-another-zone`: the country asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "FR")]
    pub country: Option<String>,
    /// For `country-in-another-zone`: the shipping zone the country belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<uuid::Uuid>,
}

impl Problem {
    /// A problem that says only its kind: no detail, no member of a particular refusal.
    pub fn bare(slug: &str, title: &str, status: u16) -> Problem {
        Problem {
            problem_type: problem_type(slug),
            title: title.to_owned(),
            status,
            detail: None,
            field: None,
            errors: None,
            shortages: None,
            order_id: None,
            order_ids: None,
            country: None,
            zone_id: None,
        }
    }
}

/// A variant asked for in a larger quantity than can be sold.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct StockShortage {
    pub variant_id: uuid::Uuid,
    #[schema(example = "TEE-WHI-M")]
    pub sku: String,
    #[schema(example = 5)]
    pub requested: i64,
    #[schema(example = 2)]
    pub available: i64,
}

/// One wrong input of several, with what is wrong with it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    #[schema(value_type = String, example = "postal_code")]
    pub field: Cow<'static, str>,
    #[schema(example = "must be 1 to 20 letters, digits, spaces or hyphens")]
    pub message: String,
}
