//! The rules every login session and every failed login follow: how long a session lives unused
//! and at most, and how failures lock an account and throttle the client that makes them.

use std::time::Duration;

use crate::settings::SessionSettings;

#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    /// A session unused this long has ended.
    pub idle: Duration,
    /// A session this old has ended, used or not.
    pub max_age: Duration,
    /// Failed logins in a row that lock an account.
    pub lock_after: i32,
    /// How long the first lock lasts.
    pub lock_for: Duration,
    /// The longest an account is locked for, however many failures it has had.
    pub max_lock: Duration,
    /// Failed logins one client may make within `client_window`.
    pub client_limit: i64,
    pub client_window: Duration,
}

impl From<SessionSettings> for SessionRules {
    fn from(settings: SessionSettings) -> SessionRules {
        SessionRules {
            idle: settings.session_idle,
            max_age: settings.session_max_age,
            lock_after: settings.lock_after,
            lock_for: settings.lock_for,
            max_lock: settings.max_lock,
            client_limit: settings.login_client_limit,
            client_window: settings.login_window,
        }
    }
}

impl SessionRules {
    pub fn secs(duration: Duration) -> i32 {
        i32::try_from(duration.as_secs()).unwrap_or(i32::MAX)
    }

    /// How long to lock an account that has now failed `failures` times in a row, if at all.
    pub fn lock_after_failures(&self, failures: i32) -> Option<Duration> {
        if self.lock_after < 1 || failures % self.lock_after != 0 {
            return None;
        }
        let doublings = u32::try_from(failures / self.lock_after - 1)
            .unwrap_or(0)
            .min(16);
        Some(
            self.lock_for
                .saturating_mul(1 << doublings)
                .min(self.max_lock),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fifth_failure_locks_twice_as_long_as_the_last() {
        let rules = SessionRules {
            idle: Duration::from_secs(1800),
            max_age: Duration::from_secs(43200),
            lock_after: 5,
            lock_for: Duration::from_secs(900),
            max_lock: Duration::from_secs(86_400),
            client_limit: 20,
            client_window: Duration::from_secs(900),
        };
        assert_eq!(rules.lock_after_failures(4), None);
        assert_eq!(rules.lock_after_failures(5), Some(Duration::from_secs(900)));
        assert_eq!(rules.lock_after_failures(6), None);
        assert_eq!(
            rules.lock_after_failures(10),
            Some(Duration::from_secs(1800))
        );
        assert_eq!(rules.lock_after_failures(500), Some(rules.max_lock));
    }
}
