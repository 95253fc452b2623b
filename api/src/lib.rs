//! The shop's JSON API: catalog, guest carts, admin, and (to come) checkout and orders.

pub mod db;
pub mod domain;
pub mod error;
pub mod openapi;
pub mod payments;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod services;
pub mod settings;
pub mod startup;
