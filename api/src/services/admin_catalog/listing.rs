//! The admin's product table: inactive products included, with what the table shows of their
//! variants.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::db::admin_products::ProductFilter;
use crate::db::admin_products::{self as queries, ProductSort};
use crate::db::catalog::{ProductRow, VariantRow};
use crate::db::{self, Pool};
use crate::domain::money::{Money, MoneyView};
use crate::error::ApiError;

/// The product table's order: a field, `-` first for descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum ProductOrder {
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "created_at")]
    Created,
    #[serde(rename = "-created_at")]
    CreatedDesc,
    #[serde(rename = "-updated_at")]
    UpdatedDesc,
}

impl From<ProductOrder> for ProductSort {
    fn from(order: ProductOrder) -> Self {
        match order {
            ProductOrder::Name => ProductSort::NameAsc,
            ProductOrder::NameDesc => ProductSort::NameDesc,
            ProductOrder::Created => ProductSort::CreatedAsc,
            ProductOrder::CreatedDesc => ProductSort::CreatedDesc,
            ProductOrder::UpdatedDesc => ProductSort::UpdatedDesc,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminProductSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub active: bool,
    pub category_id: Option<Uuid>,
    /// Variants, inactive ones included.
    pub variants: usize,
    /// Units available (on hand less reserved) over the active variants.
    pub available: i64,
    /// The lowest price of an active variant; `null` without one.
    pub price_from: Option<MoneyView>,
    /// The first image, for the table's thumbnail.
    pub image_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminProductPage {
    pub items: Vec<AdminProductSummary>,
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

fn summary(product: ProductRow, variants: Vec<VariantRow>) -> AdminProductSummary {
    let active: Vec<&VariantRow> = variants.iter().filter(|v| v.active).collect();
    let image_url = crate::db::catalog::stored_images(product.images.clone())
        .ok()
        .and_then(|images| images.into_iter().next())
        .map(|image| image.url);
    AdminProductSummary {
        id: product.id,
        slug: product.slug,
        name: product.name,
        active: product.active,
        category_id: product.category_id,
        variants: variants.len(),
        available: active.iter().map(|v| i64::from(v.available())).sum(),
        price_from: active
            .iter()
            .min_by_key(|v| v.price_amount)
            .map(|v| MoneyView::from(Money::new(v.price_amount, v.currency))),
        image_url,
        created_at: product.created_at,
        updated_at: product.updated_at,
    }
}

pub async fn list(
    pool: &Pool,
    filter: ProductFilter,
    order: ProductOrder,
    page: u32,
    limit: u32,
) -> Result<AdminProductPage, ApiError> {
    let offset = i64::from(page - 1) * i64::from(limit);
    let (rows, total) = db::run(pool, move |conn| {
        Ok(queries::page(
            conn,
            &filter,
            order.into(),
            offset,
            i64::from(limit),
        )?)
    })
    .await?;
    Ok(AdminProductPage {
        items: rows
            .into_iter()
            .map(|(product, variants)| summary(product, variants))
            .collect(),
        page,
        limit,
        total,
        total_pages: (total + i64::from(limit) - 1) / i64::from(limit),
    })
}
