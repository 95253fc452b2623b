//! The cart of a signed-in shopper: one per account, opened by a secret the server derives, so
//! every device of the shopper finds the same cart. At sign-in the guest cart joins it under the
//! rules of adding items: quantities added and capped, prices from the catalog, withdrawn items
//! left out, each change told as a notice. Without an account cart, the guest cart becomes it.

use diesel::prelude::*;
use uuid::Uuid;

use super::store::{self, check_variant};
use super::{CartConfig, CartKey, CartSnapshot, MAX_LINES, secret_digest};
use crate::db::account_carts;
use crate::db::carts::{self as queries, CartRow};
use crate::db::customers::{self, CustomerRow};
use crate::domain::status::CartStatus;
use crate::error::ApiError;
use crate::services::carts::view::{CartNotice, CartNoticeCode};

/// Adds one guest line to the account's cart, as many units as may be; answers the notice of a
/// change, if any.
fn merge_line(
    conn: &mut PgConnection,
    account: &CartRow,
    variant_id: Uuid,
    quantity: i32,
    config: CartConfig,
) -> Result<Option<CartNoticeCode>, ApiError> {
    let existing = queries::find_line_for_variant(conn, account.id, variant_id)?;
    let had = existing.as_ref().map_or(0, |line| line.quantity);
    if existing.is_none() && queries::count_lines(conn, account.id)? >= MAX_LINES {
        return Ok(Some(CartNoticeCode::QuantityCapped));
    }
    let wanted = had.saturating_add(quantity);
    let mut allowed = wanted.min(config.rules.max_line_quantity);
    let price = loop {
        match check_variant(conn, account, variant_id, allowed, config.rules) {
            Ok(price) => break price,
            Err(ApiError::InsufficientStock { shortages, .. }) => {
                let available = shortages
                    .first()
                    .and_then(|s| i32::try_from(s.available).ok())
                    .unwrap_or(0);
                if available <= had || available >= allowed {
                    return Ok(Some(CartNoticeCode::QuantityCapped));
                }
                allowed = available;
            }
            Err(ApiError::Validation { .. }) => return Ok(Some(CartNoticeCode::ItemUnavailable)),
            Err(other) => return Err(other),
        }
    };
    queries::put_line(conn, account.id, variant_id, allowed, price)?;
    Ok((allowed < wanted).then_some(CartNoticeCode::QuantityCapped))
}

/// The account's cart, the guest cart `guest` joined into it, re-keyed to `secret_of(account, cart
/// id)`. A guest cart that is not open (its checkout is under way) or another account's is left
/// alone.
pub(crate) fn account_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
    guest: Option<&CartKey>,
    secret_of: impl Fn(&CustomerRow, Uuid) -> Result<String, ApiError>,
    config: CartConfig,
) -> Result<(String, CartSnapshot), ApiError> {
    conn.transaction(|conn| {
        // The account's lock makes two devices asking at once take turns, rather than both
        // creating its one cart.
        let owner = customers::lock(conn, customer_id)?.ok_or(ApiError::SignInRequired)?;
        let mut account = account_carts::lock_account_cart(conn, customer_id)?;
        if let Some(stale) = &account
            && stale.status == CartStatus::Open
            && stale.expires_at <= chrono::Utc::now()
        {
            account_carts::delete_cart(conn, stale.id)?;
            account = None;
        }
        let guest = match guest {
            Some(key) => store::locked_cart(conn, key)
                .ok()
                .filter(|cart| cart.status == CartStatus::Open && cart.customer_id.is_none()),
            None => None,
        };
        let mut notices = Vec::new();
        let cart = match (account, guest) {
            (None, Some(guest)) => guest,
            (None, None) => {
                // Keyed for real below, once its id is known.
                let placeholder = secret_digest(&store::new_secret()?);
                queries::insert_cart(conn, &placeholder, config.currency, config.rules.idle_ttl)?
            }
            (Some(account), Some(guest)) if account.status == CartStatus::Open => {
                for detail in queries::line_details(conn, guest.id)? {
                    let line = detail.line;
                    if let Some(code) =
                        merge_line(conn, &account, line.variant_id, line.quantity, config)?
                        && !notices.contains(&code)
                    {
                        notices.push(code);
                    }
                }
                account_carts::take_over_details(conn, &guest, &account)?;
                account_carts::delete_cart(conn, guest.id)?;
                account
            }
            (Some(account), _) => account,
        };
        let secret = secret_of(&owner, cart.id)?;
        account_carts::set_owner(conn, cart.id, customer_id, &secret_digest(&secret))?;
        let cart = queries::touch(conn, cart.id, config.rules.idle_ttl)?;
        let mut snapshot = store::snapshot(conn, cart)?;
        snapshot
            .notices
            .extend(notices.into_iter().map(CartNotice::new));
        Ok((secret, snapshot))
    })
}
