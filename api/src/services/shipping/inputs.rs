//! What the admin sends to set up shipping: new zones and rates, and patches, as they are read
//! from the request.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::money::MoneyInput;
use crate::services::patches::{present, yes};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Europe", "countries": ["BE", "DE", "FR", "NL"]}))]
pub struct NewShippingZoneInput {
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: String,
    /// The countries this zone ships to; each belongs to one zone at most.
    #[schema(value_type = BTreeSet<crate::domain::country::Country>, min_items = 1, max_items = 249)]
    pub countries: Vec<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"countries": ["AT", "BE", "DE", "FR", "NL"]}))]
pub struct ShippingZonePatch {
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: Option<String>,
    /// The zone's countries from now on, replacing those it had; each belongs to one zone at
    /// most.
    #[schema(value_type = Option<BTreeSet<crate::domain::country::Country>>, min_items = 1, max_items = 249)]
    pub countries: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Standard", "price": {"amount": 495, "currency": "EUR"},
    "free_above": {"amount": 5000, "currency": "EUR"}, "per_item": {"amount": 100, "currency": "EUR"}
}))]
pub struct NewShippingRateInput {
    /// What shoppers choose by, such as "Standard" or "Express".
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: String,
    /// Charged once per cart, in the shop's currency.
    pub price: MoneyInput,
    /// A cart subtotal at or above this ships for nothing; in the shop's currency.
    pub free_above: Option<MoneyInput>,
    /// Added for every unit in the cart; in the shop's currency.
    pub per_item: Option<MoneyInput>,
    /// Whether shoppers are offered it; true by default.
    #[serde(default = "yes")]
    pub active: bool,
    /// Display order among the zone's rates.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub position: i32,
}

/// Fields to change; absent fields stay as they are. Amounts are in the shop's currency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"price": {"amount": 595, "currency": "EUR"}, "free_above": null}))]
pub struct ShippingRatePatch {
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: Option<String>,
    pub price: Option<MoneyInput>,
    /// `null` removes the threshold: the rate is never free.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<MoneyInput>)]
    pub free_above: Option<Option<MoneyInput>>,
    /// `null` removes the charge per unit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<MoneyInput>)]
    pub per_item: Option<Option<MoneyInput>>,
    pub active: Option<bool>,
    #[schema(minimum = 0, maximum = 10_000)]
    pub position: Option<i32>,
}
