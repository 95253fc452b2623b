//! `shop-api seed`: loads a demo catalog, and where it ships and what tax it charges there.
//! Running it again changes nothing: categories, products and variants that already exist (by
//! slug or SKU) are left as they are, stock included; so are zones and tax rates (see `delivery`).

mod delivery;

use diesel::prelude::*;
use serde::Deserialize;

use crate::db::catalog::{NewCategory, NewProduct, NewVariant};
use crate::db::schema::{categories, products, variants};
use crate::domain::catalog::{self as rules, Image, ImageOrigins};
use crate::domain::money::MoneyInput;
use crate::domain::status::TaxClass;

/// The demo catalog shipped inside the binary.
pub const DEMO_CATALOG: &str = include_str!("../../seed/catalog.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCatalog {
    categories: Vec<SeedCategory>,
    products: Vec<SeedProduct>,
    #[serde(default)]
    shipping_zones: Vec<delivery::SeedZone>,
    #[serde(default)]
    tax_rates: Vec<delivery::SeedTaxRate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCategory {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedProduct {
    slug: String,
    name: String,
    description: String,
    category: Option<String>,
    images: Vec<Image>,
    #[serde(default)]
    tax_class: Option<TaxClass>,
    variants: Vec<SeedVariant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedVariant {
    sku: String,
    title: String,
    price: MoneyInput,
    #[serde(default)]
    compare_at_price: Option<MoneyInput>,
    stock: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the catalog file is not valid: {0}")]
    Format(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories: usize,
    pub products: usize,
    pub variants: usize,
    pub shipping_zones: usize,
    pub tax_rates: usize,
}

/// Validated rows, ready to insert.
struct Plan {
    categories: Vec<NewCategory>,
    products: Vec<(NewProduct, Option<String>, Vec<NewVariant>)>,
    shipping_zones: Vec<delivery::ZonePlan>,
    tax_rates: Vec<crate::db::tax_rates::TaxRateRow>,
}

fn plan(json: &str, image_origins: &ImageOrigins) -> Result<Plan, SeedError> {
    let format = |e: &dyn std::fmt::Display| SeedError::Format(e.to_string());
    let catalog: SeedCatalog = serde_json::from_str(json).map_err(|e| format(&e))?;
    let categories = catalog
        .categories
        .iter()
        .map(|c| {
            Ok(NewCategory {
                slug: rules::slug("slug", &c.slug).map_err(|e| format(&e))?,
                name: rules::text("name", &c.name, rules::MAX_NAME_LEN).map_err(|e| format(&e))?,
            })
        })
        .collect::<Result<Vec<_>, SeedError>>()?;
    let products = catalog
        .products
        .iter()
        .map(|p| {
            let context =
                |e: &dyn std::fmt::Display| SeedError::Format(format!("product {}: {e}", p.slug));
            let images = rules::images(&p.images, image_origins).map_err(|e| context(&e))?;
            let product = NewProduct {
                tax_class: p.tax_class.unwrap_or(TaxClass::Standard),
                slug: rules::slug("slug", &p.slug).map_err(|e| context(&e))?,
                name: rules::text("name", &p.name, rules::MAX_NAME_LEN).map_err(|e| context(&e))?,
                description: rules::description(&p.description).map_err(|e| context(&e))?,
                images: serde_json::to_value(images).map_err(|e| context(&e))?,
                active: true,
                category_id: None,
            };
            let variants = p
                .variants
                .iter()
                .enumerate()
                .map(|(position, v)| {
                    let price = v.price.to_unit_price().map_err(|e| context(&e))?;
                    let compare_at = v
                        .compare_at_price
                        .as_ref()
                        .map(MoneyInput::to_unit_price)
                        .transpose()
                        .map_err(|e| context(&e))?;
                    Ok(NewVariant {
                        product_id: uuid::Uuid::nil(),
                        sku: rules::sku(&v.sku).map_err(|e| context(&e))?,
                        title: rules::text("title", &v.title, rules::MAX_NAME_LEN)
                            .map_err(|e| context(&e))?,
                        price_amount: price.amount(),
                        compare_at_amount: rules::compare_at_price(price, compare_at)
                            .map_err(|e| context(&e))?,
                        currency: price.currency(),
                        stock_on_hand: rules::stock("stock", v.stock).map_err(|e| context(&e))?,
                        active: true,
                        position: i32::try_from(position).unwrap_or(i32::MAX),
                    })
                })
                .collect::<Result<Vec<_>, SeedError>>()?;
            Ok((product, p.category.clone(), variants))
        })
        .collect::<Result<Vec<_>, SeedError>>()?;
    Ok(Plan {
        categories,
        products,
        shipping_zones: delivery::plan_zones(&catalog.shipping_zones)?,
        tax_rates: delivery::plan_tax_rates(&catalog.tax_rates)?,
    })
}

/// Loads `json` (in the format of `seed/catalog.json`) in one transaction. Its images follow the
/// admin API's rule: paths on this site, or URLs on `image_origins`.
pub fn seed(
    conn: &mut PgConnection,
    json: &str,
    image_origins: &ImageOrigins,
) -> Result<SeedReport, SeedError> {
    let plan = plan(json, image_origins)?;
    conn.transaction(|conn| {
        let mut report = SeedReport {
            categories: diesel::insert_into(categories::table)
                .values(&plan.categories)
                .on_conflict(categories::slug)
                .do_nothing()
                .execute(conn)?,
            ..SeedReport::default()
        };
        for (product, category_slug, new_variants) in plan.products {
            let category_id = match category_slug {
                Some(slug) => categories::table
                    .filter(categories::slug.eq(&slug))
                    .select(categories::id)
                    .first(conn)
                    .optional()?,
                None => None,
            };
            let inserted: Option<uuid::Uuid> = diesel::insert_into(products::table)
                .values(&NewProduct {
                    category_id,
                    ..product
                })
                .on_conflict(products::slug)
                .do_nothing()
                .returning(products::id)
                .get_result(conn)
                .optional()?;
            let Some(product_id) = inserted else {
                continue;
            };
            report.products += 1;
            let rows: Vec<NewVariant> = new_variants
                .into_iter()
                .map(|v| NewVariant { product_id, ..v })
                .collect();
            report.variants += diesel::insert_into(variants::table)
                .values(&rows)
                .on_conflict(variants::sku)
                .do_nothing()
                .execute(conn)?;
        }
        report.shipping_zones = delivery::seed_zones(conn, plan.shipping_zones)?;
        report.tax_rates = delivery::seed_tax_rates(conn, &plan.tax_rates)?;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_valid() {
        // With no image origins, as a fresh deployment has: every demo picture is served locally.
        let plan = plan(DEMO_CATALOG, &ImageOrigins::default()).expect("demo catalog validates");
        assert!(plan.products.len() >= 12);
        assert!(
            plan.products
                .iter()
                .all(|(_, _, variants)| !variants.is_empty())
        );
        assert_eq!(plan.shipping_zones.len(), 2, "Europe and North America");
        assert!(plan.tax_rates.len() >= 6);
        let category_slugs: Vec<&str> = plan.categories.iter().map(|c| c.slug.as_str()).collect();
        for (product, category, _) in &plan.products {
            let category = category
                .as_deref()
                .expect("every demo product has a category");
            assert!(
                category_slugs.contains(&category),
                "{} names {category}",
                product.slug
            );
        }
    }
}
