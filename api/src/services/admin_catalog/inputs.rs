//! What the admin sends to change the catalog: new categories, products and variants, patches,
//! and stock adjustments, as they are read from the request.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::catalog::Image;
use crate::domain::money::MoneyInput;
use crate::domain::status::TaxClass;
use crate::services::patches::{present, yes};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "tops", "name": "Tops"}))]
pub struct NewCategoryInput {
    /// Lower-case letters or digits in words joined by single hyphens.
    #[schema(max_length = 100, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sku": "TEE-WHT-M", "title": "M / White", "price": {"amount": 2500, "currency": "EUR"}, "stock_on_hand": 20}))]
pub struct NewVariantInput {
    /// Unique stock-keeping unit: letters, digits, `-`, `_` and `.`.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]+$")]
    pub sku: String,
    /// What distinguishes this variant, such as "M / Blue".
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub title: String,
    /// What the shopper is charged.
    pub price: MoneyInput,
    /// Puts the variant on sale: the price the sale price is compared with, shown struck through.
    /// In the price's currency and above it; absent when the variant is not on sale.
    #[serde(default)]
    pub compare_at_price: Option<MoneyInput>,
    /// Units on hand; 0 by default.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub stock_on_hand: i32,
    /// Whether shoppers can buy it; true by default.
    #[serde(default = "yes")]
    pub active: bool,
    /// Display order among the product's variants.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub position: i32,
}

fn standard() -> TaxClass {
    TaxClass::Standard
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "classic-tee", "name": "Classic T-Shirt", "description": "Soft cotton.",
    "images": [{"url": "/images/products/classic-tee.svg", "alt": "White T-shirt"}],
    "variants": [{"sku": "TEE-WHT-M", "title": "M / White", "price": {"amount": 2500, "currency": "EUR"}, "stock_on_hand": 20}]
}))]
pub struct NewProductInput {
    /// Lower-case letters or digits in words joined by single hyphens.
    #[schema(max_length = 100, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: String,
    #[serde(default)]
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]{0,10000}[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub description: String,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub images: Vec<Image>,
    pub category_id: Option<Uuid>,
    /// Whether shoppers can see it; true by default.
    #[serde(default = "yes")]
    pub active: bool,
    /// Which of a country's tax rates it is taxed at; `standard` by default.
    #[serde(default = "standard")]
    pub tax_class: TaxClass,
    /// Variants to create with the product (at most 100); all share one currency.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub variants: Vec<NewVariantInput>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Classic Tee", "active": false}))]
pub struct ProductPatch {
    #[schema(max_length = 100, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: Option<String>,
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub name: Option<String>,
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]{0,10000}[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub description: Option<String>,
    #[schema(max_items = 20)]
    pub images: Option<Vec<Image>>,
    /// `null` removes the product from its category.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
    pub tax_class: Option<TaxClass>,
}

/// Fields to change; absent fields stay as they are. A variant's currency cannot change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"price": {"amount": 2200, "currency": "EUR"}}))]
pub struct VariantPatch {
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]+$")]
    pub sku: Option<String>,
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub title: Option<String>,
    /// In the variant's own currency, which cannot change. Below the compare-at price while the
    /// variant is on sale.
    pub price: Option<MoneyInput>,
    /// Starts or changes a sale (in the price's currency, above the price); `null` ends it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<MoneyInput>)]
    pub compare_at_price: Option<Option<MoneyInput>>,
    pub active: Option<bool>,
    #[schema(minimum = 0, maximum = 10_000)]
    pub position: Option<i32>,
}

/// Exactly one of `delta` and `on_hand`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"delta": -2}))]
pub struct StockAdjustment {
    /// Units to add (a delivery) or, when negative, remove (breakage, loss).
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub delta: Option<i32>,
    /// The counted number of units on hand, after a stocktake.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub on_hand: Option<i32>,
}
