//! Shoppers' accounts: sign-up without telling which addresses have accounts, confirmation by
//! link and password, sessions (cookie, fixation, CSRF, lockout, throttle), password reset, and
//! the account's orders, guest orders of the confirmed address included; the account's cart and
//! address book, checkout signed in, the profile and consent, export, erasure and retention.

mod addresses;
mod carts;
mod logins;
mod orders;
mod privacy;
mod profile;
mod registration;
mod reset;
