//! The states an order, a cart, a refund and an order's stock go through, stored as text and
//! read back as these types, so no query or handler compares status strings.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a fieldless enum stored as text: its snake_case name in the database and in the API,
/// in both directions. A value the database holds but the enum lacks is refused on read.
macro_rules! stored_as_text {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, AsExpression,
            FromSqlRow,
        )]
        #[diesel(sql_type = Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let text = std::str::from_utf8(value.as_bytes())?;
                $name::parse(text).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " {:?}"), text).into()
                })
            }
        }
    };
}

pub(crate) use stored_as_text;

stored_as_text! {
    /// Where an order is in its life. Only `pending_payment` holds reserved stock.
    pub enum OrderStatus {
        /// Waiting for the payment; stock is reserved until `expires_at`.
        PendingPayment => "pending_payment",
        Paid => "paid",
        /// Paid, but something did not match (amount, currency, or stock after a late payment).
        NeedsReview => "needs_review",
        Cancelled => "cancelled",
        Refunded => "refunded",
        PartiallyRefunded => "partially_refunded",
    }
}

stored_as_text! {
    /// How much of a paid order has shipped; separate from its payment status.
    pub enum FulfillmentStatus {
        Unfulfilled => "unfulfilled",
        PartiallyFulfilled => "partially_fulfilled",
        Fulfilled => "fulfilled",
    }
}

stored_as_text! {
    /// Where a transactional email is: waiting to be sent (again), sent, given up on, or not sent
    /// because email was off.
    pub enum EmailStatus {
        Pending => "pending",
        Sent => "sent",
        /// Every attempt failed; the admin sees it and may resend it.
        Failed => "failed",
        /// Email was off (no SMTP_URL) when it fell due.
        Skipped => "skipped",
    }
}

stored_as_text! {
    /// What a transactional email announces.
    pub enum EmailKind {
        /// The receipt.
        OrderPaid => "order_paid",
        OrderShipped => "order_shipped",
        OrderRefunded => "order_refunded",
        OrderCancelled => "order_cancelled",
        /// A link to the orders of an email address.
        OrderLookup => "order_lookup",
        /// The link that verifies a new account's address.
        AccountVerify => "account_verify",
        /// Someone signed up with an address that already has an account.
        AccountExists => "account_exists",
        /// The link that sets a new password.
        PasswordReset => "password_reset",
        /// The account's password was changed.
        PasswordChanged => "password_changed",
    }
}

stored_as_text! {
    /// Which of a country's tax rates a product is taxed at.
    pub enum TaxClass {
        Standard => "standard",
        /// A lower rate some goods have (books, food, in many countries).
        Reduced => "reduced",
    }
}

stored_as_text! {
    /// A cart is open to changes, locked while a checkout of it awaits payment, or closed once paid.
    pub enum CartStatus {
        /// The shopper can change it.
        Open => "open",
        /// A checkout holds it; it can no longer change.
        Locked => "locked",
        /// It was paid for.
        Closed => "closed",
    }
}

stored_as_text! {
    /// A refund is `requested` before Stripe is asked; from then on its status is Stripe's.
    pub enum RefundStatus {
        Requested => "requested",
        Pending => "pending",
        RequiresAction => "requires_action",
        Succeeded => "succeeded",
        Failed => "failed",
        Canceled => "canceled",
    }
}

impl RefundStatus {
    /// Statuses whose money Stripe has accepted to return (or has returned).
    pub const ACCEPTED: &'static [RefundStatus] = &[
        RefundStatus::Pending,
        RefundStatus::RequiresAction,
        RefundStatus::Succeeded,
    ];
    /// Statuses that count against what can still be refunded: every one that may yet succeed.
    pub const COMMITTED: &'static [RefundStatus] = &[
        RefundStatus::Requested,
        RefundStatus::Pending,
        RefundStatus::RequiresAction,
        RefundStatus::Succeeded,
    ];
}

stored_as_text! {
    /// What an order's units do to the variants' stock: held for a pending payment, sold, or given back.
    pub enum StockState {
        Reserved => "reserved",
        Committed => "committed",
        Released => "released",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_is_the_api_name() {
        for status in OrderStatus::ALL {
            let api = serde_json::to_value(status).unwrap();
            assert_eq!(api, status.as_str());
            assert_eq!(OrderStatus::parse(status.as_str()), Some(*status));
        }
        for status in RefundStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert_eq!(CartStatus::parse("paid"), None);
        assert_eq!(StockState::parse("committed"), Some(StockState::Committed));
    }
}
