//! The shop's JSON API: catalog, guest carts, checkout through Stripe, orders, and the admin.

pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod payments;
pub mod routes;
pub mod seed;
pub mod services;
pub mod settings;
pub mod startup;
pub mod telemetry;
