//! A shipment as the admin records it, read from the request and checked field by field.

use std::borrow::Cow;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::catalog::text;
use crate::domain::fulfillment::{
    MAX_CARRIER_LEN, MAX_SHIPMENT_LINES, MAX_TRACKING_NUMBER_LEN, ShipmentLine, tracking_url,
};
use crate::error::{ApiError, FieldError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "lines": [{"line_id": "0b5c3a9e-3f1d-4a53-9b43-0a4f6f1e2d7c", "quantity": 1}],
    "carrier": "La Poste", "tracking_number": "6A12345678901",
    "tracking_url": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
}))]
pub struct NewFulfillmentInput {
    /// The order lines in the parcel, each once, with how many of its units.
    #[schema(min_items = 1, max_items = 100)]
    pub lines: Vec<FulfillmentLineInput>,
    /// 1 to 100 characters once trimmed.
    pub carrier: String,
    /// 1 to 100 characters once trimmed.
    pub tracking_number: String,
    /// Where the shopper follows the parcel: an http or https URL of at most 2000 characters.
    #[serde(default)]
    pub tracking_url: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FulfillmentLineInput {
    /// An `id` from the order's `lines`.
    pub line_id: Uuid,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i32,
}

/// A shipment whose fields are each acceptable; whether the order can take it is the service's
/// to say under the order's lock.
#[derive(Debug)]
pub struct ShipmentRequest {
    pub lines: Vec<ShipmentLine>,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
}

impl NewFulfillmentInput {
    pub fn check(self) -> Result<ShipmentRequest, ApiError> {
        let mut errors = Vec::new();
        let mut field = |field: &'static str, message: String| {
            errors.push(FieldError {
                field: Cow::Borrowed(field),
                message,
            });
        };
        let carrier = text("carrier", &self.carrier, MAX_CARRIER_LEN)
            .map_err(|e| field(e.field, e.message))
            .ok();
        let tracking_number = text(
            "tracking_number",
            &self.tracking_number,
            MAX_TRACKING_NUMBER_LEN,
        )
        .map_err(|e| field(e.field, e.message))
        .ok();
        let url = match self.tracking_url.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(url) => tracking_url(url)
                .map(Some)
                .map_err(|message| field("tracking_url", message.to_owned()))
                .ok(),
        };
        if self.lines.is_empty() || self.lines.len() > MAX_SHIPMENT_LINES {
            field(
                "lines",
                format!("must list 1 to {MAX_SHIPMENT_LINES} order lines"),
            );
        }
        match (carrier, tracking_number, url) {
            (Some(carrier), Some(tracking_number), Some(tracking_url)) if errors.is_empty() => {
                Ok(ShipmentRequest {
                    lines: self
                        .lines
                        .iter()
                        .map(|line| ShipmentLine {
                            line_id: line.line_id,
                            quantity: line.quantity,
                        })
                        .collect(),
                    carrier,
                    tracking_number,
                    tracking_url,
                })
            }
            _ => Err(ApiError::InvalidFields(errors)),
        }
    }
}
