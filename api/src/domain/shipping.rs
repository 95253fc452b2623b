//! Shipping rules: which countries a zone may list, which amounts a rate may hold, and what a rate
//! costs a cart. The database repeats the important ones as CHECK constraints.

use super::catalog::Invalid;
use super::country::Country;
use super::currency::Currency;
use super::money::{Money, MoneyInput};

/// A zone's countries: at least one, each an ISO 3166-1 alpha-2 code, none twice. They come back
/// sorted, so that two writers claim the countries they share in the same order (neither waits
/// for the other in a cycle) and every view lists them alike.
pub fn zone_countries(codes: &[String]) -> Result<Vec<Country>, Invalid> {
    let invalid = |message: String| Invalid {
        field: "countries",
        message,
    };
    if codes.is_empty() {
        return Err(invalid("must list at least one country".to_owned()));
    }
    let mut countries = codes
        .iter()
        .map(|code| Country::parse(code).map_err(|e| invalid(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    countries.sort_unstable();
    if let Some(twice) = countries.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(invalid(format!("{} is listed twice", twice[0])));
    }
    Ok(countries)
}

/// An amount of a rate: one Stripe could charge, in the shop's currency, so that a cart priced
/// in that currency can always add it.
pub fn rate_amount(
    field: &'static str,
    input: &MoneyInput,
    shop_currency: Currency,
) -> Result<Money, Invalid> {
    let money = input.to_unit_price().map_err(|e| Invalid {
        field,
        message: e.to_string(),
    })?;
    if money.currency() != shop_currency {
        return Err(Invalid {
            field,
            message: format!("must be in the shop's currency, {shop_currency}"),
        });
    }
    Ok(money)
}

/// What a shipping rate charges, all in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingRate {
    /// Charged once per cart.
    pub price: Money,
    /// A subtotal at or above this ships for nothing.
    pub free_above: Option<Money>,
    /// Added for every unit in the cart.
    pub per_item: Option<Money>,
}

impl ShippingRate {
    /// What this rate costs a cart whose lines come to `subtotal` over `item_count` units: the
    /// price plus `per_item` for each unit, or nothing once the subtotal reaches `free_above`.
    /// `None` when the subtotal is in another currency than the rate, which no sum can bridge, or
    /// when the sum would overflow (never with amounts the admin API accepts).
    pub fn price_for(&self, subtotal: Money, item_count: u32) -> Option<Money> {
        if subtotal.currency() != self.price.currency() {
            return None;
        }
        if let Some(threshold) = self.free_above {
            if threshold.currency() != subtotal.currency() {
                return None;
            }
            if subtotal.amount() >= threshold.amount() {
                return Some(Money::new(0, subtotal.currency()));
            }
        }
        match self.per_item {
            None => Some(self.price),
            Some(per_item) => per_item
                .checked_mul(i64::from(item_count))
                .and_then(|items| self.price.checked_add(items)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(amount: i64) -> Money {
        Money::new(amount, Currency::parse("EUR").unwrap())
    }

    fn usd(amount: i64) -> Money {
        Money::new(amount, Currency::parse("USD").unwrap())
    }

    fn rate(price: i64, free_above: Option<i64>, per_item: Option<i64>) -> ShippingRate {
        ShippingRate {
            price: eur(price),
            free_above: free_above.map(eur),
            per_item: per_item.map(eur),
        }
    }

    #[test]
    fn a_flat_rate_costs_its_price_whatever_the_cart() {
        let flat = rate(495, None, None);
        assert_eq!(flat.price_for(eur(0), 0), Some(eur(495)));
        assert_eq!(flat.price_for(eur(1_000_000), 40), Some(eur(495)));
    }

    #[test]
    fn per_item_adds_for_every_unit() {
        let by_unit = rate(300, None, Some(150));
        assert_eq!(by_unit.price_for(eur(2000), 1), Some(eur(450)));
        assert_eq!(by_unit.price_for(eur(2000), 4), Some(eur(900)));
        assert_eq!(by_unit.price_for(eur(0), 0), Some(eur(300)));
    }

    #[test]
    fn free_at_or_above_the_threshold_and_not_below() {
        let free_over_50 = rate(495, Some(5000), Some(100));
        assert_eq!(free_over_50.price_for(eur(4999), 3), Some(eur(795)));
        assert_eq!(free_over_50.price_for(eur(5000), 3), Some(eur(0)));
        assert_eq!(free_over_50.price_for(eur(12_000), 30), Some(eur(0)));
        assert_eq!(rate(495, Some(0), None).price_for(eur(0), 0), Some(eur(0)));
    }

    #[test]
    fn the_largest_amounts_do_not_overflow() {
        let most = rate(99_999_999, None, Some(99_999_999));
        assert_eq!(
            most.price_for(eur(0), u32::MAX),
            Some(eur(99_999_999 + 99_999_999 * i64::from(u32::MAX)))
        );
    }

    #[test]
    fn another_currency_has_no_price() {
        assert_eq!(rate(495, None, None).price_for(usd(1000), 1), None);
        let mixed = ShippingRate {
            price: eur(495),
            free_above: Some(usd(5000)),
            per_item: None,
        };
        assert_eq!(mixed.price_for(eur(6000), 1), None);
    }

    #[test]
    fn zone_countries_are_sorted_known_and_distinct() {
        let codes = |list: &[&str]| list.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let countries = zone_countries(&codes(&["FR", "DE", "BE"])).unwrap();
        assert_eq!(
            countries.iter().map(Country::code).collect::<Vec<_>>(),
            ["BE", "DE", "FR"]
        );
        for (bad, says) in [
            (codes(&[]), "at least one"),
            (codes(&["FR", "fr"]), "\"fr\""),
            (codes(&["XK"]), "\"XK\""),
            (codes(&["DE", "FR", "DE"]), "DE is listed twice"),
        ] {
            let err = zone_countries(&bad).unwrap_err();
            assert_eq!(err.field, "countries");
            assert!(err.message.contains(says), "{bad:?}: {err}");
        }
    }

    #[test]
    fn rate_amounts_are_chargeable_in_the_shop_currency() {
        let eur_shop = Currency::parse("EUR").unwrap();
        let input = |amount, currency: &str| MoneyInput {
            amount,
            currency: currency.to_owned(),
        };
        assert_eq!(
            rate_amount("price", &input(495, "EUR"), eur_shop),
            Ok(eur(495))
        );
        let other = rate_amount("per_item", &input(495, "USD"), eur_shop).unwrap_err();
        assert_eq!(other.field, "per_item");
        assert!(other.message.contains("EUR"), "{other}");
        let negative = rate_amount("free_above", &input(-1, "EUR"), eur_shop).unwrap_err();
        assert_eq!(negative.field, "free_above");
        assert!(rate_amount("price", &input(1, "XYZ"), eur_shop).is_err());
    }
}
