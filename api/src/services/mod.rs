//! The shop's flows and rules. Each public function is one thing a route asks for; it runs its
//! transactions, talks to Stripe outside them, and answers the view the API shows.

pub mod admin_catalog;
pub mod audit;
pub mod auth;
pub mod cancellations;
pub mod carts;
pub mod catalog;
pub mod checkout;
pub mod customers;
pub mod demo_payments;
pub mod emails;
pub mod fulfillments;
pub mod health;
pub mod lookup;
pub mod monitoring;
pub mod orders;
pub mod patches;
pub mod promotions;
pub mod refunds;
pub mod reports;
pub mod shipping;
pub mod staff;
pub mod storefront;
pub mod stripe_events;
pub mod sweeps;
pub mod taxes;

pub use crate::db::Pool;
pub use crate::mail::Mailer;
pub use crate::payments::Payments;
