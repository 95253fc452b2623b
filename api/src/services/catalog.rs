//! The catalog as shoppers see it: pages of products with search, filters and sorting, one
//! product with its variants, and the categories. Only what is on sale is shown.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::catalog::{self, CategoryRow, VariantRow, stored_images};
use crate::db::listings::{self, ListingFilter, ListingRow, ProductKey, ProductSort};
use crate::db::{self, Pool};
use crate::domain::catalog::Image;
use crate::domain::money::{Money, MoneyView};
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Most recently added first.
    #[default]
    Newest,
    /// Cheapest "from" price first.
    PriceAsc,
    /// Most expensive "from" price first.
    PriceDesc,
    /// Alphabetical by name.
    Name,
}

/// One page of the listing, as the route parsed it.
#[derive(Debug, Clone)]
pub struct ProductQuery {
    pub text: Option<String>,
    pub category_slug: Option<String>,
    pub sort: SortOrder,
    pub page: u32,
    pub limit: u32,
}

/// A category as products refer to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    #[schema(example = "tops")]
    pub slug: String,
    #[schema(example = "Tops")]
    pub name: String,
}

/// A product as listings show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: Uuid,
    #[schema(example = "classic-tee")]
    pub slug: String,
    #[schema(example = "Classic T-Shirt")]
    pub name: String,
    pub description: String,
    /// The first picture, if any.
    pub image: Option<Image>,
    pub category: Option<CategoryRef>,
    /// Price of the cheapest available variant.
    pub price_from: MoneyView,
    /// Whether any variant can be bought now.
    pub in_stock: bool,
    pub created_at: DateTime<Utc>,
}

/// One page of products.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    /// The page returned, 1-based.
    #[schema(example = 1)]
    pub page: u32,
    #[schema(example = 24)]
    pub limit: u32,
    /// Number of products matching the filters, over all pages. A search counts its matches
    /// only up to 1,000, and in a catalog of thousands of products it does not count a word
    /// that its first products show to be frequent: then `total_exact` is false and `total` is a
    /// lower bound (the matches seen, and after a full page at least one more than the products
    /// up to that page, so that a next page shows).
    #[schema(example = 12)]
    pub total: i64,
    /// Pages of `limit` products for `total`; a lower bound too when `total_exact` is false.
    #[schema(example = 1)]
    pub total_pages: i64,
    /// Whether `total` is the exact number of matches.
    #[schema(example = true)]
    pub total_exact: bool,
}

/// A purchasable variant of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantView {
    pub id: Uuid,
    #[schema(example = "TEE-WHT-M")]
    pub sku: String,
    #[schema(example = "M / White")]
    pub title: String,
    /// What the shopper is charged.
    pub price: MoneyView,
    /// On sale: the price `price` is compared with, shown struck through.
    pub compare_at_price: Option<MoneyView>,
    /// Units that can be bought now.
    #[schema(example = 12)]
    pub available: i32,
    pub in_stock: bool,
}

/// A product with its variants.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    pub id: Uuid,
    #[schema(example = "classic-tee")]
    pub slug: String,
    #[schema(example = "Classic T-Shirt")]
    pub name: String,
    pub description: String,
    pub images: Vec<Image>,
    pub category: Option<CategoryRef>,
    pub price_from: MoneyView,
    pub in_stock: bool,
    pub variants: Vec<VariantView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A category shoppers can filter the catalog by.
