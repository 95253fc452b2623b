//! What the admin sends to set up promotions, as it is read from the request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::money::{MoneyInput, MoneyView};
use crate::services::patches::{present, yes};

/// A new promotion: exactly one of `percent_off_bp` and `amount_off`. Its code and offer never
/// change, since orders name them; a wrong one is deactivated and a new one made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "SUMMER10", "percent_off_bp": 1000,
    "min_subtotal": {"amount": 5000, "currency": "EUR"}, "max_redemptions": 100,
    "once_per_email": true}))]
pub struct NewPromotionInput {
    /// 3 to 32 letters, digits, hyphens or underscores; shoppers may type it in any case.
    #[schema(example = "SUMMER10")]
    pub code: String,
    /// A percentage off the merchandise, in basis points: 1000 is 10 %.
    #[schema(minimum = 1, maximum = 10_000)]
    pub percent_off_bp: Option<i64>,
    /// An amount off the merchandise, in the shop's currency; never more than the subtotal.
    pub amount_off: Option<MoneyInput>,
    /// The cart's subtotal must reach this, in the shop's currency.
    pub min_subtotal: Option<MoneyInput>,
    /// Usable from this instant; from now when absent.
    pub starts_at: Option<DateTime<Utc>>,
    /// Usable until this instant; for ever when absent. After `starts_at`.
    pub ends_at: Option<DateTime<Utc>>,
    /// How many orders may use it; without limit when absent.
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub max_redemptions: Option<i64>,
    /// Whether one email may use it once only.
    #[serde(default)]
    pub once_per_email: bool,
    /// Whether shoppers may use it; true by default.
    #[serde(default = "yes")]
    pub active: bool,
}

/// Fields to change; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct PromotionPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<MoneyInput>)]
    pub min_subtotal: Option<Option<MoneyInput>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    /// Not below the redemptions it has had.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100_000_000)]
    pub max_redemptions: Option<Option<i64>>,
    pub once_per_email: Option<bool>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPromotion {
    pub id: Uuid,
    #[schema(example = "SUMMER10")]
    pub code: String,
    pub percent_off_bp: Option<u16>,
    pub amount_off: Option<MoneyView>,
    pub min_subtotal: Option<MoneyView>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_redemptions: Option<i32>,
    /// Orders that used it and were not cancelled.
    pub redemptions: i32,
    pub once_per_email: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every promotion, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPromotionList {
    pub items: Vec<AdminPromotion>,
}

/// A code a shopper types.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "summer10"}))]
pub struct PromotionCodeInput {
    #[schema(min_length = 1, max_length = 64, example = "summer10")]
    pub code: String,
}
