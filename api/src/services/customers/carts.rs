//! The signed-in shopper's cart: the account's one cart, which the cart they had as a guest joins.
//! It is an ordinary cart, opened by an ordinary `Cart-Secret`, which the server derives from the
//! account, its password's age and the cart, so that every device of the shopper opens the same
//! one, and a new password (after a reset, say) retires every copy handed out before.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::Accounts;
use crate::error::ApiError;
use crate::services::Pool;
use crate::services::carts::{self, Cart, CartConfig, CartKey};

/// The cart the shopper had before signing in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestCart {
    pub id: Uuid,
    /// Its `Cart-Secret`.
    #[schema(min_length = 1, max_length = 128)]
    pub secret: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"guest_cart": {"id": "0d9e3c1a-3b7e-4f6b-9d2a-8c1f5e6a7b80", "secret": "4f1c2a9be0d84b7f9c3e5a6d7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708"}}))]
pub struct AccountCartInput {
    /// Joins the account's cart, and is gone afterwards; one whose checkout is under way is left
    /// alone.
    #[serde(default)]
    pub guest_cart: Option<GuestCart>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountCart {
    /// Send it as `Cart-Secret`, as for any cart; it stays the same while the account has this cart.
    #[schema(example = "4f1c2a9be0d84b7f9c3e5a6d7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708")]
    pub cart_secret: String,
    /// `notices` says what the guest cart's items could not join as they were.
    pub cart: Cart,
}

pub async fn my_cart(
    pool: &Pool,
    accounts: &Accounts,
    config: CartConfig,
    customer_id: Uuid,
    input: AccountCartInput,
) -> Result<AccountCart, ApiError> {
    let guest = input.guest_cart.map(|guest| CartKey {
        id: guest.id,
        secret: Some(guest.secret),
    });
    let accounts = accounts.clone();
    let (cart_secret, cart) =
        carts::account_cart(pool, config, customer_id, guest, move |account, cart| {
            accounts.cart_secret(account, cart)
        })
        .await?;
    Ok(AccountCart { cart_secret, cart })
}
