//! The back office's sessions and login throttling (OWASP ASVS 2.2 and 3.3).

use std::time::Duration;

use super::parse::{parse_flag, parse_in_range};
use super::{RawSettings, SettingsError};

#[derive(Debug, Clone, Copy)]
pub struct StaffSettings {
    /// Whether the session cookie is `Secure` (and so `__Host-` prefixed). Only a stack served
    /// over plain http, on localhost, turns it off.
    pub cookie_secure: bool,
    pub session_idle: Duration,
    pub session_max_age: Duration,
    /// Failed logins in a row that lock an account.
    pub lock_after: i32,
    /// The first lock's length; each next one doubles it, up to a day.
    pub lock_for: Duration,
    /// Failed logins one client address may make within `login_window`.
    pub login_client_limit: i64,
    pub login_window: Duration,
}

impl RawSettings {
    pub(super) fn staff(&self) -> Result<StaffSettings, SettingsError> {
        let secs = |name: &str, value: &str, min: u64, max: u64| {
            parse_in_range(name, value, min, max).map(Duration::from_secs)
        };
        let session_idle = secs(
            "ADMIN_SESSION_IDLE_SECS",
            &self.admin_session_idle_secs,
            60,
            86_400,
        )?;
        let session_max_age = secs(
            "ADMIN_SESSION_MAX_SECS",
            &self.admin_session_max_secs,
            60,
            30 * 86_400,
        )?;
        Ok(StaffSettings {
            cookie_secure: parse_flag("ADMIN_COOKIE_SECURE", &self.admin_cookie_secure)?,
            session_idle: session_idle.min(session_max_age),
            session_max_age,
            lock_after: parse_in_range(
                "ADMIN_LOCK_AFTER_FAILURES",
                &self.admin_lock_after_failures,
                1,
                100,
            )?,
            lock_for: secs("ADMIN_LOCK_SECS", &self.admin_lock_secs, 1, 86_400)?,
            login_client_limit: parse_in_range(
                "ADMIN_LOGIN_CLIENT_LIMIT",
                &self.admin_login_client_limit,
                1,
                100_000,
            )?,
            login_window: secs(
                "ADMIN_LOGIN_WINDOW_SECS",
                &self.admin_login_window_secs,
                1,
                86_400,
            )?,
        })
    }
}
