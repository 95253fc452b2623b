//! Promotion codes: what a code may look like, what it takes off, and when it may be used. Whether
//! redemptions are left, and whether an email used the code already, only the database can say at
//! the moment of checkout.

use chrono::{DateTime, Utc};

use super::catalog::{Invalid, invalid};
use super::money::Money;
use super::pricing::Discount;

pub const MIN_CODE_LEN: usize = 3;
pub const MAX_CODE_LEN: usize = 32;

/// A code as a shopper types it, compared without regard to case: trimmed and stored upper case.
pub fn code(field: &'static str, value: &str) -> Result<String, Invalid> {
    let code = value.trim().to_ascii_uppercase();
    let ok = (MIN_CODE_LEN..=MAX_CODE_LEN).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && code.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(code)
    } else {
        Err(invalid(
            field,
            format!(
                "must be {MIN_CODE_LEN} to {MAX_CODE_LEN} letters, digits, hyphens or underscores, \
                 starting with a letter or digit"
            ),
        ))
    }
}

/// What a promotion takes off the merchandise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// In basis points: 1500 is 15 % off.
    PercentOff(u16),
    /// At most the subtotal.
    AmountOff(Money),
}

impl Offer {
    pub fn discount(self) -> Discount {
        match self {
            Offer::PercentOff(basis_points) => Discount::Percent(basis_points),
            Offer::AmountOff(money) => Discount::Fixed(money.amount()),
        }
    }
}

/// Why a code cannot be used. Each has a problem type of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such code, or the admin switched it off.
    Unknown,
    Expired,
    NotYetValid,
    /// Every redemption it allows is taken.
    Exhausted,
    /// The cart's subtotal is below the promotion's minimum.
    MinimumNotMet(Money),
    /// This email has used it already, and it may be used once per email.
    AlreadyUsed,
}

/// The rules a promotion is used by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub offer: Offer,
    pub min_subtotal: Option<Money>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub max_redemptions: Option<i32>,
    pub redemptions: i32,
    pub active: bool,
}

impl Terms {
    /// Whether a cart whose lines come to `subtotal` may use the promotion at `now`.
    pub fn admits(&self, now: DateTime<Utc>, subtotal: Money) -> Result<(), Refusal> {
        if !self.active {
            return Err(Refusal::Unknown);
        }
        if self.starts_at.is_some_and(|starts| now < starts) {
            return Err(Refusal::NotYetValid);
        }
        if self.ends_at.is_some_and(|ends| now >= ends) {
            return Err(Refusal::Expired);
        }
        if self
            .max_redemptions
            .is_some_and(|max| self.redemptions >= max)
        {
            return Err(Refusal::Exhausted);
        }
        match self.min_subtotal {
            Some(minimum) if subtotal.amount() < minimum.amount() => {
                Err(Refusal::MinimumNotMet(minimum))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::currency::Currency;

    fn eur(amount: i64) -> Money {
        Money::new(amount, Currency::parse("EUR").unwrap())
    }

    fn terms() -> Terms {
        Terms {
            offer: Offer::PercentOff(1000),
            min_subtotal: Some(eur(5000)),
            starts_at: Some(Utc::now() - Duration::days(1)),
            ends_at: Some(Utc::now() + Duration::days(1)),
            max_redemptions: Some(5),
            redemptions: 4,
            active: true,
        }
    }

    #[test]
    fn codes_are_compared_upper_case_and_kept_plain() {
        assert_eq!(code("code", " summer-10 ").unwrap(), "SUMMER-10");
        for wrong in [
            "",
            "ab",
            "-ABC",
            "WITH SPACE",
            "ÉTÉ10",
            &"X".repeat(33),
            "A<B>C",
        ] {
            assert_eq!(code("code", wrong).unwrap_err().field, "code", "{wrong:?}");
        }
    }

    #[test]
    fn each_rule_has_its_own_refusal() {
        let now = Utc::now();
        assert_eq!(terms().admits(now, eur(5000)), Ok(()));
        assert_eq!(
            terms().admits(now, eur(4999)),
            Err(Refusal::MinimumNotMet(eur(5000)))
        );
        let later = Terms {
            starts_at: Some(now + Duration::hours(1)),
            ..terms()
        };
        assert_eq!(later.admits(now, eur(9000)), Err(Refusal::NotYetValid));
        let over = Terms {
            ends_at: Some(now),
            ..terms()
        };
        assert_eq!(over.admits(now, eur(9000)), Err(Refusal::Expired));
        let used_up = Terms {
            redemptions: 5,
            ..terms()
        };
        assert_eq!(used_up.admits(now, eur(9000)), Err(Refusal::Exhausted));
        let off = Terms {
            active: false,
            ..terms()
        };
        assert_eq!(off.admits(now, eur(9000)), Err(Refusal::Unknown));
        let open = Terms {
            min_subtotal: None,
            starts_at: None,
            ends_at: None,
            max_redemptions: None,
            ..terms()
        };
        assert_eq!(open.admits(now, eur(1)), Ok(()));
    }
}
