//! Shoppers' accounts: sign-up without telling which addresses have accounts, confirmation by
//! link and password, sessions (cookie, fixation, CSRF, lockout, throttle), password reset, and
//! the account's orders, guest orders of the confirmed address included.

mod logins;
mod orders;
mod registration;
mod reset;
