//! The request headers the API reads, each parsed once by an extractor that is also the
//! parameter the OpenAPI document lists, so the contract and the parsing cannot drift apart.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use utoipa::IntoParams;

use crate::error::{AccessRefusal, ApiError};
use crate::services::carts::{CartKey, Precondition};
use crate::services::staff::Principal;

/// The header a creating call carries so that a retry answers what the first call did.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
pub const CART_SECRET: &str = "cart-secret";
pub const ORDER_SECRET: &str = "order-secret";

fn header_text(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A checkout or refund is created at most once per key; a retry with the same key replays it.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKey {
    /// A key the client chooses, unique per creation it means: 1 to 255 printable ASCII characters.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        example = "6c1f1a7e-checkout-1"
    )]
    pub key: String,
}

impl IdempotencyKey {
    pub fn parse(req: &HttpRequest) -> Result<Self, ApiError> {
        header_text(req, IDEMPOTENCY_KEY)
            .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .map(|key| IdempotencyKey { key })
            .ok_or_else(|| {
                ApiError::BadRequest(
                    "an Idempotency-Key header of 1 to 255 printable characters is required".into(),
                )
            })
    }
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::parse(req))
    }
}

/// The secret that proves the caller created the cart. A missing or wrong one answers 404, as
/// a cart that does not exist would, so secrets cannot be probed.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct CartSecret {
    /// The `secret` returned when the cart was created.
    #[param(
        rename = "Cart-Secret",
        pattern = "^[0-9a-f]{64}$",
        example = "4f1c2a9be0d84b7f9c3e5a6d7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708"
    )]
    pub secret: String,
}

impl CartSecret {
    pub fn into_option(self) -> Option<String> {
        Some(self.secret).filter(|s| !s.is_empty())
    }
}

impl FromRequest for CartSecret {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(CartSecret {
            secret: header_text(req, CART_SECRET).unwrap_or_default(),
        }))
    }
}

/// A cart's secret and, for a change, the version the client last saw.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct CartAccess {
    /// The `secret` returned when the cart was created.
    #[param(
        rename = "Cart-Secret",
        pattern = "^[0-9a-f]{64}$",
        example = "4f1c2a9be0d84b7f9c3e5a6d7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708"
    )]
    pub secret: String,
    /// The cart's `ETag` (such as `"3"`), or `*`: the change applies only if the cart is still
    /// at that version (412 if not). A value of another form names no version the cart can have,
    /// and answers 412 as well.
    #[param(
        rename = "If-Match",
        value_type = String,
        required = false,
        pattern = r#"^(\*|(W/)?"?[0-9]{1,18}"?)$"#,
        example = "\"3\""
    )]
    pub if_match: Option<String>,
    #[param(ignore)]
    pub precondition: Precondition,
}

impl CartAccess {
    pub fn secret(&self) -> Option<String> {
        Some(self.secret.clone()).filter(|s| !s.is_empty())
    }

    /// The claim to cart `id` these headers make.
    pub fn key(&self, id: uuid::Uuid) -> CartKey {
        CartKey {
            id,
            secret: self.secret(),
        }
    }
}

impl FromRequest for CartAccess {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let if_match = req.headers().get(header::IF_MATCH);
        ready(Ok(CartAccess {
            secret: header_text(req, CART_SECRET).unwrap_or_default(),
            if_match: if_match.and_then(|v| v.to_str().ok()).map(str::to_owned),
            precondition: precondition(if_match.map(|v| v.to_str())),
        }))
    }
}

/// `If-Match` as the cart reads it: `*` or absent holds always; an unreadable one never does.
fn precondition(if_match: Option<Result<&str, header::ToStrError>>) -> Precondition {
    let Some(raw) = if_match else {
        return Precondition::None;
    };
    let Ok(raw) = raw else {
        return Precondition::Unsatisfiable;
    };
    let versions: Vec<&str> = raw.split(',').map(str::trim).collect();
    if versions.contains(&"*") {
        return Precondition::None;
    }
    versions
        .iter()
        .filter_map(|tag| {
            tag.trim_start_matches("W/")
                .trim_matches('"')
                .parse::<i64>()
                .ok()
        })
        .next()
        .map_or(Precondition::Unsatisfiable, Precondition::Version)
}

/// The secret a checkout session hands out, proving the caller may read its order.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct OrderSecret {
    /// The `order_secret` returned when the checkout session was created.
    #[param(
        rename = "Order-Secret",
        pattern = "^[0-9a-f]{64}$",
        example = "b2f0c6d1e4a9f8b7c6d5e4f3a2b1c0d91e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b"
    )]
    pub secret: String,
}

impl FromRequest for OrderSecret {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(OrderSecret {
            secret: header_text(req, ORDER_SECRET).unwrap_or_default(),
        }))
    }
}

/// A link from an order lookup email: it opens the paid orders of the address it was sent to.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct LookupToken {
    /// The `token` of the link `POST /orders/lookup` mailed (after `#token=`).
    #[param(
        rename = "Lookup-Token",
        value_type = Option<String>,
        pattern = "^[0-9a-f]{2,508}\\.[0-9]{1,20}\\.[0-9a-f]{64}$",
        example = "616461406578616d706c652e636f6d.1795000000.9c1f0e3b5a7d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6"
    )]
    pub token: Option<String>,
}

impl FromRequest for LookupToken {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(LookupToken {
            token: header_text(req, "lookup-token"),
        }))
    }
}

/// Stripe's signature of a webhook's body; checked by the service before the body is read.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct StripeSignature {
    /// Stripe's signature of the body: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
    /// possibly followed by more `v1` and `v0` entries.
    #[param(
        rename = "Stripe-Signature",
        value_type = String,
        required = true,
        pattern = "^t=[0-9]{1,18}(,v[0-9]+=[0-9a-f]{2,128})*,v1=[0-9a-f]{64}(,v[0-9]+=[0-9a-f]{2,128})*$"
    )]
    pub value: Option<String>,
}

impl FromRequest for StripeSignature {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(StripeSignature {
            value: header_text(req, "stripe-signature"),
        }))
    }
}

/// Whoever the admin middleware let through, for the operation's row in
/// [`crate::http::access`]. Handlers take it so that an admin operation cannot be mounted where
/// nobody checked the caller: without a row, nobody was let through, and everyone is refused.
#[derive(Debug, Clone)]
pub struct Admin(pub Principal);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Principal>()
                .cloned()
                .map(Admin)
                .ok_or_else(|| ApiError::Forbidden {
                    reason: AccessRefusal::RoleForbids,
                    detail: "this operation has no access rule, so nobody may call it".into(),
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn read(if_match: &str) -> Precondition {
        let value = HeaderValue::from_str(if_match).expect("header");
        precondition(Some(value.to_str()))
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(precondition(None), Precondition::None);
        assert_eq!(read("\"3\""), Precondition::Version(3));
        assert_eq!(read("3"), Precondition::Version(3));
        assert_eq!(read("W/\"7\""), Precondition::Version(7));
        assert_eq!(read("*"), Precondition::None);
        assert_eq!(read("\"abc\""), Precondition::Unsatisfiable);
    }
}
