//! Operations that combine several queries and the shop's rules in one transaction.

pub mod carts;
pub mod checkout;
pub mod orders;
pub mod refunds;
pub mod stripe_events;
