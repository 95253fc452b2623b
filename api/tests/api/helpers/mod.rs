//! Test harness: the application under test (`app`), the Stripe stand-in it talks to (`stripe`),
//! the PostgreSQL databases each test gets (`postgres`), and the steps tests are written in: a
//! shopper's and an admin's (`shopper`, `delivery`), and Stripe's events (`events`).

pub mod app;
pub mod customer;
pub mod delivery;
pub mod events;
pub mod mail;
pub mod postgres;
pub mod raw_http;
pub mod shopper;
pub mod staff;
pub mod stripe;

pub use app::*;
pub use customer::*;
pub use delivery::*;
pub use events::*;
pub use mail::*;
pub use postgres::{
    ThrowawayCluster, create_test_database, database_url, drop_test_database, maintenance,
};
pub use shopper::*;
pub use staff::*;
pub use stripe::*;
