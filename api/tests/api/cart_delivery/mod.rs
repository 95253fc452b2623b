//! Where a cart goes and how: addresses checked field by field, shipping options from the
//! address's zone, and shipping and tax priced into the cart's totals.

mod addresses;
mod checkout;
mod pricing;
