//! API tests: the real application over HTTP against a real PostgreSQL, one database per test.

// A failed unwrap is a failed test, with its location; that is what tests want.
#![allow(clippy::unwrap_used)]

mod admin;
mod cart_changes;
mod cart_delivery;
mod carts;
mod catalog;
mod catalog_search;
mod catalog_totals;
mod checkout;
mod cli;
mod currencies;
mod customers;
mod demo_payments;
mod edit_during_checkout;
mod emails;
mod errors;
mod fulfillment;
mod health;
mod helpers;
mod hoarding;
mod images;
mod metrics;
mod openapi;
mod orders;
mod payment_events;
mod processes;
mod promotions;
mod refunds;
mod reports;
mod sale_prices;
mod shipping;
mod sold_out;
mod staff;
mod stripe_faults;
mod taxes;
mod traces;
mod webhooks;
