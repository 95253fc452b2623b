//! The shop's JSON API: catalog, admin, and (to come) carts, checkout and orders.

pub mod db;
pub mod domain;
pub mod error;
pub mod openapi;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod startup;
