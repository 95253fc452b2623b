//! Promotions as the admin sets them up, and the refusals a shopper hears for a code.

use chrono::Utc;
use uuid::Uuid;

use crate::db::promotions::{self, NewPromotion, PromotionChanges, PromotionRow};
use crate::db::{self, Pool};
use crate::domain::currency::Currency;
use crate::domain::money::{Money, MoneyInput, MoneyView};
use crate::domain::promotion::{self, Offer, Refusal};
use crate::domain::shipping::rate_amount;
use crate::error::{ApiError, PromotionRefusal};

mod inputs;

pub use self::inputs::{
    AdminPromotion, AdminPromotionList, NewPromotionInput, PromotionCodeInput, PromotionPatch,
};

/// What the shopper hears when `code` cannot be used.
pub fn refused(code: &str, refusal: Refusal) -> ApiError {
    let (reason, detail) = match refusal {
        Refusal::Unknown => (
            PromotionRefusal::Unknown,
            format!("code: {code} is not a promotion code of this shop"),
        ),
        Refusal::Expired => (
            PromotionRefusal::Expired,
            format!("code: the promotion {code} has ended"),
        ),
        Refusal::NotYetValid => (
            PromotionRefusal::NotYetValid,
            format!("code: the promotion {code} has not started yet"),
        ),
        Refusal::Exhausted => (
            PromotionRefusal::Exhausted,
            format!("code: the promotion {code} has been used as often as it may"),
        ),
        Refusal::MinimumNotMet(minimum) => (
            PromotionRefusal::MinimumNotMet,
            format!("code: {code} needs a subtotal of at least {minimum}"),
        ),
        Refusal::AlreadyUsed => (
            PromotionRefusal::AlreadyUsed,
            format!("code: this email has used {code} already"),
        ),
    };
    ApiError::PromotionRefused { reason, detail }
}

fn not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no promotion with id {id}"))
}

pub fn view(row: PromotionRow) -> AdminPromotion {
    let money = |amount| MoneyView::from(Money::new(amount, row.currency));
    let (percent_off_bp, amount_off) = match row.offer() {
        Offer::PercentOff(basis_points) => (Some(basis_points), None),
        Offer::AmountOff(amount) => (None, Some(MoneyView::from(amount))),
    };
    AdminPromotion {
        id: row.id,
        code: row.code,
        percent_off_bp,
        amount_off,
        min_subtotal: row.min_subtotal.map(money),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        max_redemptions: row.max_redemptions,
        redemptions: row.redemptions,
        once_per_email: row.once_per_email,
        active: row.active,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn amount(
    field: &'static str,
    input: &MoneyInput,
    shop_currency: Currency,
) -> Result<i64, ApiError> {
    Ok(rate_amount(field, input, shop_currency)?.amount())
}

fn max_redemptions(value: i64) -> Result<i32, ApiError> {
    i32::try_from(value)
        .ok()
        .filter(|max| (1..=100_000_000).contains(max))
        .ok_or_else(|| ApiError::invalid("max_redemptions", "must be from 1 to 100000000"))
}

pub async fn create(
    pool: &Pool,
    shop_currency: Currency,
    input: NewPromotionInput,
) -> Result<AdminPromotion, ApiError> {
    let code = promotion::code("code", &input.code)?;
    let (percent_off_bp, amount_off) = match (input.percent_off_bp, &input.amount_off) {
        (Some(basis_points), None) => {
            let basis_points = i32::try_from(basis_points)
                .ok()
                .filter(|bp| (1..=10_000).contains(bp))
                .ok_or_else(|| {
                    ApiError::invalid("percent_off_bp", "must be from 1 to 10000 (100 %)")
                })?;
            (Some(basis_points), None)
        }
        (None, Some(off)) => {
            let off = amount("amount_off", off, shop_currency)?;
            if off == 0 {
                return Err(ApiError::invalid("amount_off", "must be more than zero"));
            }
            (None, Some(off))
        }
        _ => {
            return Err(ApiError::invalid(
                "percent_off_bp",
                "give exactly one of percent_off_bp and amount_off",
            ));
        }
    };
    let new = NewPromotion {
        code,
        percent_off_bp,
        amount_off,
        currency: shop_currency,
        min_subtotal: input
            .min_subtotal
            .as_ref()
            .map(|minimum| amount("min_subtotal", minimum, shop_currency))
            .transpose()?,
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        max_redemptions: input.max_redemptions.map(max_redemptions).transpose()?,
        once_per_email: input.once_per_email,
        active: input.active,
    };
    if let (Some(starts), Some(ends)) = (new.starts_at, new.ends_at)
        && ends <= starts
    {
        return Err(ApiError::invalid("ends_at", "must be after starts_at"));
    }
    db::run(pool, move |conn| Ok(promotions::insert(conn, &new)?))
        .await
        .map(view)
}

pub async fn list(pool: &Pool) -> Result<AdminPromotionList, ApiError> {
    let rows = db::run(pool, |conn| Ok(promotions::list(conn)?)).await?;
    Ok(AdminPromotionList {
        items: rows.into_iter().map(view).collect(),
    })
}

pub async fn get(pool: &Pool, id: Uuid) -> Result<AdminPromotion, ApiError> {
    db::run(pool, move |conn| {
        promotions::find(conn, id)?.ok_or_else(|| not_found(id))
    })
    .await
    .map(view)
}

pub async fn update(
    pool: &Pool,
    shop_currency: Currency,
    id: Uuid,
    patch: PromotionPatch,
) -> Result<AdminPromotion, ApiError> {
    let changes = PromotionChanges {
        min_subtotal: patch
            .min_subtotal
            .map(|minimum| {
                minimum
                    .map(|minimum| amount("min_subtotal", &minimum, shop_currency))
                    .transpose()
            })
            .transpose()?,
        starts_at: patch.starts_at,
        ends_at: patch.ends_at,
        max_redemptions: patch
            .max_redemptions
            .map(|max| max.map(max_redemptions).transpose())
            .transpose()?,
        once_per_email: patch.once_per_email,
        active: patch.active,
        updated_at: Some(Utc::now()),
    };
    db::run(pool, move |conn| {
        promotions::update(conn, id, &changes)?.ok_or_else(|| not_found(id))
    })
    .await
    .map(view)
}

pub async fn delete(pool: &Pool, id: Uuid) -> Result<(), ApiError> {
    db::run(pool, move |conn| {
        if promotions::delete(conn, id)? {
            Ok(())
        } else {
            Err(not_found(id))
        }
    })
    .await
}
