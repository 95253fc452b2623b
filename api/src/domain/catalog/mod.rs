//! Rules for catalog values, shared by the admin API and the seed loader so both accept exactly
//! the same data. The database repeats the important ones as CHECK constraints.

use super::currency::Currency;
use super::money::Money;

mod images;

pub use self::images::{Image, ImageOrigins, NotAnImageOrigin, images};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

pub const MAX_SLUG_LEN: usize = 100;
pub const MAX_NAME_LEN: usize = 200;
pub const MAX_DESCRIPTION_LEN: usize = 10_000;
pub const MAX_SKU_LEN: usize = 64;
pub const MAX_IMAGES: usize = 20;
pub const MAX_STOCK: i32 = 1_000_000;

/// A sale's compare-at price: in the price's currency and above the price, which is what the
/// shopper is charged.
pub fn compare_at_price(price: Money, compare_at: Option<Money>) -> Result<Option<i64>, Invalid> {
    let Some(compare_at) = compare_at else {
        return Ok(None);
    };
    if compare_at.currency() != price.currency() {
        return Err(invalid(
            "compare_at_price",
            format!("must be in {}, as the price", price.currency()),
        ));
    }
    if compare_at.amount() <= price.amount() {
        return Err(invalid(
            "compare_at_price",
            "must be above the price, which is what the shopper is charged",
        ));
    }
    Ok(Some(compare_at.amount()))
}

/// Lower-case ASCII words joined by single hyphens: `classic-tee`.
pub fn slug(field: &'static str, value: &str) -> Result<String, Invalid> {
    let well_formed = !value.is_empty()
        && value.len() <= MAX_SLUG_LEN
        && value.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if well_formed {
        Ok(value.to_owned())
    } else {
        Err(invalid(
            field,
            format!(
                "must be 1 to {MAX_SLUG_LEN} lower-case letters or digits in words joined by single hyphens"
            ),
        ))
    }
}

/// Trimmed, non-empty, bounded, and free of control characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(invalid(field, format!("must be 1 to {max} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid(field, "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// Like [`text`], but may be empty and may span lines.
pub fn description(value: &str) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.chars().count() > MAX_DESCRIPTION_LEN {
        return Err(invalid(
            "description",
            format!("must be at most {MAX_DESCRIPTION_LEN} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(invalid(
            "description",
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// SKUs are printed on labels and typed by staff: upper/lower letters, digits, `-`, `_`, `.`.
pub fn sku(value: &str) -> Result<String, Invalid> {
    let ok = !value.is_empty()
        && value.len() <= MAX_SKU_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(invalid(
            "sku",
            format!("must be 1 to {MAX_SKU_LEN} letters, digits, '-', '_' or '.'"),
        ))
    }
}

pub fn stock(field: &'static str, value: i32) -> Result<i32, Invalid> {
    if (0..=MAX_STOCK).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(field, format!("must be from 0 to {MAX_STOCK}")))
    }
}

/// Why a variant cannot be sold into a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsellable {
    /// The variant or its product was taken off sale.
    Withdrawn,
    /// Priced in another currency than the cart's.
    PricedIn(Currency),
}

/// The one rule for whether a variant can still be sold into a cart: it and its product are on
/// sale, and it is priced in the cart's currency. Stock is a separate question.
pub fn sellable(
    variant_active: bool,
    product_active: bool,
    priced_in: Currency,
    cart_currency: Currency,
) -> Result<(), Unsellable> {
    if !variant_active || !product_active {
        Err(Unsellable::Withdrawn)
    } else if priced_in != cart_currency {
        Err(Unsellable::PricedIn(priced_in))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(slug("slug", "classic-tee").is_ok());
        assert!(slug("slug", "tee2").is_ok());
        for bad in [
            "",
            "Classic",
            "a--b",
            "-a",
            "a-",
            "a b",
            "é",
            &"a".repeat(101),
        ] {
            assert!(slug("slug", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("name", "  Tee ", 10).unwrap(), "Tee");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
        assert!(text("name", &"x".repeat(11), 10).is_err());
        assert!(description("two\nlines").is_ok());
        assert!(description("bell\u{7}").is_err());
    }

    #[test]
    fn skus() {
        assert!(sku("TEE-M.BLUE_1").is_ok());
        assert!(sku("").is_err());
        assert!(sku("a b").is_err());
        assert!(sku("x'--").is_err());
    }
}
