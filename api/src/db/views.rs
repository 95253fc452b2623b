//! Views, which `diesel print-schema` does not emit; each mirrors its `CREATE VIEW` in migrations/.

diesel::table! {
    product_listings (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        images -> Jsonb,
        active -> Bool,
        category_id -> Nullable<Uuid>,
        category_slug -> Nullable<Text>,
        category_name -> Nullable<Text>,
        price_from -> Nullable<Int8>,
        currency -> Nullable<Text>,
        stock_available -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
