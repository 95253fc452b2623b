//! Shipping as the admin sees it: each zone with its countries and all its rates, inactive ones
//! included.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::country::Country;
use crate::domain::money::MoneyView;

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminShippingRate {
    pub id: Uuid,
    pub zone_id: Uuid,
    pub name: String,
    /// Charged once per cart.
    pub price: MoneyView,
    /// A cart subtotal at or above this ships for nothing.
    pub free_above: Option<MoneyView>,
    /// Added for every unit in the cart.
    pub per_item: Option<MoneyView>,
    pub active: bool,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminShippingZone {
    pub id: Uuid,
    pub name: String,
    /// In code order.
    pub countries: Vec<Country>,
    /// In display order.
    pub rates: Vec<AdminShippingRate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every shipping zone, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminShippingZoneList {
    pub items: Vec<AdminShippingZone>,
}
