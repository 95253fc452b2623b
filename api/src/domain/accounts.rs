//! What every account's password must be: long rather than composed, not one of those tried
//! first, and not the email's own name (OWASP ASVS 2.1).

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::status::stored_as_text;

stored_as_text! {
    /// Who signs in: staff to the back office, or shoppers to their account. Each has its own
    /// cookie, CSRF tokens and throttle of failed logins.
    pub enum Realm {
        Staff => "staff",
        Customer => "customer",
    }
}

stored_as_text! {
    /// What an emailed account link does.
    pub enum TokenPurpose {
        VerifyEmail => "verify_email",
        ResetPassword => "reset_password",
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

/// Checks a password someone chooses. Any characters are allowed, and none is required.
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
