//! The one price computation. The cart, the checkout, the order and the storefront all show what
//! [`price`] says: the lines at their unit price, less discounts, plus shipping, then tax, and the
//! total. Every figure is an integer count of the currency's minor units, and every rounded
//! figure (a percentage discount, a tax) is rounded half up to what the currency can be charged
//! in, so the total is always chargeable as it stands.

use super::currency::Currency;
use super::money::MAX_UNIT_AMOUNT;

#[cfg(test)]
mod tests;

/// Whether catalog prices include tax (EU style: the shopper pays the shown price) or exclude it
/// (US style: tax is added on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxMode {
    Inclusive,
    Exclusive,
}

/// A tax rate in basis points: 2000 is 20 %. Stored as an integer column (see `domain::tax`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Int4)]
pub struct TaxRate(u16);

impl TaxRate {
    pub const ZERO: TaxRate = TaxRate(0);

    /// At most 100 %.
    pub fn from_basis_points(basis_points: u16) -> Result<TaxRate, PricingError> {
        if basis_points <= 10_000 {
            Ok(TaxRate(basis_points))
        } else {
            Err(PricingError::RateOutOfRange(basis_points))
        }
    }

    pub fn basis_points(self) -> u16 {
        self.0
    }
}

/// A discount on the merchandise (never on shipping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// In basis points of the subtotal: 1500 is 15 % off.
    Percent(u16),
    /// An amount in minor units, at most the subtotal.
    Fixed(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub unit_price: i64,
    /// The price the sale price is compared with, shown struck through.
    pub compare_at_price: Option<i64>,
    pub quantity: i64,
    pub tax_rate: TaxRate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingInput {
    pub price: i64,
    pub tax_rate: TaxRate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingInput {
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub lines: Vec<LineInput>,
    pub discount: Option<Discount>,
    pub shipping: Option<ShippingInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub unit_price: i64,
    pub compare_at_price: Option<i64>,
    pub quantity: i64,
    /// `unit_price × quantity`.
    pub subtotal: i64,
    /// This line's share of the discount.
    pub discount: i64,
    pub tax_rate: TaxRate,
    /// Included in `total` or added to it, as the tax mode says.
    pub tax: i64,
    /// What the shopper pays for this line.
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedShipping {
    pub price: i64,
    pub tax_rate: TaxRate,
    pub tax: i64,
    pub total: i64,
}

/// All tax at one rate, as a receipt shows it ("VAT 20 %: €16.50").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxLine {
    pub rate: TaxRate,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub currency: Currency,
    pub tax_mode: TaxMode,
    pub lines: Vec<PricedLine>,
    pub shipping: Option<PricedShipping>,
    /// The lines at their unit prices, before the discount.
    pub subtotal: i64,
    pub discount: i64,
    /// Every tax, by rate, highest first.
    pub tax_lines: Vec<TaxLine>,
    pub tax: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("a tax rate is at most 10000 basis points, got {0}")]
    RateOutOfRange(u16),
    #[error("a percentage discount is 1 to 10000 basis points, got {0}")]
    PercentOutOfRange(u16),
    #[error("amounts are 0 to {MAX_UNIT_AMOUNT} minor units, got {0}")]
    AmountOutOfRange(i64),
    #[error("a line's quantity is 1 to {MAX_QUANTITY}, got {0}")]
    QuantityOutOfRange(i64),
}

/// The most units a line may hold, far above any cart's limit, to keep every product in range.
pub const MAX_QUANTITY: i64 = 100_000;

/// Prices a cart or an order. The same input always gives the same figures.
pub fn price(input: &PricingInput) -> Result<Pricing, PricingError> {
    validate(input)?;
    let quantum = input.currency.stripe_multiple();
    let subtotals: Vec<i64> = input
        .lines
        .iter()
        .map(|line| line.unit_price * line.quantity)
        .collect();
    let subtotal: i64 = subtotals.iter().sum();
    let discount = match input.discount {
        None => 0,
        Some(Discount::Percent(basis_points)) => round_half_up(
            i128::from(subtotal) * i128::from(basis_points),
            10_000,
            quantum,
        ),
        Some(Discount::Fixed(amount)) => amount,
    }
    .min(subtotal);
    let shares = allocate(discount, &subtotals);
    let lines: Vec<PricedLine> = input
        .lines
        .iter()
        .zip(subtotals.iter().zip(shares))
        .map(|(line, (&line_subtotal, share))| {
            let taxable = line_subtotal - share;
            let (tax, total) = taxed(taxable, line.tax_rate, input.tax_mode, quantum);
            PricedLine {
                unit_price: line.unit_price,
                compare_at_price: line.compare_at_price,
                quantity: line.quantity,
                subtotal: line_subtotal,
                discount: share,
                tax_rate: line.tax_rate,
                tax,
                total,
            }
        })
        .collect();
    let shipping = input.shipping.map(|shipping| {
        let (tax, total) = taxed(shipping.price, shipping.tax_rate, input.tax_mode, quantum);
        PricedShipping {
            price: shipping.price,
            tax_rate: shipping.tax_rate,
            tax,
            total,
        }
    });
    let taxes = lines.iter().map(|line| (line.tax_rate, line.tax)).chain(
        shipping
            .iter()
            .map(|shipping| (shipping.tax_rate, shipping.tax)),
    );
    let mut tax_lines: Vec<TaxLine> = Vec::new();
    for (rate, amount) in taxes.filter(|(rate, _)| *rate != TaxRate::ZERO) {
        match tax_lines.iter_mut().find(|line| line.rate == rate) {
            Some(line) => line.amount += amount,
            None => tax_lines.push(TaxLine { rate, amount }),
        }
    }
    tax_lines.sort_by_key(|line| std::cmp::Reverse(line.rate));
    let total = lines.iter().map(|line| line.total).sum::<i64>()
        + shipping.map_or(0, |shipping| shipping.total);
    Ok(Pricing {
        currency: input.currency,
        tax_mode: input.tax_mode,
        subtotal,
        discount,
        tax: tax_lines.iter().map(|line| line.amount).sum(),
        tax_lines,
        lines,
        shipping,
        total,
    })
}

fn validate(input: &PricingInput) -> Result<(), PricingError> {
    let amount = |value: i64| {
        if (0..=MAX_UNIT_AMOUNT).contains(&value) {
            Ok(())
        } else {
            Err(PricingError::AmountOutOfRange(value))
        }
    };
    for line in &input.lines {
        amount(line.unit_price)?;
        line.compare_at_price.map(amount).transpose()?;
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(PricingError::QuantityOutOfRange(line.quantity));
        }
    }
    match input.discount {
        Some(Discount::Percent(basis_points)) if !(1..=10_000).contains(&basis_points) => {
            return Err(PricingError::PercentOutOfRange(basis_points));
        }
        Some(Discount::Fixed(value)) => amount(value)?,
        _ => {}
    }
    input.shipping.map(|s| amount(s.price)).transpose()?;
    Ok(())
}

