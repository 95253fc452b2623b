//! The catalog as the admin changes it: categories, products, variants and stock, each checked
//! against the shop's rules before it is written.

use chrono::Utc;
use uuid::Uuid;

use crate::db::catalog::{
    self, NewCategory, NewProduct, NewVariant, NewVariantOutcome, ProductChanges, ProductRow,
    StockChange, VariantChanges, VariantRow, stored_images,
};
use crate::db::{self, Pool};
pub use crate::domain::catalog::ImageOrigins;
use crate::domain::catalog::{self as rules, Image, Invalid};
use crate::domain::money::{Money, MoneyInput};
use crate::error::ApiError;
use crate::services::catalog::Category;

mod inputs;
pub mod listing;
mod views;

pub use self::inputs::{
    NewCategoryInput, NewProductInput, NewVariantInput, ProductPatch, StockAdjustment, VariantPatch,
};
pub use self::views::{AdminProduct, AdminVariant};

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        ApiError::invalid(invalid.field, invalid.message)
    }
}

fn admin_variant(row: VariantRow) -> Result<AdminVariant, ApiError> {
    Ok(AdminVariant {
        available: row.available(),
        price: Money::new(row.price_amount, row.currency).into(),
        compare_at_price: row
            .compare_at_amount
            .map(|amount| Money::new(amount, row.currency).into()),
        id: row.id,
        product_id: row.product_id,
        sku: row.sku,
        title: row.title,
        stock_on_hand: row.stock_on_hand,
        stock_reserved: row.stock_reserved,
        active: row.active,
        position: row.position,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn admin_product(row: ProductRow, variants: Vec<VariantRow>) -> Result<AdminProduct, ApiError> {
    Ok(AdminProduct {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        images: stored_images(row.images)?,
        category_id: row.category_id,
        active: row.active,
        tax_class: row.tax_class,
        variants: variants
            .into_iter()
            .map(admin_variant)
            .collect::<Result<_, _>>()?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn images_json(images: &[Image], origins: &ImageOrigins) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(rules::images(images, origins)?)
        .map_err(|e| ApiError::Internal(format!("encoding images: {e}")))
}

fn position(value: i32) -> Result<i32, ApiError> {
    if (0..=10_000).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid("position", "must be from 0 to 10000"))
    }
}

fn new_variant(product_id: Uuid, input: &NewVariantInput) -> Result<NewVariant, ApiError> {
    let price = input
        .price
        .to_unit_price()
        .map_err(|e| ApiError::invalid("price", e))?;
    let compare_at = compare_at_money(input.compare_at_price.as_ref())?;
    Ok(NewVariant {
        product_id,
        sku: rules::sku(&input.sku)?,
        title: rules::text("title", &input.title, rules::MAX_NAME_LEN)?,
        price_amount: price.amount(),
        compare_at_amount: rules::compare_at_price(price, compare_at)?,
        currency: price.currency(),
        stock_on_hand: rules::stock("stock_on_hand", input.stock_on_hand)?,
        active: input.active,
        position: position(input.position)?,
    })
}

/// What a patch leaves of the variant's sale: the compare-at price stays above the price,
/// whichever of the two the patch changes.
fn sale_after(
    current: &VariantRow,
    price: Option<Money>,
    compare_at: Option<Option<Money>>,
) -> Result<Option<Option<i64>>, ApiError> {
    let new_price = price.unwrap_or(Money::new(current.price_amount, current.currency));
    match (compare_at, current.compare_at_amount) {
        (Some(compare_at), _) => Ok(Some(rules::compare_at_price(new_price, compare_at)?)),
        (None, Some(kept)) if kept <= new_price.amount() => Err(ApiError::invalid(
            "price",
            format!(
                "must stay below the compare-at price ({kept} minor units) while the variant is \
                 on sale; lower it, or end the sale with \"compare_at_price\": null"
            ),
        )),
        (None, _) => Ok(None),
    }
}

fn compare_at_money(input: Option<&MoneyInput>) -> Result<Option<Money>, ApiError> {
    input
        .map(MoneyInput::to_unit_price)
        .transpose()
        .map_err(|e| ApiError::invalid("compare_at_price", e))
}

fn product_not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no product with id {id}"))
}

fn variant_not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no variant with id {id}"))
}

async fn load_admin_product(pool: &Pool, id: Uuid) -> Result<AdminProduct, ApiError> {
    let (product, variants) = db::run(pool, move |conn| {
        let product = catalog::find_product(conn, id)?.ok_or_else(|| product_not_found(id))?;
        let variants = catalog::product_variants(conn, id)?;
        Ok((product, variants))
    })
    .await?;
    admin_product(product, variants)
}

pub async fn create_category(pool: &Pool, input: NewCategoryInput) -> Result<Category, ApiError> {
    let new = NewCategory {
        slug: rules::slug("slug", &input.slug)?,
        name: rules::text("name", &input.name, rules::MAX_NAME_LEN)?,
    };
    let row = db::run(pool, move |conn| Ok(catalog::insert_category(conn, &new)?)).await?;
    Ok(Category::from(row))
}

pub async fn create_product(
    pool: &Pool,
    image_origins: &ImageOrigins,
    input: NewProductInput,
) -> Result<AdminProduct, ApiError> {
    let product = NewProduct {
        slug: rules::slug("slug", &input.slug)?,
        name: rules::text("name", &input.name, rules::MAX_NAME_LEN)?,
        description: rules::description(&input.description)?,
        images: images_json(&input.images, image_origins)?,
        active: input.active,
        category_id: input.category_id,
        tax_class: input.tax_class,
    };
    if input.variants.len() > 100 {
        return Err(ApiError::invalid("variants", "at most 100 per product"));
    }
    let variants = input
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| new_variant(Uuid::nil(), v).map_err(|e| e.within("variants", i)))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(first) = variants.first()
        && variants.iter().any(|v| v.currency != first.currency)
    {
        return Err(ApiError::invalid(
            "variants",
            "all variants of a product must share one currency",
        ));
    }
    let (product, variants) = db::run(pool, move |conn| {
        Ok(catalog::insert_product(conn, &product, variants)?)
    })
    .await?;
    admin_product(product, variants)
}

