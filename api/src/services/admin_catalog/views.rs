//! The catalog as the admin sees it: inactive products and variants included, with stock figures.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::catalog::Image;
use crate::domain::money::MoneyView;
use crate::domain::status::TaxClass;

/// A variant as the admin sees it, stock figures included.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminVariant {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub title: String,
    pub price: MoneyView,
    /// The price the sale price is compared with; `null` when not on sale.
    pub compare_at_price: Option<MoneyView>,
    pub stock_on_hand: i32,
    /// Units held by checkouts awaiting payment.
    pub stock_reserved: i32,
    /// `stock_on_hand - stock_reserved`.
    pub available: i32,
    pub active: bool,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A product as the admin sees it, inactive variants included.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminProduct {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub images: Vec<Image>,
    pub category_id: Option<Uuid>,
    pub active: bool,
    /// Which of a country's tax rates the product is taxed at.
    pub tax_class: TaxClass,
    pub variants: Vec<AdminVariant>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
