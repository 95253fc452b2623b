//! A cart priced by `domain::pricing`: the figures the cart shows are the ones a checkout of it
//! charges.

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::CartSnapshot;
use crate::db::promotions::PromotionRow;
use crate::db::shipping::RateRow;
use crate::domain::currency::Currency;
use crate::domain::money::{Money, MoneyView};
use crate::domain::pricing::{
    self, LineInput, Pricing, PricingInput, ShippingInput, TaxMode, TaxRate,
};
use crate::domain::promotion::Refusal;
use crate::domain::tax::{CountryTax, ReceiptTaxLine, percent};
use crate::error::ApiError;

/// A way to ship the cart, at what it costs this cart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingOption {
    pub rate_id: Uuid,
    #[schema(example = "Standard (3 to 5 days)")]
    pub name: String,
    /// For this cart: the rate's price, per-item charges included, or 0 above its threshold.
    /// Before tax where prices exclude tax.
    pub price: MoneyView,
    /// A subtotal (after discount) at or above this ships for nothing.
    pub free_above: Option<MoneyView>,
}

/// One rate of tax over the cart, as a receipt shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaxLineView {
    #[schema(example = "VAT 20 %")]
    pub label: String,
    #[schema(example = 2000)]
    pub rate_bp: u16,
    pub amount: MoneyView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartTotals {
    /// The lines at their unit prices.
    pub subtotal: MoneyView,
    /// Taken off the merchandise by a promotion code.
    pub discount: MoneyView,
    /// The chosen shipping method's price for this cart; `null` until one is chosen.
    pub shipping: Option<MoneyView>,
    /// Every tax over lines and shipping.
    pub tax: MoneyView,
    /// `tax` by rate, highest first.
    pub tax_lines: Vec<TaxLineView>,
    /// True where prices include tax (`tax` is part of the other figures), false where it is
    /// added to them.
    pub tax_included: bool,
    /// True until a shipping address says which country's tax applies; `tax` is 0 until then.
    pub tax_pending: bool,
    /// What a checkout of the cart as it stands charges.
    pub total: MoneyView,
}

/// The cart's lines in its own currency, taxed where its address says, shipped by the chosen
/// rate while that is still offered.
pub fn price_cart(snapshot: &CartSnapshot, tax_mode: TaxMode) -> Result<Pricing, ApiError> {
    let currency = snapshot.cart.currency;
    let tax = snapshot.delivery.tax.as_ref();
    let lines: Vec<LineInput> = snapshot
        .lines
        .iter()
        .filter(|detail| detail.currency == currency)
        .map(|detail| LineInput {
            unit_price: detail.price_amount,
            compare_at_price: detail.compare_at_amount,
            quantity: i64::from(detail.line.quantity),
            tax_rate: tax.map_or(TaxRate::ZERO, |tax| tax.rate_for(detail.tax_class)),
        })
        .collect();
    let subtotal = lines
        .iter()
        .map(|line| line.unit_price * line.quantity)
        .sum();
    let discount = match promotion_standing(snapshot, subtotal) {
        Some((promotion, Ok(()))) => Some(promotion.offer().discount()),
        _ => None,
    };
    let mut input = PricingInput {
        currency,
        tax_mode,
        lines,
        discount,
        shipping: None,
    };
    let Some(rate) = &snapshot.delivery.rate else {
        return compute(&input);
    };
    // A threshold for free shipping is met by what the shopper pays for the goods, so the
    // discount comes off first.
    let goods = compute(&input)?;
    let price = shipping_price(rate, &goods, currency)?;
    input.shipping = Some(ShippingInput {
        price: price.amount(),
        tax_rate: tax.map_or(TaxRate::ZERO, CountryTax::shipping_rate),
    });
    compute(&input)
}

/// The cart's promotion and whether a cart whose lines come to `subtotal` may use it now. An
/// amount off in another currency than the cart's (the shop changed currency) is no code of its.
pub fn promotion_standing(
    snapshot: &CartSnapshot,
    subtotal: i64,
) -> Option<(&PromotionRow, Result<(), Refusal>)> {
    let promotion = snapshot.promotion.as_ref()?;
    let currency = snapshot.cart.currency;
    let standing = if promotion.currency == currency {
        promotion
            .terms()
            .admits(Utc::now(), Money::new(subtotal, currency))
    } else {
        Err(Refusal::Unknown)
    };
    Some((promotion, standing))
}

fn compute(input: &PricingInput) -> Result<Pricing, ApiError> {
    pricing::price(input).map_err(|e| ApiError::Internal(format!("pricing a cart: {e}")))
}

fn shipping_price(rate: &RateRow, goods: &Pricing, currency: Currency) -> Result<Money, ApiError> {
    let units: i64 = goods.lines.iter().map(|line| line.quantity).sum();
    rate.charges()
        .price_for(
            Money::new(goods.subtotal - goods.discount, currency),
            u32::try_from(units).unwrap_or(u32::MAX),
        )
        .ok_or_else(|| ApiError::Internal(format!("rate {} cannot price this cart", rate.id)))
}

/// A rate as an option for a cart priced `goods`.
pub fn option(rate: &RateRow, goods: &Pricing) -> Result<ShippingOption, ApiError> {
    Ok(ShippingOption {
        rate_id: rate.id,
        name: rate.name.clone(),
        price: shipping_price(rate, goods, goods.currency)?.into(),
        free_above: rate
            .free_above_amount
            .map(|amount| Money::new(amount, rate.currency).into()),
    })
}

/// `tax_pending` while the cart has no shipping address.
/// The tax lines as a receipt prints them, named as the destination names its tax.
pub fn receipt_tax_lines(pricing: &Pricing, tax: Option<&CountryTax>) -> Vec<ReceiptTaxLine> {
    pricing
        .tax_lines
        .iter()
        .map(|line| ReceiptTaxLine {
            label: tax.map_or_else(|| percent(line.rate), |tax| tax.label(line.rate)),
            rate_bp: line.rate.basis_points(),
            amount: line.amount,
        })
        .collect()
}

pub fn tax_line_view(line: ReceiptTaxLine, currency: Currency) -> TaxLineView {
    TaxLineView {
        label: line.label,
        rate_bp: line.rate_bp,
        amount: Money::new(line.amount, currency).into(),
    }
}

pub fn totals(pricing: &Pricing, tax: Option<&CountryTax>, tax_pending: bool) -> CartTotals {
    let money = |amount| MoneyView::from(Money::new(amount, pricing.currency));
    CartTotals {
        subtotal: money(pricing.subtotal),
        discount: money(pricing.discount),
        shipping: pricing.shipping.map(|shipping| money(shipping.price)),
        tax: money(pricing.tax),
        tax_lines: receipt_tax_lines(pricing, tax)
            .into_iter()
            .map(|line| tax_line_view(line, pricing.currency))
            .collect(),
        tax_included: pricing.tax_mode == TaxMode::Inclusive,
        tax_pending,
        total: money(pricing.total),
    }
}