pub async fn product(pool: &Pool, id: Uuid) -> Result<AdminProduct, ApiError> {
    load_admin_product(pool, id).await
}

pub async fn update_product(
    pool: &Pool,
    image_origins: &ImageOrigins,
    id: Uuid,
    patch: ProductPatch,
) -> Result<AdminProduct, ApiError> {
    let changes = ProductChanges {
        slug: patch
            .slug
            .as_deref()
            .map(|s| rules::slug("slug", s))
            .transpose()?,
        name: patch
            .name
            .as_deref()
            .map(|n| rules::text("name", n, rules::MAX_NAME_LEN))
            .transpose()?,
        description: patch
            .description
            .as_deref()
            .map(rules::description)
            .transpose()?,
        images: patch
            .images
            .as_deref()
            .map(|images| images_json(images, image_origins))
            .transpose()?,
        active: patch.active,
        category_id: patch.category_id,
        tax_class: patch.tax_class,
        updated_at: Utc::now(),
    };
    db::run(pool, move |conn| {
        catalog::update_product(conn, id, &changes)?.ok_or_else(|| product_not_found(id))
    })
    .await?;
    load_admin_product(pool, id).await
}

pub async fn deactivate_product(pool: &Pool, id: Uuid) -> Result<(), ApiError> {
    let changes = ProductChanges {
        slug: None,
        name: None,
        description: None,
        images: None,
        active: Some(false),
        category_id: None,
        tax_class: None,
        updated_at: Utc::now(),
    };
    db::run(pool, move |conn| {
        catalog::update_product(conn, id, &changes)?.ok_or_else(|| product_not_found(id))
    })
    .await?;
    Ok(())
}

