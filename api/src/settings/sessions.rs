//! Login sessions and login throttling (OWASP ASVS 2.2 and 3.3), set apart for the back office
//! (`ADMIN_*`) and for shoppers' accounts (`CUSTOMER_*`).

use std::time::Duration;

use super::parse::{parse_flag, parse_in_range};
use super::{RawSettings, SettingsError};

#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    /// Whether the session cookie is `Secure` (and so `__Host-` prefixed). Only a stack served
    /// over plain http, on localhost, turns it off.
    pub cookie_secure: bool,
    pub session_idle: Duration,
    pub session_max_age: Duration,
    /// Failed logins in a row that lock an account.
    pub lock_after: i32,
    /// The first lock's length; each next one doubles it, up to `max_lock`.
    pub lock_for: Duration,
    pub max_lock: Duration,
    /// Failed logins one client address may make within `login_window`.
    pub login_client_limit: i64,
    pub login_window: Duration,
}

/// The raw values of one realm's variables, named `{prefix}_COOKIE_SECURE` and so on.
struct RawSessions<'a> {
    prefix: &'static str,
    cookie_secure: &'a str,
    idle_secs: &'a str,
    max_secs: &'a str,
    lock_after_failures: &'a str,
    lock_secs: &'a str,
    login_client_limit: &'a str,
    login_window_secs: &'a str,
}

impl RawSessions<'_> {
    fn parse(
        &self,
        max_age_limit: u64,
        max_lock: Duration,
    ) -> Result<SessionSettings, SettingsError> {
        let prefix = self.prefix;
        let secs = |name: &str, value: &str, min: u64, max: u64| {
            parse_in_range(&format!("{prefix}_{name}"), value, min, max).map(Duration::from_secs)
        };
        let session_idle = secs("SESSION_IDLE_SECS", self.idle_secs, 60, max_age_limit)?;
        let session_max_age = secs("SESSION_MAX_SECS", self.max_secs, 60, max_age_limit)?;
        Ok(SessionSettings {
            cookie_secure: parse_flag(&format!("{prefix}_COOKIE_SECURE"), self.cookie_secure)?,
            session_idle: session_idle.min(session_max_age),
            session_max_age,
            lock_after: parse_in_range(
                &format!("{prefix}_LOCK_AFTER_FAILURES"),
                self.lock_after_failures,
                1,
                100,
            )?,
            lock_for: secs("LOCK_SECS", self.lock_secs, 1, max_lock.as_secs())?,
            max_lock,
            login_client_limit: parse_in_range(
                &format!("{prefix}_LOGIN_CLIENT_LIMIT"),
                self.login_client_limit,
                1,
                100_000,
            )?,
            login_window: secs("LOGIN_WINDOW_SECS", self.login_window_secs, 1, 86_400)?,
        })
    }
}

impl RawSettings {
    pub(super) fn staff(&self) -> Result<SessionSettings, SettingsError> {
        RawSessions {
            prefix: "ADMIN",
            cookie_secure: &self.admin_cookie_secure,
            idle_secs: &self.admin_session_idle_secs,
            max_secs: &self.admin_session_max_secs,
            lock_after_failures: &self.admin_lock_after_failures,
            lock_secs: &self.admin_lock_secs,
            login_client_limit: &self.admin_login_client_limit,
            login_window_secs: &self.admin_login_window_secs,
        }
        .parse(30 * 86_400, Duration::from_secs(86_400))
    }

    /// A shopper's lock is short: anyone who knows an address can lock its account.
    pub(super) fn customers(&self) -> Result<SessionSettings, SettingsError> {
        RawSessions {
            prefix: "CUSTOMER",
            cookie_secure: &self.customer_cookie_secure,
            idle_secs: &self.customer_session_idle_secs,
            max_secs: &self.customer_session_max_secs,
            lock_after_failures: &self.customer_lock_after_failures,
            lock_secs: &self.customer_lock_secs,
            login_client_limit: &self.customer_login_client_limit,
            login_window_secs: &self.customer_login_window_secs,
        }
        .parse(365 * 86_400, Duration::from_secs(3_600))
    }
}
