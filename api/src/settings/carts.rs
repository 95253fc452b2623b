//! How long carts live, and what keeps one client from holding the stock for everyone else.

use std::time::Duration;

use super::parse::parse_in_range;
use super::{RawSettings, SettingsError};

#[derive(Debug, Clone)]
pub struct CartSettings {
    /// A cart nobody changed for this long is gone.
    pub idle_ttl: Duration,
    /// How often expired carts are deleted.
    pub sweep_interval: Duration,
    /// The most units of one variant a cart line may hold.
    pub max_line_quantity: i32,
}

/// What keeps one client from holding the stock for everyone else.
#[derive(Debug, Clone, Copy)]
pub struct CheckoutSettings {
    /// How long a checkout holds stock until the shopper's first payment attempt; an attempt
    /// extends it to the full `reservation_ttl`.
    pub hold: Duration,
    /// The most units of one variant a single order may take.
    pub max_units_per_variant: i32,
    /// The most checkouts awaiting payment that one client may have at once.
    pub max_open_per_client: i64,
}

impl RawSettings {
    pub(super) fn carts(&self) -> Result<CartSettings, SettingsError> {
        Ok(CartSettings {
            idle_ttl: Duration::from_secs(parse_in_range(
                "CART_TTL_SECS",
                &self.cart_ttl_secs,
                60,
                366 * 24 * 3600,
            )?),
            sweep_interval: Duration::from_secs(parse_in_range(
                "CART_SWEEP_INTERVAL_SECS",
                &self.cart_sweep_interval_secs,
                1,
                24 * 3600,
            )?),
            max_line_quantity: parse_in_range(
                "CART_MAX_LINE_QUANTITY",
                &self.cart_max_line_quantity,
                1,
                10_000,
            )?,
        })
    }

    pub(super) fn checkout(
        &self,
        reservation_ttl: Duration,
    ) -> Result<CheckoutSettings, SettingsError> {
        Ok(CheckoutSettings {
            hold: Duration::from_secs(parse_in_range(
                "RESERVATION_HOLD_SECS",
                &self.reservation_hold_secs,
                1,
                7 * 24 * 3600,
            )?)
            .min(reservation_ttl),
            max_units_per_variant: parse_in_range(
                "CHECKOUT_MAX_UNITS_PER_VARIANT",
                &self.checkout_max_units_per_variant,
                1,
                10_000,
            )?,
            max_open_per_client: parse_in_range(
                "CHECKOUT_MAX_OPEN_PER_CLIENT",
                &self.checkout_max_open_per_client,
                1,
                10_000,
            )?,
        })
    }
}