#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    pub id: Uuid,
    #[schema(example = "tops")]
    pub slug: String,
    #[schema(example = "Tops")]
    pub name: String,
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Self {
        Category {
            id: row.id,
            slug: row.slug,
            name: row.name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
}

/// A page of the products on sale.
pub async fn list_products(pool: &Pool, query: ProductQuery) -> Result<ProductPage, ApiError> {
    let ProductQuery {
        text,
        category_slug,
        sort,
        page,
        limit,
    } = query;
    let filter = ListingFilter {
        text,
        category_slug,
    };
    let sort = match sort {
        SortOrder::Newest => ProductSort::Newest,
        SortOrder::PriceAsc => ProductSort::PriceAsc,
        SortOrder::PriceDesc => ProductSort::PriceDesc,
        SortOrder::Name => ProductSort::Name,
    };
    let offset = i64::from(page.max(1) - 1) * i64::from(limit);
    let (rows, total) = db::run(pool, move |conn| {
        Ok(listings::list_products(
            conn,
            &filter,
            sort,
            i64::from(limit),
            offset,
        )?)
    })
    .await?;
    let items = rows.into_iter().map(summary).collect::<Result<_, _>>()?;
    Ok(ProductPage {
        items,
        page,
        limit,
        total: total.count,
        total_pages: (total.count + i64::from(limit) - 1) / i64::from(limit),
        total_exact: total.exact,
    })
}

/// A product on sale, by slug or by id.
pub async fn product(pool: &Pool, slug_or_id: String) -> Result<ProductDetail, ApiError> {
    let key = match Uuid::parse_str(&slug_or_id) {
        Ok(id) => ProductKey::Id(id),
        // Anything that is not slug-shaped cannot name a product; it never reaches the database.
        Err(_) if crate::domain::catalog::slug("slug", &slug_or_id).is_ok() => {
            ProductKey::Slug(slug_or_id.clone())
        }
        Err(_) => return Err(product_not_found(&slug_or_id)),
    };
    let found = db::run(pool, move |conn| {
        Ok(listings::find_visible_product(conn, &key)?)
    })
    .await?;
    let (listing, variants) = found.ok_or_else(|| product_not_found(&slug_or_id))?;
    detail(listing, variants)
}

pub async fn categories(pool: &Pool) -> Result<CategoryList, ApiError> {
    let rows = db::run(pool, |conn| Ok(catalog::list_categories(conn)?)).await?;
    Ok(CategoryList {
        items: rows.into_iter().map(Category::from).collect(),
    })
}

fn product_not_found(slug_or_id: &str) -> ApiError {
    let shown: String = slug_or_id
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    ApiError::NotFound(format!("no product with slug or id {shown:?}"))
}

fn category_ref(row: &ListingRow) -> Option<CategoryRef> {
    match (&row.category_id, &row.category_slug, &row.category_name) {
        (Some(id), Some(slug), Some(name)) => Some(CategoryRef {
            id: *id,
            slug: slug.clone(),
            name: name.clone(),
        }),
        _ => None,
    }
}

fn price_from(row: &ListingRow) -> Result<MoneyView, ApiError> {
    let (Some(amount), Some(currency)) = (row.price_from, row.currency) else {
        return Err(ApiError::Internal(format!(
            "listing {} has no price",
            row.id
        )));
    };
    Ok(Money::new(amount, currency).into())
}

fn summary(row: ListingRow) -> Result<ProductSummary, ApiError> {
    let category = category_ref(&row);
    let price_from = price_from(&row)?;
    let image = stored_images(row.images)?.into_iter().next();
    Ok(ProductSummary {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        image,
        category,
        price_from,
        in_stock: row.stock_available > 0,
        created_at: row.created_at,
    })
}

pub fn variant_view(row: &VariantRow) -> Result<VariantView, ApiError> {
    let available = row.available();
    Ok(VariantView {
        id: row.id,
        sku: row.sku.clone(),
        title: row.title.clone(),
        price: Money::new(row.price_amount, row.currency).into(),
        compare_at_price: row
            .compare_at_amount
            .map(|amount| Money::new(amount, row.currency).into()),
        available,
        in_stock: available > 0,
    })
}

fn detail(row: ListingRow, variants: Vec<VariantRow>) -> Result<ProductDetail, ApiError> {
    let category = category_ref(&row);
    let price_from = price_from(&row)?;
    Ok(ProductDetail {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        images: stored_images(row.images)?,
        category,
        price_from,
        in_stock: row.stock_available > 0,
        variants: variants
            .iter()
            .map(variant_view)
            .collect::<Result<_, _>>()?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
