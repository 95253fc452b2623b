//! What a shopper sends about their account, as it is read from the request.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::accounts::{MAX_PASSWORD_CHARS, check_new_password};
use crate::domain::email;
use crate::domain::lookup::MAX_TOKEN_LEN;
use crate::error::ApiError;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse battery staple"}))]
pub struct RegisterInput {
    /// `local@domain`, at most 254 characters, the local part at most 64, the domain with at
    /// least one dot; compared without regard to case.
    #[schema(
        max_length = 254,
        pattern = r#"^[!#-+\-./0-9:=?A-~]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9-]$"#
    )]
    pub email: String,
    /// 12 to 128 characters of any kind, not one of the passwords tried first, and not
    /// containing the email address's name.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
}

impl RegisterInput {
    /// The address, lower-cased, once both fields are acceptable.
    pub fn checked(&self) -> Result<String, ApiError> {
        let address = email::parse(&self.email).map_err(|e| ApiError::invalid("email", e))?;
        check_new_password(&self.password, &address)
            .map_err(|e| ApiError::invalid("password", e))?;
        Ok(address.to_lowercase())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.com"}))]
pub struct EmailInput {
    /// `local@domain`, at most 254 characters, the local part at most 64, the domain with at
    /// least one dot; compared without regard to case.
    #[schema(
        max_length = 254,
        pattern = r#"^[!#-+\-./0-9:=?A-~]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9-]$"#
    )]
    pub email: String,
}

impl EmailInput {
    pub fn checked(&self) -> Result<String, ApiError> {
        email::parse(&self.email)
            .map(|address| address.to_lowercase())
            .map_err(|e| ApiError::invalid("email", e))
    }
}

fn checked_token(token: &str) -> Result<(), ApiError> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(ApiError::LinkInvalid);
    }
    Ok(())
}

fn checked_password(field: &'static str, password: &str) -> Result<(), ApiError> {
    if password.is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            field,
            format!("must be 1 to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Confirms the address with the emailed link, and signs in with the account's password: only
/// whoever chose the password and reads the mail can confirm it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "the token from the link", "password": "correct horse battery staple"}))]
pub struct VerifyInput {
    /// What follows `#token=` in the emailed link.
    #[schema(min_length = 1, max_length = 594)]
    pub token: String,
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

impl VerifyInput {
    pub fn checked(self) -> Result<VerifyInput, ApiError> {
        checked_token(&self.token)?;
        checked_password("password", &self.password)?;
        Ok(self)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "the token from the link", "new_password": "correct horse battery staple"}))]
pub struct ResetInput {
    /// What follows `#token=` in the emailed link.
    #[schema(min_length = 1, max_length = 594)]
    pub token: String,
    /// 12 to 128 characters of any kind, not one of the passwords tried first, and not
    /// containing the email address's name.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

impl ResetInput {
    pub fn checked(self) -> Result<ResetInput, ApiError> {
        checked_token(&self.token)?;
        checked_password("new_password", &self.new_password)?;
        Ok(self)
    }
}
