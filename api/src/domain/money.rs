//! Money is an integer count of a currency's minor units; the currency knows how many decimals
//! its minor unit stands for. No floating point anywhere.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// The largest amount Stripe charges or refunds at once, in Stripe's unit.
pub const MAX_STRIPE_AMOUNT: i64 = 99_999_999;

/// The largest unit price the shop stores, in minor units; it is also Stripe's own ceiling for a
/// charge in most currencies, and it keeps every total far from `i64` overflow.
pub const MAX_UNIT_AMOUNT: i64 = 99_999_999;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
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
    fn stripe_factor(&self) -> Result<i64, StripeAmountError> {
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

impl Money {
    /// The amount in Stripe's unit for its currency, refused when Stripe could not charge it.
    pub fn to_stripe(&self) -> Result<i64, StripeAmountError> {
        let factor = self.currency.stripe_factor()?;
        if STRIPE_MULTIPLE_OF_TEN.contains(&self.currency.code) && self.amount % 10 != 0 {
            return Err(StripeAmountError::NotAMultiple {
                currency: self.currency.code,
                multiple: 10,
            });
        }
        self.amount
            .checked_mul(factor)
            .filter(|amount| (0..=MAX_STRIPE_AMOUNT).contains(amount))
            .ok_or(StripeAmountError::TooLarge)
    }

    /// An amount Stripe reports, in the shop's minor units; refused when it is not a whole number
    /// of them.
    pub fn from_stripe(amount: i64, currency: Currency) -> Result<Money, StripeAmountError> {
        let factor = currency.stripe_factor()?;
        if amount % factor != 0 {
            return Err(StripeAmountError::Fractional {
                amount,
                currency: currency.code,
            });
        }
        Ok(Money::new(amount / factor, currency))
    }
}

/// A currency code read back from the database, where only valid codes are ever written.
pub fn stored_currency(code: &str) -> Result<Currency, crate::error::ApiError> {
    Currency::parse(code)
        .map_err(|e| crate::error::ApiError::Internal(format!("stored currency: {e}")))
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Money {
    amount: i64,
    currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Amount in minor units (cents for EUR, yen for JPY, fils for KWD).
    pub fn amount(&self) -> i64 {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// `None` on overflow, so a caller can never silently wrap a total.
    pub fn checked_mul(&self, quantity: i64) -> Option<Money> {
        self.amount
            .checked_mul(quantity)
            .map(|amount| Money::new(amount, self.currency))
    }

    /// `None` on overflow or when the currencies differ.
    pub fn checked_add(&self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        self.amount
            .checked_add(other.amount)
            .map(|amount| Money::new(amount, self.currency))
    }

    /// The amount in major units as an exact decimal string: 1999 EUR is "19.99", 1999 JPY is
    /// "1999", 1999 KWD is "1.999".
    pub fn decimal(&self) -> String {
        let exponent = u32::from(self.currency.exponent);
        let sign = if self.amount < 0 { "-" } else { "" };
        let magnitude = self.amount.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{magnitude}");
        }
        let scale = 10u64.pow(exponent);
        format!(
            "{sign}{}.{:0width$}",
            magnitude / scale,
            magnitude % scale,
            width = exponent as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}

/// A sum of money as the API shows it: the exact integer amount in minor units is authoritative;
/// `decimal` is a convenience rendering of the same value.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[schema(as = Money, example = json!({"amount": 2500, "currency": "EUR", "decimal": "25.00"}))]
pub struct MoneyView {
    /// Amount in the currency's minor unit (cents for EUR, yen for JPY, fils for KWD).
    pub amount: i64,
    /// ISO 4217 currency code.
    #[schema(example = "EUR", pattern = "^[A-Z]{3}$")]
    pub currency: String,
    /// The same amount in major units, with exactly as many decimals as the currency has.
    #[schema(example = "25.00")]
    pub decimal: String,
}

impl From<Money> for MoneyView {
    fn from(money: Money) -> Self {
        MoneyView {
            amount: money.amount,
            currency: money.currency.code().to_owned(),
            decimal: money.decimal(),
        }
    }
}

/// A price as a client submits it: minor units and a currency code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MoneyInput, example = json!({"amount": 2500, "currency": "EUR"}))]
pub struct MoneyInput {
    /// Amount in minor units, from 0 to 99999999, that Stripe can charge: a multiple of 10 in
    /// BHD, JOD, KWD, OMR and TND, and at most 999999 in ISK (which Stripe counts in hundredths).
    #[schema(minimum = 0, maximum = 99_999_999)]
    pub amount: i64,
    /// ISO 4217 currency code.
    #[schema(example = "EUR")]
    pub currency: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidPrice {
    #[error(transparent)]
    Currency(#[from] UnknownCurrency),
    #[error("amount must be from 0 to {MAX_UNIT_AMOUNT} minor units")]
    OutOfRange,
    #[error(transparent)]
    NotChargeable(#[from] StripeAmountError),
}

impl MoneyInput {
    pub fn to_unit_price(&self) -> Result<Money, InvalidPrice> {
        let currency = Currency::parse(&self.currency)?;
        if !(0..=MAX_UNIT_AMOUNT).contains(&self.amount) {
            return Err(InvalidPrice::OutOfRange);
        }
        let price = Money::new(self.amount, currency);
        price.to_stripe()?;
        Ok(price)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: i64, code: &str) -> Money {
        Money::new(amount, Currency::parse(code).expect("known currency"))
    }

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

    #[test]
    fn decimal_rendering_per_exponent() {
        assert_eq!(money(1999, "EUR").decimal(), "19.99");
        assert_eq!(money(5, "EUR").decimal(), "0.05");
        assert_eq!(money(0, "EUR").decimal(), "0.00");
        assert_eq!(money(1999, "JPY").decimal(), "1999");
        assert_eq!(money(1999, "KWD").decimal(), "1.999");
        assert_eq!(money(7, "KWD").decimal(), "0.007");
        assert_eq!(money(-250, "EUR").decimal(), "-2.50");
        assert_eq!(money(i64::MIN, "JPY").decimal(), "-9223372036854775808");
        assert_eq!(money(1999, "EUR").to_string(), "19.99 EUR");
    }

    #[test]
    fn arithmetic_refuses_overflow_and_mixed_currencies() {
        assert_eq!(money(250, "EUR").checked_mul(3), Some(money(750, "EUR")));
        assert_eq!(money(i64::MAX, "EUR").checked_mul(2), None);
        assert_eq!(money(1, "EUR").checked_add(money(1, "USD")), None);
        assert_eq!(
            money(1, "EUR").checked_add(money(2, "EUR")),
            Some(money(3, "EUR"))
        );
    }

    #[test]
    fn stripe_units_follow_stripes_special_cases() {
        assert_eq!(money(1999, "EUR").to_stripe(), Ok(1999));
        assert_eq!(money(500, "JPY").to_stripe(), Ok(500));
        assert_eq!(money(500, "UGX").to_stripe(), Ok(500));
        assert_eq!(money(5, "ISK").to_stripe(), Ok(500));
        assert_eq!(money(5120, "KWD").to_stripe(), Ok(5120));
        assert_eq!(
            money(5124, "KWD").to_stripe(),
            Err(StripeAmountError::NotAMultiple {
                currency: "KWD",
                multiple: 10
            })
        );
        for code in ["BHD", "JOD", "OMR", "TND"] {
            assert!(money(1, code).to_stripe().is_err(), "{code}");
            assert_eq!(money(10, code).to_stripe(), Ok(10), "{code}");
        }
        assert_eq!(
            money(1000, "IQD").to_stripe(),
            Err(StripeAmountError::UnsupportedCurrency("IQD"))
        );
        assert_eq!(
            money(1_000_000, "ISK").to_stripe(),
            Err(StripeAmountError::TooLarge)
        );
        assert_eq!(money(999_999, "ISK").to_stripe(), Ok(99_999_900));
        assert_eq!(
            money(i64::MAX, "ISK").to_stripe(),
            Err(StripeAmountError::TooLarge)
        );
        assert_eq!(
            money(-1, "EUR").to_stripe(),
            Err(StripeAmountError::TooLarge)
        );
    }

    #[test]
    fn stripe_amounts_come_back_in_the_shops_unit() {
        let isk = Currency::parse("ISK").unwrap();
        assert_eq!(Money::from_stripe(500, isk), Ok(money(5, "ISK")));
        assert!(Money::from_stripe(550, isk).is_err());
        for (amount, code) in [(1999, "EUR"), (5120, "KWD"), (77, "JPY"), (12, "ISK")] {
            let original = money(amount, code);
            let stripe = original.to_stripe().unwrap();
            assert_eq!(
                Money::from_stripe(stripe, original.currency()),
                Ok(original)
            );
        }
    }

    #[test]
    fn input_prices_are_bounded() {
        let input = |amount, currency: &str| MoneyInput {
            amount,
            currency: currency.to_owned(),
        };
        assert_eq!(input(2500, "EUR").to_unit_price(), Ok(money(2500, "EUR")));
        assert_eq!(
            input(-1, "EUR").to_unit_price(),
            Err(InvalidPrice::OutOfRange)
        );
        assert_eq!(
            input(MAX_UNIT_AMOUNT + 1, "EUR").to_unit_price(),
            Err(InvalidPrice::OutOfRange)
        );
        assert!(matches!(
            input(1, "ABC").to_unit_price(),
            Err(InvalidPrice::Currency(_))
        ));
    }
}
