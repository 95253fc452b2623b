//! The pricing rules by example, and the invariants proptest holds them to over random carts.

use proptest::prelude::*;

use super::*;

fn eur() -> Currency {
    Currency::parse("EUR").expect("EUR")
}

fn rate(basis_points: u16) -> TaxRate {
    TaxRate::from_basis_points(basis_points).expect("a valid rate")
}

fn line(unit_price: i64, quantity: i64, basis_points: u16) -> LineInput {
    LineInput {
        unit_price,
        compare_at_price: None,
        quantity,
        tax_rate: rate(basis_points),
    }
}

fn cart(tax_mode: TaxMode, lines: Vec<LineInput>) -> PricingInput {
    PricingInput {
        currency: eur(),
        tax_mode,
        lines,
        discount: None,
        shipping: None,
    }
}

#[test]
fn inclusive_prices_hold_their_tax_and_shipping_is_taxed_too() {
    let mut input = cart(
        TaxMode::Inclusive,
        vec![line(5900, 1, 2000), line(1600, 2, 700)],
    );
    input.shipping = Some(ShippingInput {
        price: 490,
        tax_rate: rate(2000),
    });
    let priced = price(&input).unwrap();
    assert_eq!(priced.subtotal, 9100);
    // 5900 / 1.2 = 4916.67, so 983.33 of tax; 3200 / 1.07 = 2990.65, so 209.35; 490 / 1.2 → 81.67.
    assert_eq!(priced.lines[0].tax, 983);
    assert_eq!(priced.lines[1].tax, 209);
    assert_eq!(priced.shipping.unwrap().tax, 82);
    assert_eq!(
        priced.tax_lines,
        [
            TaxLine {
                rate: rate(2000),
                amount: 1065
            },
            TaxLine {
                rate: rate(700),
                amount: 209
            },
        ]
    );
    assert_eq!(priced.tax, 1274);
    assert_eq!(priced.total, 9590);
}

#[test]
fn exclusive_prices_get_their_tax_added() {
    let priced = price(&cart(TaxMode::Exclusive, vec![line(1000, 3, 825)])).unwrap();
    // 3000 × 8.25 % = 247.5, rounded half up.
    assert_eq!(priced.lines[0].tax, 248);
    assert_eq!(priced.total, 3248);
}

#[test]
fn a_discount_is_shared_by_the_lines_to_the_cent() {
    let mut input = cart(
        TaxMode::Inclusive,
        vec![line(1000, 1, 0), line(1000, 1, 0), line(1000, 1, 0)],
    );
    input.discount = Some(Discount::Fixed(1000));
    let priced = price(&input).unwrap();
    let shares: Vec<i64> = priced.lines.iter().map(|l| l.discount).collect();
    assert_eq!(shares, [334, 333, 333]);
    assert_eq!(priced.total, 2000);

    input.discount = Some(Discount::Percent(1500));
    let priced = price(&input).unwrap();
    assert_eq!(priced.discount, 450);
    assert_eq!(priced.total, 2550);
}

#[test]
fn a_discount_never_exceeds_the_merchandise_nor_touches_shipping() {
    let mut input = cart(TaxMode::Inclusive, vec![line(500, 1, 2000)]);
    input.discount = Some(Discount::Fixed(2000));
    input.shipping = Some(ShippingInput {
        price: 300,
        tax_rate: rate(2000),
    });
    let priced = price(&input).unwrap();
    assert_eq!(priced.discount, 500);
    assert_eq!(priced.lines[0].total, 0);
    assert_eq!(priced.total, 300);
}

#[test]
fn currencies_charged_in_tens_are_rounded_to_tens() {
    let mut input = cart(TaxMode::Exclusive, vec![line(1230, 1, 1000)]);
    input.currency = Currency::parse("KWD").unwrap();
    input.discount = Some(Discount::Percent(1000));
    let priced = price(&input).unwrap();
    // 10 % of 1.230 KWD is 0.123, charged as 0.120; 10 % tax on 1.110 is 0.111, charged as 0.110.
    assert_eq!(priced.discount, 120);
    assert_eq!(priced.lines[0].tax, 110);
    assert_eq!(priced.total % 10, 0);
}

#[test]
fn out_of_range_inputs_are_refused() {
    assert_eq!(
        TaxRate::from_basis_points(10_001),
        Err(PricingError::RateOutOfRange(10_001))
    );
    let mut input = cart(TaxMode::Inclusive, vec![line(100, 0, 0)]);
    assert_eq!(price(&input), Err(PricingError::QuantityOutOfRange(0)));
    input.lines = vec![line(-1, 1, 0)];
    assert_eq!(price(&input), Err(PricingError::AmountOutOfRange(-1)));
    input.lines = vec![line(100, 1, 0)];
    input.discount = Some(Discount::Percent(0));
    assert_eq!(price(&input), Err(PricingError::PercentOutOfRange(0)));
}

