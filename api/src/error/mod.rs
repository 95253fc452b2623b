//! Every failure leaves the API as `application/problem+json` (RFC 9457) with a stable `type`.
//! Client errors explain in `detail` what to change; server errors say only that the server failed,
//! and their cause goes to the log, never into the response.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

mod framework;
mod kinds;
mod problem;
mod refusals;

pub use self::framework::{ensure_problem, json_error, path_error, query_error};
pub use self::problem::{FieldError, Problem, StockShortage};
pub use self::refusals::{AccessRefusal, OrderRefusal, PromotionRefusal};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request could not be read: malformed JSON, a bad query string, a bad header.
    #[error("{0}")]
    BadRequest(String),
    /// The request was read but its content is not acceptable; `field` names the input at fault
    /// when one is.
    #[error("{detail}")]
    Validation {
        field: Option<Cow<'static, str>>,
        detail: String,
    },
    /// Several inputs are wrong at once (an address form): each is named with its message.
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    #[error("log in, or send an API key as a bearer token; a session ends after a while unused")]
    Unauthorized,
    /// A shopper's account operation without a live session.
    #[error("sign in to your account; a session ends after a while unused")]
    SignInRequired,
    /// An emailed account link is forged, altered, expired or already used; which of these it
    /// was is not said.
    #[error("token: the link is invalid, has expired or was already used; ask for a new one")]
    LinkInvalid,
    /// A login's email and password do not match an active, unlocked account; which of these it
    /// was is not said.
    #[error(
        "the email or password is wrong; after repeated failures an account is locked for a while"
    )]
    InvalidCredentials,
    /// The caller is known but may not do this.
    #[error("{detail}")]
    Forbidden {
        reason: AccessRefusal,
        detail: String,
    },
    /// One client failed to log in too often.
    #[error("too many failed logins from this address; wait before trying again")]
    TooManyLoginAttempts { retry_after_secs: u64 },
    #[error("{0}")]
    Conflict(String),
    /// The resource is held by a checkout and cannot change.
    #[error("{0}")]
    Locked(String),
    #[error("{detail}")]
    InsufficientStock {
        detail: String,
        shortages: Vec<StockShortage>,
    },
    /// The cart lacks what this step needs: `missing` names it (`shipping_address`,
    /// `shipping_method`).
    #[error("{detail}")]
    CartIncomplete {
        detail: String,
        missing: &'static str,
    },
    /// A promotion code cannot be used; each reason has its own problem type.
    #[error("{detail}")]
    PromotionRefused {
        reason: PromotionRefusal,
        detail: String,
    },
    /// An order cannot be shipped or cancelled as asked; each reason has its own problem type.
    /// `field` names the input at fault when one is (`lines[2].quantity`).
    #[error("{detail}")]
    OrderRefused {
        reason: OrderRefusal,
        detail: String,
        field: Option<String>,
    },
    /// A checkout cannot be cancelled: its payment is being processed or has succeeded.
    #[error("{detail}")]
    PaymentUnderWay {
        detail: String,
        order_id: uuid::Uuid,
    },
    /// A country asked for in a shipping zone belongs to another zone; a country is in one zone
    /// at most, so that an address finds one set of rates.
    #[error("{detail}")]
    CountryInAnotherZone {
        detail: String,
        country: String,
        zone_id: uuid::Uuid,
    },
    /// An account cannot be erased while orders of it await payment or shipping: erasing their
    /// address would leave them unshippable.
    #[error("{detail}")]
    AccountHasOpenOrders {
        detail: String,
        order_ids: Vec<uuid::Uuid>,
    },
    /// An `If-Match` precondition did not hold.
    #[error("{0}")]
    PreconditionFailed(String),
    /// One client holds as many checkouts awaiting payment as it may.
    #[error("{detail}")]
    TooManyCheckouts {
        detail: String,
        retry_after_secs: u64,
    },
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Stripe is unreachable, slow, or not configured; retrying later may succeed.
    #[error("payment provider unavailable: {0}")]
    PaymentUnavailable(String),
    /// Stripe refused a request the shop made.
    #[error("payment provider error: {0}")]
    PaymentProvider(String),
    /// The Stripe-Signature of a webhook does not verify.
    #[error("{0}")]
    InvalidSignature(String),
    /// A dependency (the database) is down or saturated; retrying later may succeed.
    #[error("service temporarily unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A refusal of one input: the problem names `field`, and its detail starts with it.
    pub fn invalid(field: &'static str, message: impl fmt::Display) -> ApiError {
        ApiError::Validation {
            field: Some(Cow::Borrowed(field)),
            detail: format!("{field}: {message}"),
        }
    }

    /// A refusal of the request as a whole, where no one input is at fault.
    pub fn unprocessable(detail: impl Into<String>) -> ApiError {
        ApiError::Validation {
            field: None,
            detail: detail.into(),
        }
    }

    /// The same refusal about a field of one item of a list: `sku` of the second variant becomes
    /// `variants[1].sku`, so that a form can show it beside that item's input.
    pub fn within(self, list: &str, index: usize) -> ApiError {
        let ApiError::Validation {
            field: Some(field),
            detail,
        } = self
        else {
            return self;
        };
        let nested = format!("{list}[{index}].{field}");
        let detail = match detail.strip_prefix(&format!("{field}: ")) {
            Some(rest) => format!("{nested}: {rest}"),
            None => detail,
        };
        ApiError::Validation {
            field: Some(Cow::Owned(nested)),
            detail,
        }
    }

    /// serde names a missing or unknown field in backticks; the problem names it too.
    fn naming_serdes_field(self) -> ApiError {
        let ApiError::Validation {
            field: None,
            detail,
        } = self
        else {
            return self;
        };
        let field = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|prefix| detail.split_once(prefix))
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(name, _)| name)
            // Only plain names: nothing odd a client sent is echoed back.
            .filter(|name| {
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
            .map(|name| Cow::Owned(name.to_owned()));
        ApiError::Validation { field, detail }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::Unavailable(_) => {
                Some("a dependency of the shop is unavailable; retry shortly".to_owned())
            }
            ApiError::PaymentUnavailable(_) => Some(
                "the payment provider could not be reached; nothing was charged, retry shortly"
                    .to_owned(),
            ),
            ApiError::PaymentProvider(_) => {
                Some("the payment provider refused the request; nothing was charged".to_owned())
            }
            ApiError::Internal(_) => None,
            other => Some(other.to_string()),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        Problem {
            problem_type: problem_type(slug),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            field: match self {
                ApiError::Validation {
                    field: Some(field), ..
                } => Some(field.to_string()),
                ApiError::CountryInAnotherZone { .. } => Some("countries".to_owned()),
                ApiError::LinkInvalid => Some("token".to_owned()),
                ApiError::InvalidFields(errors) => errors.first().map(|e| e.field.to_string()),
                ApiError::CartIncomplete { missing, .. } => Some((*missing).to_owned()),
                ApiError::PromotionRefused { .. } => Some("code".to_owned()),
                ApiError::OrderRefused { field, .. } => field.clone(),
                _ => None,
            },
            errors: match self {
                ApiError::InvalidFields(errors) => Some(errors.clone()),
                _ => None,
            },
            shortages: match self {
                ApiError::InsufficientStock { shortages, .. } => Some(shortages.clone()),
                _ => None,
            },
            order_id: match self {
                ApiError::PaymentUnderWay { order_id, .. } => Some(*order_id),
                _ => None,
            },
            order_ids: match self {
                ApiError::AccountHasOpenOrders { order_ids, .. } => Some(order_ids.clone()),
                _ => None,
            },
            country: match self {
                ApiError::CountryInAnotherZone { country, .. } => Some(country.clone()),
                _ => None,
            },
            zone_id: match self {
                ApiError::CountryInAnotherZone { zone_id, .. } => Some(*zone_id),
                _ => None,
            },
        }
    }
}

