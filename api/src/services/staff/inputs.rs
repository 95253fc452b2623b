//! What the back office sends about staff, sessions and API keys, as it is read from the request.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::staff::{MAX_PASSWORD_CHARS, Role};
use crate::error::ApiError;
use crate::services::patches::some;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@shop.example", "password": "correct horse battery staple"}))]
pub struct LoginInput {
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

impl LoginInput {
    /// Refuses what no account can have before any hashing is spent on it.
    pub fn checked(self) -> Result<LoginInput, ApiError> {
        if self.email.is_empty() || self.email.chars().count() > 254 {
            return Err(ApiError::invalid("email", "must be 1 to 254 characters"));
        }
        if self.password.is_empty() || self.password.chars().count() > MAX_PASSWORD_CHARS {
            return Err(ApiError::invalid(
                "password",
                format!("must be 1 to {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        Ok(self)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "the one-time password", "new_password": "correct horse battery staple"}))]
pub struct PasswordChangeInput {
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    /// 12 to 128 characters of any kind, not one of the passwords tried first, and not
    /// containing the email address's name.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "grace@shop.example", "role": "fulfilment"}))]
pub struct NewStaffInput {
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    pub role: Role,
}

/// Only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "manager"}))]
pub struct StaffPatchInput {
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub role: Option<Role>,
    /// False ends their sessions and keeps them from logging in.
    #[serde(default, deserialize_with = "some")]
    #[schema(nullable = false)]
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Warehouse sync", "role": "fulfilment"}))]
pub struct NewApiKeyInput {
    /// What the key is for, 1 to 100 characters.
    pub name: String,
    pub role: Role,
}
