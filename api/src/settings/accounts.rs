//! The accounts' housekeeping, and how long guest orders keep their buyer's personal data.

use std::time::Duration;

use super::parse::parse_in_range;
use super::{RawSettings, SettingsError};

#[derive(Debug, Clone, Copy)]
pub struct AccountHousekeeping {
    /// How often stale sessions, spent links and unconfirmed sign-ups are forgotten.
    pub sweep_interval: Duration,
    /// Guest orders older than this many years are anonymised; `None` (the default) keeps them.
    pub guest_order_retention_years: Option<i32>,
}

impl RawSettings {
    pub(super) fn accounts(&self) -> Result<AccountHousekeeping, SettingsError> {
        let years = self.guest_order_retention_years.trim();
        Ok(AccountHousekeeping {
            sweep_interval: Duration::from_secs(parse_in_range(
                "ACCOUNT_SWEEP_INTERVAL_SECS",
                &self.account_sweep_interval_secs,
                1,
                86_400,
            )?),
            guest_order_retention_years: if years.is_empty() {
                None
            } else {
                Some(parse_in_range("GUEST_ORDER_RETENTION_YEARS", years, 1, 30)?)
            },
        })
    }
}
