//! How settings are read, defaulted and refused.

use super::*;

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const DB: (&str, &str) = ("DATABASE_URL", "postgres://shop:pw@db:5432/shop");

#[test]
fn defaults_apply_when_only_the_database_is_given() {
    let settings = Settings::from_env_map(vars(&[DB])).expect("valid");
    assert_eq!(settings.port, 8080);
    assert_eq!(settings.host, "127.0.0.1");
    assert!(settings.admin_api_token.is_none());
    assert!(settings.cors_allowed_origins.is_empty());
    assert_eq!(settings.shop_currency.code(), "EUR");
    assert_eq!(settings.stripe.api_base, "https://api.stripe.com");
}

#[test]
fn missing_database_url_names_the_variable() {
    let err = Settings::from_env_map(vars(&[])).unwrap_err().to_string();
    assert_eq!(err, "configuration error: DATABASE_URL is required");
}

#[test]
fn malformed_port_names_the_variable() {
    let err = Settings::from_env_map(vars(&[DB, ("PORT", "eighty")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PORT"), "{err}");
    assert!(!err.contains('\n'));
}

#[test]
fn app_prefix_overrides_the_plain_name() {
    let settings =
        Settings::from_env_map(vars(&[DB, ("PORT", "9000"), ("APP_PORT", "9100")])).expect("valid");
    assert_eq!(settings.port, 9100);
}

#[test]
fn secrets_never_show_in_debug_output() {
    let token = "t0ps3cret-t0ps3cret-t0ps3cret-t0ps3cret";
    let settings = Settings::from_env_map(vars(&[
        DB,
        ("ADMIN_API_TOKEN", token),
        ("STRIPE_SECRET_KEY", "sk_test_hidden"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_hidden"),
    ]))
    .expect("valid");
    let debug = format!("{settings:?}");
    for secret in [token, "sk_test_hidden", "whsec_hidden", "pw@db"] {
        assert!(!debug.contains(secret), "{secret} leaked into {debug}");
    }
}

#[test]
fn numeric_looking_secrets_stay_verbatim() {
    let token = "00000000000000000000000000000001e5";
    let settings = Settings::from_env_map(vars(&[DB, ("ADMIN_API_TOKEN", token)])).expect("valid");
    let stored = settings.admin_api_token.expect("token");
    assert_eq!(stored.expose_secret(), token);
}

#[test]
fn secrets_can_come_from_files() {
    let dir = std::env::temp_dir().join(format!("shop-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let token_file = dir.join("admin_api_token");
    std::fs::write(&token_file, "f".repeat(40) + "\n").expect("write secret");
    let path = token_file.to_string_lossy().into_owned();
    let settings =
        Settings::from_env_map(vars(&[DB, ("ADMIN_API_TOKEN_FILE", &path)])).expect("valid");
    assert_eq!(
        settings.admin_api_token.expect("token").expose_secret(),
        "f".repeat(40)
    );

    let both = Settings::from_env_map(vars(&[
        DB,
        ("ADMIN_API_TOKEN_FILE", &path),
        ("ADMIN_API_TOKEN", "x"),
    ]))
    .unwrap_err()
    .to_string();
    assert!(both.contains("not both"), "{both}");
    let missing =
        Settings::from_env_map(vars(&[DB, ("STRIPE_SECRET_KEY_FILE", "/nonexistent/key")]))
            .unwrap_err()
            .to_string();
    assert!(missing.contains("STRIPE_SECRET_KEY_FILE"), "{missing}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn short_admin_token_is_refused() {
    let err = Settings::from_env_map(vars(&[DB, ("ADMIN_API_TOKEN", "short")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("ADMIN_API_TOKEN"), "{err}");
}

#[test]
fn cors_origins_are_split_and_checked() {
    let settings = Settings::from_env_map(vars(&[
        DB,
        (
            "CORS_ALLOWED_ORIGINS",
            "https://a.example, http://localhost:5173",
        ),
    ]))
    .expect("valid");
    assert_eq!(
        settings.cors_allowed_origins,
        ["https://a.example", "http://localhost:5173"]
    );
    let err = Settings::from_env_map(vars(&[
        DB,
        ("CORS_ALLOWED_ORIGINS", "https://a.example/path"),
    ]))
    .unwrap_err()
    .to_string();
    assert!(err.contains("CORS_ALLOWED_ORIGINS"), "{err}");
}

#[test]
fn image_origins_are_parsed_once_and_refused_whole() {
    let defaults = Settings::from_env_map(vars(&[DB])).expect("valid");
    assert!(defaults.image_origins.as_slice().is_empty());
    let settings = Settings::from_env_map(vars(&[
        DB,
        (
            "IMAGE_ORIGINS",
            "https://cdn.example.com, https://img.example.net:8443",
        ),
    ]))
    .expect("valid");
    assert_eq!(
        settings.image_origins.as_slice(),
        ["https://cdn.example.com", "https://img.example.net:8443"]
    );
    assert!(
        settings
            .image_origins
            .allows("https://cdn.example.com/a.png")
    );
    for bad in [
        "http://cdn.example.com",
        "https://cdn.example.com/images",
        "https://cdn.example.com; script-src *",
        "https://cdn.example.com,ftp://x",
    ] {
        let err = Settings::from_env_map(vars(&[DB, ("IMAGE_ORIGINS", bad)]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("configuration error: IMAGE_ORIGINS: "),
            "{err}"
        );
        assert!(err.contains("https://host[:port]"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

#[test]
fn unknown_shop_currency_is_refused() {
    for code in ["XYZ", "IQD"] {
        let err = Settings::from_env_map(vars(&[DB, ("SHOP_CURRENCY", code)]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("SHOP_CURRENCY"), "{err}");
    }
}

#[test]
fn prices_include_tax_unless_told_otherwise() {
    use crate::domain::pricing::TaxMode;
    let default = Settings::from_env_map(vars(&[DB])).expect("valid");
    assert_eq!(default.tax_mode, TaxMode::Inclusive);
    let us = Settings::from_env_map(vars(&[DB, ("PRICES_INCLUDE_TAX", "false")])).expect("valid");
    assert_eq!(us.tax_mode, TaxMode::Exclusive);
    let err = Settings::from_env_map(vars(&[DB, ("PRICES_INCLUDE_TAX", "no")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PRICES_INCLUDE_TAX"), "{err}");
}

#[test]
fn demo_payments_serve_the_shops_own_stripe_js() {
    let settings = Settings::from_env_map(vars(&[
        DB,
        ("DEMO_PAYMENTS", "true"),
        ("STRIPE_SECRET_KEY", "sk_test_demo"),
    ]))
    .expect("valid");
    assert!(settings.stripe.demo);
    assert_eq!(settings.stripe.js_url, "/api/demo/stripe.js");
    let off = Settings::from_env_map(vars(&[DB])).expect("valid");
    assert!(!off.stripe.demo);
    assert!(off.stripe.js_url.starts_with("https://js.stripe.com/"));
}

#[test]
fn demo_payments_refuse_a_live_key() {
    for key in [
        ("STRIPE_SECRET_KEY", "sk_live_abc"),
        ("STRIPE_SECRET_KEY", "rk_live_abc"),
        ("STRIPE_PUBLISHABLE_KEY", "pk_live_abc"),
    ] {
        let err = Settings::from_env_map(vars(&[DB, ("DEMO_PAYMENTS", "true"), key]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("DEMO_PAYMENTS"), "{err}");
        Settings::from_env_map(vars(&[DB, key])).expect("a live key alone is fine");
    }
    let err = Settings::from_env_map(vars(&[DB, ("DEMO_PAYMENTS", "yes please")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("DEMO_PAYMENTS must be true or false"), "{err}");
}

#[test]
fn traces_are_off_unless_an_otlp_endpoint_is_named() {
    let settings = Settings::from_env_map(vars(&[DB])).expect("valid");
    assert!(settings.traces.is_none());
    assert_eq!(settings.metrics_port, Some(9464));
    assert!(settings.migrate_on_start);

    let base = Settings::from_env_map(vars(&[
        DB,
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
    ]))
    .expect("valid")
    .traces
    .expect("on");
    assert_eq!(base.endpoint, "http://collector:4318/v1/traces");
    assert_eq!(base.protocol, TraceProtocol::Protobuf);
    assert_eq!(base.service_name, "shop-api");

    let exact = Settings::from_env_map(vars(&[
        DB,
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318"),
        (
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "http://collector:4318/traces",
        ),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
    ]))
    .expect("valid")
    .traces
    .expect("on");
    assert_eq!(exact.endpoint, "http://collector:4318/traces");
    assert_eq!(exact.protocol, TraceProtocol::Json);

    for (name, value, says) in [
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "https://collector:4318",
            "http:// URL",
        ),
        (
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "grpc",
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        ),
        ("METRICS_PORT", "nine", "METRICS_PORT"),
        ("MIGRATE_ON_START", "sometimes", "MIGRATE_ON_START"),
    ] {
        let mut given = vec![DB, (name, value)];
        if name == "OTEL_EXPORTER_OTLP_PROTOCOL" {
            given.push(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
        }
        let err = Settings::from_env_map(vars(&given))
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{name}={value}: {err}");
    }
}