pub fn problem_type(slug: &str) -> String {
    format!("urn:shop:problem:{slug}")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. }
            | ApiError::InvalidFields(_)
            | ApiError::LinkInvalid
            | ApiError::PromotionRefused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized | ApiError::SignInRequired | ApiError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::Conflict(_)
            | ApiError::Locked(_)
            | ApiError::InsufficientStock { .. }
            | ApiError::PaymentUnderWay { .. }
            | ApiError::AccountHasOpenOrders { .. }
            | ApiError::OrderRefused { .. }
            | ApiError::CartIncomplete { .. }
            | ApiError::CountryInAnotherZone { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyCheckouts { .. } | ApiError::TooManyLoginAttempts { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) | ApiError::PaymentUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::PaymentProvider(_) => StatusCode::BAD_GATEWAY,
            ApiError::InvalidSignature(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => log::error!("internal error: {cause}"),
            ApiError::Unavailable(cause) => log::warn!("dependency unavailable: {cause}"),
            ApiError::PaymentUnavailable(cause) | ApiError::PaymentProvider(cause) => {
                log::warn!("payment provider: {cause}")
            }
            _ => {}
        }
        let mut response = problem_response(&self.problem());
        if matches!(self, ApiError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"shop-admin\""),
            );
        }
        if matches!(self, ApiError::SignInRequired) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Cookie realm=\"shop\""),
            );
        }
        if matches!(
            self,
            ApiError::Unavailable(_) | ApiError::PaymentUnavailable(_)
        ) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        if let ApiError::TooManyCheckouts {
            retry_after_secs, ..
        }
        | ApiError::TooManyLoginAttempts { retry_after_secs } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}

pub fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(problem)
}
