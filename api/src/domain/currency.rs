//! The currencies the shop sells in: ISO 4217 codes with their minor unit, how Stripe counts
//! each one, and how a code is stored in a text column.

use std::fmt;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// ISO 4217 codes the shop accepts, with the exponent of their minor unit. A code missing here is
/// refused rather than guessed, because guessing the exponent charges the wrong amount.
pub(crate) const CURRENCIES: &[(&str, u8)] = &[
    // Zero-decimal currencies.
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    // Three-decimal currencies.
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    // Two-decimal currencies.
    ("AED", 2),
    ("AUD", 2),
    ("BGN", 2),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("ILS", 2),
    ("INR", 2),
    ("MAD", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("PHP", 2),
    ("PLN", 2),
    ("RON", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TRY", 2),
    ("TWD", 2),
    ("USD", 2),
    ("XCD", 2),
    ("ZAR", 2),
];

/// How Stripe counts a currency, where that differs from ISO 4217 (Stripe's "special cases"):
/// ISK keeps two decimals at Stripe although it has none, and the three-decimal currencies must
/// end in 0. Codes absent from [`STRIPE_UNSUPPORTED`] and these lists use the ISO minor unit.
const STRIPE_EXTRA_DECIMALS: &[(&str, u32)] = &[("ISK", 2)];
const STRIPE_MULTIPLE_OF_TEN: &[&str] = &["BHD", "JOD", "KWD", "OMR", "TND"];
/// ISO 4217 codes the shop knows but Stripe does not present.
const STRIPE_UNSUPPORTED: &[&str] = &["IQD", "LYD"];

#[derive(Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Currency {
    code: &'static str,
    exponent: u8,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unsupported currency {0:?}: expected an ISO 4217 code such as EUR")]
pub struct UnknownCurrency(pub String);

impl Currency {
    pub fn parse(code: &str) -> Result<Self, UnknownCurrency> {
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == code)
            .map(|&(code, exponent)| Currency { code, exponent })
            .ok_or_else(|| UnknownCurrency(code.chars().take(16).collect()))
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// How many decimal places one minor unit stands for (EUR 2, JPY 0, KWD 3).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StripeAmountError {
    #[error("Stripe does not take payments in {0}")]
    UnsupportedCurrency(&'static str),
    #[error("Stripe takes {currency} amounts only in multiples of {multiple} minor units")]
    NotAMultiple {
        currency: &'static str,
        multiple: i64,
    },
    #[error("more than Stripe can charge at once")]
    TooLarge,
    #[error("{amount} in Stripe's unit is no whole amount of {currency}")]
    Fractional { amount: i64, currency: &'static str },
}

impl Currency {
    /// Stripe's units per shop minor unit, or why Stripe cannot take this currency.
    pub(super) fn stripe_factor(&self) -> Result<i64, StripeAmountError> {
        if STRIPE_UNSUPPORTED.contains(&self.code) {
            return Err(StripeAmountError::UnsupportedCurrency(self.code));
        }
        Ok(STRIPE_EXTRA_DECIMALS
            .iter()
            .find(|(code, _)| *code == self.code)
            .map_or(1, |&(_, extra)| 10i64.pow(extra)))
    }

    /// Whether Stripe can take payments in this currency at all.
    pub fn stripe_supported(&self) -> bool {
        self.stripe_factor().is_ok()
    }
}

impl Currency {
    /// Stripe takes three-decimal currencies only in multiples of ten minor units.
    pub(super) fn stripe_multiple(&self) -> i64 {
        if STRIPE_MULTIPLE_OF_TEN.contains(&self.code) {
            10
        } else {
            1
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl ToSql<Text, Pg> for Currency {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <str as ToSql<Text, Pg>>::to_sql(self.code, out)
    }
}

/// Only valid codes are ever written, so an unknown one read back is corruption, not input.
impl FromSql<Text, Pg> for Currency {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let code = std::str::from_utf8(value.as_bytes())?;
        Ok(Currency::parse(code)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::parse("EUR").unwrap().exponent(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
    }

    #[test]
    fn unknown_and_lowercase_codes_are_refused() {
        assert!(Currency::parse("XYZ").is_err());
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("").is_err());
    }
}