/// The tax in an amount and what the shopper pays for it: inclusive prices hold their tax,
/// exclusive ones get it added.
fn taxed(amount: i64, rate: TaxRate, mode: TaxMode, quantum: i64) -> (i64, i64) {
    let rate = i128::from(rate.basis_points());
    let amount_wide = i128::from(amount);
    match mode {
        TaxMode::Inclusive => {
            let tax = round_half_up(amount_wide * rate, 10_000 + rate, quantum);
            (tax, amount)
        }
        TaxMode::Exclusive => {
            let tax = round_half_up(amount_wide * rate, 10_000, quantum);
            (tax, amount + tax)
        }
    }
}

/// `numerator / denominator`, rounded half up to a multiple of `quantum`; both are non-negative.
fn round_half_up(numerator: i128, denominator: i128, quantum: i64) -> i64 {
    let unit = denominator * i128::from(quantum);
    let rounded = (2 * numerator + unit) / (2 * unit) * i128::from(quantum);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Splits `amount` across the lines in proportion to their subtotals, to the minor unit: each
/// line gets its share rounded down, and the units left go to the largest remainders (the first
/// line first on a tie). The shares add up to `amount` exactly, and none exceeds its line.
fn allocate(amount: i64, subtotals: &[i64]) -> Vec<i64> {
    let total: i128 = subtotals.iter().map(|&s| i128::from(s)).sum();
    if amount == 0 || total == 0 {
        return vec![0; subtotals.len()];
    }
    let exact: Vec<(i128, i128)> = subtotals
        .iter()
        .map(|&s| {
            let product = i128::from(amount) * i128::from(s);
            (product / total, product % total)
        })
        .collect();
    let mut shares: Vec<i64> = exact
        .iter()
        .map(|&(floor, _)| i64::try_from(floor).unwrap_or(0))
        .collect();
    let left = amount - shares.iter().sum::<i64>();
    let mut by_remainder: Vec<usize> = (0..subtotals.len()).collect();
    by_remainder.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &index in by_remainder.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[index] += 1;
    }
    shares
}
