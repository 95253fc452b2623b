// @generated automatically by Diesel CLI.

diesel::table! {
    cart_lines (id) {
        id -> Uuid,
        cart_id -> Uuid,
        variant_id -> Uuid,
        quantity -> Int4,
        seen_unit_amount -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        id -> Uuid,
        secret_hash -> Bytea,
        currency -> Text,
        status -> Text,
        version -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        images -> Jsonb,
        active -> Bool,
        category_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    variants (id) {
        id -> Uuid,
        product_id -> Uuid,
        sku -> Text,
        title -> Text,
        price_amount -> Int8,
        currency -> Text,
        stock_on_hand -> Int4,
        stock_reserved -> Int4,
        active -> Bool,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(cart_lines -> carts (cart_id));
diesel::joinable!(cart_lines -> variants (variant_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(variants -> products (product_id));

diesel::allow_tables_to_appear_in_same_query!(cart_lines, carts, categories, products, variants,);
