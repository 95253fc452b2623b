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

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Long enough for any passphrase (ASVS asks for at least 64), short enough that hashing one is cheap.
pub const MAX_PASSWORD_CHARS: usize = 128;

const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

/// Why a new password is refused; the message says what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakPassword {
    TooShort,
    TooLong,
    Common,
    ContainsEmail,
}

impl std::fmt::Display for WeakPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeakPassword::TooShort => write!(
                f,
                "must be at least {MIN_PASSWORD_CHARS} characters; a few unrelated words make a good one"
            ),
            WeakPassword::TooLong => write!(f, "must be at most {MAX_PASSWORD_CHARS} characters"),
            WeakPassword::Common => {
                f.write_str("is one of the passwords tried first; choose another")
            }
            WeakPassword::ContainsEmail => f.write_str("must not contain the email address's name"),
        }
    }
}

/// Checks a password a staff member chooses. Any characters are allowed, and none is required.
pub fn check_new_password(password: &str, email: &str) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(WeakPassword::TooLong);
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next().unwrap_or_default();
    if lower.chars().all(|c| c == first) || COMMON_PASSWORDS.lines().any(|common| common == lower) {
        return Err(WeakPassword::Common);
    }
    let name = email.split('@').next().unwrap_or_default().to_lowercase();
    if name.chars().count() >= 4 && lower.contains(&name) {
        return Err(WeakPassword::ContainsEmail);
    }
    Ok(())
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

    #[test]
    fn passwords_need_length_not_composition() {
        let email = "ada.lovelace@example.com";
        assert_eq!(
            check_new_password("short pass", email),
            Err(WeakPassword::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), email),
            Err(WeakPassword::TooLong)
        );
        assert_eq!(
            check_new_password("Password1234", email),
            Err(WeakPassword::Common)
        );
        assert_eq!(
            check_new_password("ééééééééééééé", email),
            Err(WeakPassword::Common)
        );
        assert_eq!(
            check_new_password("my ada.lovelace secret", email),
            Err(WeakPassword::ContainsEmail)
        );
        assert_eq!(check_new_password("correct horse battery", email), Ok(()));
        assert_eq!(check_new_password("çàèìòù éàèìòù", email), Ok(()));
        assert_eq!(check_new_password(&"ab".repeat(64), email), Ok(()));
    }

    #[test]
    fn the_common_list_holds_only_passwords_long_enough_to_pass_otherwise() {
        for common in COMMON_PASSWORDS.lines() {
            assert!(common.chars().count() >= MIN_PASSWORD_CHARS, "{common}");
            assert_eq!(common, common.to_lowercase(), "{common}");
        }
    }
}
