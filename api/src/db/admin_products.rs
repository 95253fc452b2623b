//! The admin's product table: every product, inactive ones included, searched, filtered, sorted
//! and paged in the database.

use diesel::pg::Pg;
use diesel::prelude::*;
use uuid::Uuid;

use super::catalog::{ProductRow, VariantRow};
use super::schema::{products, variants};

/// The order of the admin's product table; ties are broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSort {
    NameAsc,
    NameDesc,
    CreatedAsc,
    CreatedDesc,
    UpdatedDesc,
}

/// `%`, `_` and `\` in a staff member's search are literal characters, not wildcards.
pub(super) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// In the name or the slug, any case.
    pub text: Option<String>,
    pub active: Option<bool>,
    pub category_id: Option<Uuid>,
}

fn matching(filter: &ProductFilter) -> products::BoxedQuery<'static, Pg> {
    let mut query = products::table.into_boxed();
    if let Some(text) = &filter.text {
        let pattern = like_pattern(text);
        query = query.filter(
            products::name
                .ilike(pattern.clone())
                .or(products::slug.ilike(pattern)),
        );
    }
    if let Some(active) = filter.active {
        query = query.filter(products::active.eq(active));
    }
    if let Some(category) = filter.category_id {
        query = query.filter(products::category_id.eq(category));
    }
    query
}

/// A product with all its variants.
pub type ProductWithVariants = (ProductRow, Vec<VariantRow>);

/// A page of products and their variants, and how many products match in all.
pub fn page(
    conn: &mut PgConnection,
    filter: &ProductFilter,
    sort: ProductSort,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ProductWithVariants>, i64)> {
    let total = matching(filter).count().get_result(conn)?;
    let query = matching(filter);
    let query = match sort {
        ProductSort::NameAsc => query.order((products::name.asc(), products::id)),
        ProductSort::NameDesc => query.order((products::name.desc(), products::id)),
        ProductSort::CreatedAsc => query.order((products::created_at.asc(), products::id)),
        ProductSort::CreatedDesc => query.order((products::created_at.desc(), products::id)),
        ProductSort::UpdatedDesc => query.order((products::updated_at.desc(), products::id)),
    };
    let rows: Vec<ProductRow> = query
        .offset(offset)
        .limit(limit)
        .select(ProductRow::as_select())
        .load(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let all_variants: Vec<VariantRow> = variants::table
        .filter(variants::product_id.eq_any(&ids))
        .order((variants::position, variants::id))
        .select(VariantRow::as_select())
        .load(conn)?;
    let page = rows
        .into_iter()
        .map(|product| {
            let own = all_variants
                .iter()
                .filter(|v| v.product_id == product.id)
                .cloned()
                .collect();
            (product, own)
        })
        .collect();
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn wildcards_in_search_text_are_escaped() {
        assert_eq!(like_pattern("shirt"), "%shirt%");
        assert_eq!(like_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
