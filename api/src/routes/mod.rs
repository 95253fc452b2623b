//! HTTP handlers, one module per resource. Handlers parse and answer; queries live in `db`.

pub mod admin;
pub mod carts;
pub mod categories;
pub mod checkout;
pub mod health;
pub mod products;
pub mod shop_config;
pub mod webhooks;

use actix_web::middleware::from_fn;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`; the OpenAPI document is collected from these registrations.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::configure)
        .configure(products::configure)
        .configure(categories::configure)
        .configure(carts::configure)
        .configure(shop_config::configure)
        .configure(checkout::configure)
        .configure(webhooks::configure)
        .service(
            scope::scope("/admin")
                .wrap(from_fn(admin::require_admin))
                .configure(admin::configure)
                .default_service(actix_web::web::to(crate::error::not_found)),
        );
}

/// The `Idempotency-Key` a creating call must carry: 1 to 255 printable ASCII characters.
pub fn idempotency_key(req: &actix_web::HttpRequest) -> Result<String, crate::error::ApiError> {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .ok_or_else(|| {
            crate::error::ApiError::BadRequest(
                "an Idempotency-Key header of 1 to 255 printable characters is required".into(),
            )
        })
}

/// The peers (nginx) whose `X-Real-IP` header names the client, from `API_TRUSTED_PROXIES`.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<ipnet::IpNet>);

/// The client's address: the peer's, or the one a trusted proxy names in `X-Real-IP`.
pub fn client_ip(req: &actix_web::HttpRequest, trusted: &TrustedProxies) -> std::net::IpAddr {
    let peer = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |addr| addr.ip());
    if !trusted.0.iter().any(|net| net.contains(&peer)) {
        return peer;
    }
    req.headers()
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer)
}
