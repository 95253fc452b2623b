//! What each transactional email says, as the outbox stores it, and its rendering through the
//! templates in `api/templates/mail/`: an HTML part and a plain-text part of the same words.

use askama::Template;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The facts of one email, fixed when the change it announces happened, so that a resend says
/// exactly what the first sending said.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    OrderPaid(Receipt),
    OrderShipped(ShipmentNotice),
    OrderRefunded(RefundNotice),
    OrderCancelled(CancellationNotice),
    OrderLookup(LookupLink),
    AccountVerify(LookupLink),
    AccountExists(AccountLinks),
    PasswordReset(LookupLink),
    PasswordChanged(AccountLinks),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Receipt {
    pub order_id: Uuid,
    pub lines: Vec<ReceiptLine>,
    /// The shipping address as a label shows it, one line each.
    pub ship_to: Vec<String>,
    /// Subtotal, discount, shipping, each tax and the total, as label and amount.
    pub totals: Vec<(String, String)>,
    pub total: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReceiptLine {
    pub name: String,
    pub quantity: i32,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShipmentNotice {
    pub order_id: Uuid,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    /// What the parcel holds: name and quantity.
    pub lines: Vec<(String, i32)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RefundNotice {
    pub order_id: Uuid,
    pub amount: String,
    /// All refunded so far, this refund included.
    pub refunded: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CancellationNotice {
    pub order_id: Uuid,
    /// What goes back to the shopper's card, if anything does.
    pub refund: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LookupLink {
    pub url: String,
    pub valid_minutes: u32,
}

/// Where a shopper signs in, and where they ask for a new password.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccountLinks {
    pub sign_in_url: String,
    pub reset_url: String,
}

/// The shop as every email names it.
#[derive(Debug, Clone)]
pub struct Shop {
    pub name: String,
    pub url: String,
}

/// An email ready for the transport.
#[derive(Debug)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The order's reference as the shopper sees it: short enough to read out on the phone.
fn reference(order_id: &Uuid) -> String {
    order_id.simple().to_string()[..8].to_ascii_uppercase()
}

/// An HTML and a plain-text template of one email about an order, over the same facts.
macro_rules! order_templates {
    ($($html:ident, $text:ident: $fact:ty => $html_path:literal, $text_path:literal);+ $(;)?) => {
        $(
            #[derive(Template)]
            #[template(path = $html_path)]
            struct $html<'a> {
                shop: &'a Shop,
                heading: &'a str,
                reference: &'a str,
                fact: &'a $fact,
            }

            #[derive(Template)]
            #[template(path = $text_path)]
            struct $text<'a> {
                shop: &'a Shop,
                heading: &'a str,
                reference: &'a str,
                fact: &'a $fact,
            }
        )+
    };
}

order_templates! {
    PaidHtml, PaidText: Receipt => "mail/paid.html", "mail/paid.txt";
    ShippedHtml, ShippedText: ShipmentNotice => "mail/shipped.html", "mail/shipped.txt";
    RefundedHtml, RefundedText: RefundNotice => "mail/refunded.html", "mail/refunded.txt";
    CancelledHtml, CancelledText: CancellationNotice => "mail/cancelled.html", "mail/cancelled.txt";
}

/// An HTML and a plain-text template of one email about a link or an account, over one fact.
macro_rules! link_templates {
    ($($html:ident, $text:ident: $fact:ty => $html_path:literal, $text_path:literal);+ $(;)?) => {
        $(
            #[derive(Template)]
            #[template(path = $html_path)]
            struct $html<'a> {
                shop: &'a Shop,
                heading: &'a str,
                fact: &'a $fact,
            }

            #[derive(Template)]
            #[template(path = $text_path)]
            struct $text<'a> {
                shop: &'a Shop,
                heading: &'a str,
                fact: &'a $fact,
            }
        )+
    };
}

link_templates! {
    LookupHtml, LookupText: LookupLink => "mail/lookup.html", "mail/lookup.txt";
    VerifyHtml, VerifyText: LookupLink => "mail/verify.html", "mail/verify.txt";
    ExistsHtml, ExistsText: AccountLinks => "mail/account_exists.html", "mail/account_exists.txt";
    ResetHtml, ResetText: LookupLink => "mail/reset.html", "mail/reset.txt";
    ChangedHtml, ChangedText: AccountLinks => "mail/password_changed.html", "mail/password_changed.txt";
}

impl Payload {
    pub fn render(&self, shop: &Shop) -> Result<Rendered, askama::Error> {
        macro_rules! both {
            ($html:ident, $text:ident, $fact:expr, $heading:literal) => {{
                let fact = $fact;
                let reference = &reference(&fact.order_id);
                let heading = &format!($heading, reference = reference);
                Rendered {
                    subject: format!("{}: {heading}", shop.name),
                    html: $html {
                        shop,
                        heading,
                        reference,
                        fact,
                    }
                    .render()?,
                    text: $text {
                        shop,
                        heading,
                        reference,
                        fact,
                    }
                    .render()?,
                }
            }};
        }
        macro_rules! linked {
            ($html:ident, $text:ident, $fact:expr, $heading:literal) => {{
                let (fact, heading) = ($fact, $heading);
                Rendered {
                    subject: format!("{}: {heading}", shop.name),
                    html: $html {
                        shop,
                        heading,
                        fact,
                    }
                    .render()?,
                    text: $text {
                        shop,
                        heading,
                        fact,
                    }
                    .render()?,
                }
            }};
        }
        Ok(match self {
            Payload::OrderPaid(fact) => {
                both!(
                    PaidHtml,
                    PaidText,
                    fact,
                    "Your order {reference} is confirmed"
                )
            }
            Payload::OrderShipped(fact) => {
                both!(
                    ShippedHtml,
                    ShippedText,
                    fact,
                    "Your order {reference} has shipped"
                )
            }
            Payload::OrderRefunded(fact) => {
                both!(
                    RefundedHtml,
                    RefundedText,
                    fact,
                    "A refund for your order {reference}"
                )
            }
            Payload::OrderCancelled(fact) => {
                both!(
                    CancelledHtml,
                    CancelledText,
                    fact,
                    "Your order {reference} is cancelled"
                )
            }
            Payload::OrderLookup(fact) => linked!(LookupHtml, LookupText, fact, "Your orders"),
            Payload::AccountVerify(fact) => {
                linked!(VerifyHtml, VerifyText, fact, "Confirm your email address")
            }
            Payload::AccountExists(fact) => {
                linked!(ExistsHtml, ExistsText, fact, "You already have an account")
            }
            Payload::PasswordReset(fact) => {
                linked!(ResetHtml, ResetText, fact, "Choose a new password")
            }
            Payload::PasswordChanged(fact) => {
                linked!(ChangedHtml, ChangedText, fact, "Your password was changed")
            }
        })
    }
}
