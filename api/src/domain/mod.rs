//! Values with rules of their own, checked once where they enter the system.

pub mod accounts;
pub mod address;
pub mod catalog;
pub mod country;
pub mod currency;
pub mod email;
pub mod fulfillment;
pub mod lookup;
pub mod money;
pub mod pricing;
pub mod promotion;
pub mod shipping;
pub mod staff;
pub mod status;
pub mod tax;