fn any_rate() -> impl Strategy<Value = TaxRate> {
    prop_oneof![
        Just(0u16),
        Just(550),
        Just(700),
        Just(2000),
        Just(2500),
        0u16..=10_000
    ]
    .prop_map(rate)
}

fn any_line(max_unit_price: i64) -> impl Strategy<Value = LineInput> {
    (0i64..=max_unit_price, 1i64..=99, any_rate()).prop_map(|(unit_price, quantity, tax_rate)| {
        LineInput {
            unit_price,
            compare_at_price: None,
            quantity,
            tax_rate,
        }
    })
}

fn any_discount() -> impl Strategy<Value = Option<Discount>> {
    prop_oneof![
        Just(None),
        (1u16..=10_000).prop_map(|bp| Some(Discount::Percent(bp))),
        (0i64..=MAX_UNIT_AMOUNT).prop_map(|amount| Some(Discount::Fixed(amount))),
    ]
}

fn any_input() -> impl Strategy<Value = PricingInput> {
    input_up_to(MAX_UNIT_AMOUNT)
}

fn input_up_to(max_unit_price: i64) -> impl Strategy<Value = PricingInput> {
    (
        prop_oneof![Just(TaxMode::Inclusive), Just(TaxMode::Exclusive)],
        prop::collection::vec(any_line(max_unit_price), 0..8),
        any_discount(),
        prop::option::of(
            (0i64..=100_000, any_rate())
                .prop_map(|(price, tax_rate)| ShippingInput { price, tax_rate }),
        ),
    )
        .prop_map(|(tax_mode, lines, discount, shipping)| PricingInput {
            currency: eur(),
            tax_mode,
            lines,
            discount,
            shipping,
        })
}

proptest! {
    #[test]
    fn the_total_is_never_negative_and_is_the_sum_of_its_parts(input in any_input()) {
        let priced = price(&input).unwrap();
        prop_assert!(priced.total >= 0);
        let shipping = priced.shipping.map_or(0, |s| s.total);
        prop_assert_eq!(priced.total, priced.lines.iter().map(|l| l.total).sum::<i64>() + shipping);
        let added = if input.tax_mode == TaxMode::Exclusive { priced.tax } else { 0 };
        let shipping_price = priced.shipping.map_or(0, |s| s.price);
        prop_assert_eq!(priced.total, priced.subtotal - priced.discount + shipping_price + added);
        prop_assert_eq!(priced.tax, priced.tax_lines.iter().map(|t| t.amount).sum::<i64>());
    }

    #[test]
    fn a_discount_is_allocated_across_lines_and_sums_back_exactly(input in any_input()) {
        let priced = price(&input).unwrap();
        prop_assert!(priced.discount <= priced.subtotal);
        prop_assert_eq!(priced.lines.iter().map(|l| l.discount).sum::<i64>(), priced.discount);
        for line in &priced.lines {
            prop_assert!((0..=line.subtotal).contains(&line.discount));
        }
    }

    /// A price including tax, taken apart into its net and tax, and priced again excluding tax
    /// from that net, comes back to the same amount within one cent per taxed amount. (Each line's
    /// net becomes one unit price, so a line stays within the largest unit price.)
    #[test]
    fn tax_inclusive_and_tax_exclusive_agree_to_the_cent(input in input_up_to(MAX_UNIT_AMOUNT / 99)) {
        let mut inclusive = input.clone();
        inclusive.tax_mode = TaxMode::Inclusive;
        let gross = price(&inclusive).unwrap();
        let nets: Vec<LineInput> = gross
            .lines
            .iter()
            .filter(|l| l.total > 0)
            .map(|l| LineInput {
                unit_price: l.total - l.tax,
                compare_at_price: None,
                quantity: 1,
                tax_rate: l.tax_rate,
            })
            .collect();
        let exclusive = PricingInput {
            currency: input.currency,
            tax_mode: TaxMode::Exclusive,
            lines: nets.clone(),
            discount: None,
            shipping: gross.shipping.map(|s| ShippingInput { price: s.price - s.tax, tax_rate: s.tax_rate }),
        };
        let net = price(&exclusive).unwrap();
        let amounts = i64::try_from(nets.len()).unwrap() + i64::from(gross.shipping.is_some());
        prop_assert!((net.total - gross.total).abs() <= amounts, "{} vs {}", net.total, gross.total);
    }

    #[test]
    fn the_same_inputs_always_give_the_same_figures(input in any_input()) {
        prop_assert_eq!(price(&input), price(&input.clone()));
    }
}
