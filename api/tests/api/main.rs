//! API tests: the real application over HTTP against a real PostgreSQL, one database per test.

// A failed unwrap is a failed test, with its location; that is what tests want.
#![allow(clippy::unwrap_used)]

mod admin;
mod carts;
mod catalog;
mod checkout;
mod cli;
mod currencies;
mod errors;
mod health;
mod helpers;
mod hoarding;
mod openapi;
mod payment_events;
mod stripe_faults;
