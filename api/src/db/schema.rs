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
    checkout_sessions (id) {
        id -> Uuid,
        cart_id -> Uuid,
        idempotency_key -> Text,
        order_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_lines (id) {
        id -> Uuid,
        order_id -> Uuid,
        variant_id -> Uuid,
        sku -> Text,
        product_name -> Text,
        variant_title -> Text,
        unit_amount -> Int8,
        quantity -> Int4,
        line_amount -> Int8,
        position -> Int4,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        secret_hash -> Bytea,
        cart_id -> Nullable<Uuid>,
        email -> Text,
        status -> Text,
        currency -> Text,
        total_amount -> Int8,
        refunded_amount -> Int8,
        stock_state -> Text,
        reserved_until -> Timestamptz,
        payment_intent_id -> Nullable<Text>,
        client_secret -> Nullable<Text>,
        payment_status -> Nullable<Text>,
        payment_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        paid_at -> Nullable<Timestamptz>,
        intent_cleanup -> Bool,
        sweep_attempts -> Int4,
        next_sweep_at -> Nullable<Timestamptz>,
        reservation_limit -> Nullable<Timestamptz>,
        client_key -> Nullable<Bytea>,
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
        price_from -> Nullable<Int8>,
        currency -> Nullable<Text>,
    }
}

diesel::table! {
    refunds (id) {
        id -> Uuid,
        order_id -> Uuid,
        idempotency_key -> Nullable<Text>,
        amount -> Int8,
        status -> Text,
        stripe_refund_id -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stripe_events (id) {
        id -> Text,
        event_type -> Text,
        order_id -> Nullable<Uuid>,
        received_at -> Timestamptz,
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
diesel::joinable!(checkout_sessions -> orders (order_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_lines -> variants (variant_id));
diesel::joinable!(orders -> carts (cart_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(refunds -> orders (order_id));
diesel::joinable!(variants -> products (product_id));

diesel::allow_tables_to_appear_in_same_query!(
    cart_lines,
    carts,
    categories,
    checkout_sessions,
    order_lines,
    orders,
    products,
    refunds,
    stripe_events,
    variants,
);
