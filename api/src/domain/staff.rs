//! Who works in the back office and what each may do: staff roles, the capabilities they grant,
//! and the rules a staff password must meet (OWASP ASVS 2.1: length over composition, and no
//! password everybody tries first).

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::accounts::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, WeakPassword, check_new_password,
};
use super::status::stored_as_text;

stored_as_text! {
    /// What a staff member or an API key may do; each role grants the capabilities of [`Role::may`].
    pub enum Role {
        /// Everything, including staff, API keys and the audit log.
        Owner => "owner",
        /// Catalog, stock, orders, refunds, shipping, tax and promotions.
        Manager => "manager",
        /// Reads orders and records their shipments.
        Fulfilment => "fulfilment",
        /// Reads everything a manager can change, changes nothing.
        Viewer => "viewer",
    }
}

stored_as_text! {
    /// Who made an admin request.
    pub enum ActorKind {
        Staff => "staff",
        ApiKey => "api_key",
        /// `ADMIN_API_TOKEN`, the key that exists before any staff member does.
        BootstrapToken => "bootstrap_token",
        /// Nobody yet: a failed login.
        Anonymous => "anonymous",
        /// A shopper acting on their own account (erasing it).
        Customer => "customer",
        /// The shop itself: a scheduled job (the retention sweep).
        System => "system",
    }
}

/// A kind of admin operation; every admin operation needs exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Orders, their emails.
    ReadOrders,
    /// Recording a shipment.
    ShipOrders,
    /// Catalog, shipping, tax, promotions and the reports.
    ReadShop,
    /// Changing the catalog, stock, shipping, tax and promotions; refunding, cancelling, resending.
    ManageShop,
    /// Staff, API keys, the audit log.
    ManageStaff,
}

impl Role {
    pub fn may(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            Role::Owner => true,
            Role::Manager => capability != ManageStaff,
            Role::Fulfilment => matches!(capability, ReadOrders | ShipOrders),
            Role::Viewer => matches!(capability, ReadOrders | ReadShop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_the_back_office_promises() {
        use Capability::*;
        let all = [ReadOrders, ShipOrders, ReadShop, ManageShop, ManageStaff];
        assert!(all.iter().all(|c| Role::Owner.may(*c)));
        assert!(!Role::Manager.may(ManageStaff));
        assert!(Role::Manager.may(ManageShop));
        assert!(Role::Fulfilment.may(ShipOrders) && Role::Fulfilment.may(ReadOrders));
        assert!(!Role::Fulfilment.may(ManageShop) && !Role::Fulfilment.may(ReadShop));
        assert!(Role::Viewer.may(ReadShop) && Role::Viewer.may(ReadOrders));
        assert!(!Role::Viewer.may(ShipOrders) && !Role::Viewer.may(ManageShop));
    }
}
