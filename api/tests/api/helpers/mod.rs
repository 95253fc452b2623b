//! Test harness: the application under test (`app`), the Stripe stand-in it talks to (`stripe`),
//! and the PostgreSQL databases each test gets (`postgres`).

pub mod app;
pub mod postgres;
pub mod stripe;

pub use app::*;
pub use postgres::{ThrowawayCluster, database_url, maintenance};
pub use stripe::*;