pub async fn create_variant(
    pool: &Pool,
    id: Uuid,
    input: NewVariantInput,
) -> Result<AdminVariant, ApiError> {
    let product_id = id;
    let new = new_variant(product_id, &input)?;
    let outcome = db::run(pool, move |conn| Ok(catalog::insert_variant(conn, &new)?)).await?;
    match outcome {
        NewVariantOutcome::Created(row) => admin_variant(row),
        NewVariantOutcome::NoSuchProduct => Err(product_not_found(product_id)),
        NewVariantOutcome::CurrencyMismatch { product_currency } => Err(ApiError::invalid(
            "price",
            format!("this product's variants are priced in {product_currency}"),
        )),
    }
}

pub async fn update_variant(
    pool: &Pool,
    id: Uuid,
    patch: VariantPatch,
) -> Result<AdminVariant, ApiError> {
    let price = patch
        .price
        .as_ref()
        .map(MoneyInput::to_unit_price)
        .transpose()
        .map_err(|e| ApiError::invalid("price", e))?;
    let changes = VariantChanges {
        sku: patch.sku.as_deref().map(rules::sku).transpose()?,
        title: patch
            .title
            .as_deref()
            .map(|t| rules::text("title", t, rules::MAX_NAME_LEN))
            .transpose()?,
        price_amount: price.map(|p| p.amount()),
        compare_at_amount: None,
        active: patch.active,
        position: patch.position.map(position).transpose()?,
        updated_at: Utc::now(),
    };
    let compare_at = patch
        .compare_at_price
        .as_ref()
        .map(|input| compare_at_money(input.as_ref()))
        .transpose()?;
    let row = db::run(pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let current = catalog::find_variant(conn, id)?.ok_or_else(|| variant_not_found(id))?;
            if let Some(price) = price
                && price.currency() != current.currency
            {
                return Err(ApiError::invalid(
                    "price",
                    format!(
                        "this variant is priced in {}; its currency cannot change",
                        current.currency
                    ),
                ));
            }
            let mut changes = changes;
            changes.compare_at_amount = sale_after(&current, price, compare_at)?;
            catalog::update_variant(conn, id, &changes)?.ok_or_else(|| variant_not_found(id))
        })
    })
    .await?;
    admin_variant(row)
}

pub async fn deactivate_variant(pool: &Pool, id: Uuid) -> Result<(), ApiError> {
    let changes = VariantChanges {
        sku: None,
        title: None,
        price_amount: None,
        compare_at_amount: None,
        active: Some(false),
        position: None,
        updated_at: Utc::now(),
    };
    db::run(pool, move |conn| {
        catalog::update_variant(conn, id, &changes)?.ok_or_else(|| variant_not_found(id))
    })
    .await?;
    Ok(())
}

pub async fn adjust_stock(
    pool: &Pool,
    id: Uuid,
    input: StockAdjustment,
) -> Result<AdminVariant, ApiError> {
    let change = match (input.delta, input.on_hand) {
        (Some(delta), None) if delta.unsigned_abs() <= rules::MAX_STOCK.unsigned_abs() => {
            StockChange::Delta(delta)
        }
        (Some(_), None) => {
            return Err(ApiError::invalid(
                "delta",
                format!("must be from -{max} to {max}", max = rules::MAX_STOCK),
            ));
        }
        (None, Some(on_hand)) => StockChange::OnHand(rules::stock("on_hand", on_hand)?),
        _ => {
            return Err(ApiError::unprocessable(
                "give exactly one of delta and on_hand",
            ));
        }
    };
    let row = db::run(pool, move |conn| {
        if let Some(row) = catalog::change_stock(conn, id, change, rules::MAX_STOCK)? {
            return Ok(row);
        }
        let current = catalog::find_variant(conn, id)?.ok_or_else(|| variant_not_found(id))?;
        Err(ApiError::Conflict(format!(
            "stock on hand must stay between the {} units reserved by pending checkouts and {}; it is {}",
            current.stock_reserved,
            rules::MAX_STOCK,
            current.stock_on_hand
        )))
    })
    .await?;
    admin_variant(row)
}
