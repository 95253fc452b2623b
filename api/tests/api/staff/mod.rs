//! The back office's staff: sessions (login, fixation, expiry, logout, password change), CSRF
//! and origin checks, failed logins, roles against every admin operation, API keys, and the
//! audit log.

mod audit;
mod keys;
mod logins;
mod roles;
mod sessions;
