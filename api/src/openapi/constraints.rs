//! What the derive cannot say about the server's rules: public operations have no security, a
//! price must be one Stripe can charge, and a stock adjustment takes exactly one of two fields.

pub(super) fn operations_mut(
    api: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    api.paths.paths.values_mut().flat_map(|item| {
        [
            item.get.as_mut(),
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ]
        .into_iter()
        .flatten()
    })
}

/// Operations that name no security scheme are open to anyone (the cart and order secrets are
/// parameters, not schemes): say so with an empty `security`, rather than leave it unsaid.
pub(super) fn mark_public_operations(api: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(api) {
        operation.security.get_or_insert_with(Vec::new);
    }
}

/// Every admin operation takes the staff session cookie as well as a bearer key: an
/// alternative requirement beside `admin_token`.
pub(super) fn offer_session_cookie(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for operation in operations_mut(api) {
        let Some(security) = operation.security.as_mut() else {
            continue;
        };
        let takes_token = security.iter().any(|requirement| {
            serde_json::to_value(requirement).is_ok_and(|value| value.get("admin_token").is_some())
        });
        if takes_token {
            security.push(SecurityRequirement::new(
                "admin_session",
                Vec::<String>::new(),
            ));
        }
    }
}

/// `MoneyInput` as `MoneyInput::to_unit_price` accepts it: a currency the shop and Stripe both
/// know, and an amount Stripe can charge in it. The currencies fall into groups by their amount
/// rules (a multiple of 10 in some, a lower ceiling in ISK), one `oneOf` branch per group, all
/// derived from the money module itself.
pub(super) fn describe_money_input(api: &mut utoipa::openapi::OpenApi) {
    use crate::domain::currency::CURRENCIES;
    use crate::domain::money::{Currency, MAX_UNIT_AMOUNT, Money, StripeAmountError};
    use utoipa::openapi::schema::{
        AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
    };

    // (multiple, maximum) -> codes
    let mut groups: Vec<((i64, i64), Vec<&'static str>)> = Vec::new();
    for &(code, _) in CURRENCIES {
        let Ok(currency) = Currency::parse(code) else {
            continue;
        };
        if !currency.stripe_supported() {
            continue;
        }
        let multiple = match Money::new(1, currency).to_stripe() {
            Err(StripeAmountError::NotAMultiple { multiple, .. }) => multiple,
            _ => 1,
        };
        let factor = Money::new(multiple, currency)
            .to_stripe()
            .map_or(1, |stripe| stripe / multiple);
        let maximum = (crate::domain::money::MAX_STRIPE_AMOUNT / factor).min(MAX_UNIT_AMOUNT);
        let maximum = maximum - maximum % multiple;
        match groups
            .iter_mut()
            .find(|(rule, _)| *rule == (multiple, maximum))
        {
            Some((_, codes)) => codes.push(code),
            None => groups.push(((multiple, maximum), vec![code])),
        }
    }
    let branches = groups.into_iter().map(|((multiple, maximum), codes)| {
        let mut amount = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(maximum));
        if multiple > 1 {
            amount = amount.multiple_of(Some(multiple));
        }
        let currency = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("amount", amount)
            .property("currency", currency)
            .required("amount")
            .required("currency")
            .additional_properties(Some(
                AdditionalProperties::<utoipa::openapi::Schema>::FreeForm(false),
            ))
            .build()
    });
    let mut schema = OneOfBuilder::new()
        .description(Some(
            "A price as a client submits it: an amount in the currency's minor units, from 0 to \
99999999, that Stripe can charge (a multiple of 10 in BHD, JOD, KWD, OMR and TND, at most 999999 \
in ISK, which Stripe counts in hundredths), and an ISO 4217 currency code the shop supports.",
        ))
        .examples([serde_json::json!({"amount": 2500, "currency": "EUR"})]);
    for branch in branches {
        schema = schema.item(branch);
    }
    if let Some(components) = api.components.as_mut() {
        components.schemas.insert(
            "MoneyInput".to_owned(),
            utoipa::openapi::RefOr::T(utoipa::openapi::Schema::OneOf(schema.build())),
        );
    }
}

/// `StockAdjustment` takes exactly one of `delta` and `on_hand` (`null` counts as absent).
pub(super) fn describe_stock_adjustment(api: &mut utoipa::openapi::OpenApi) {
    use crate::domain::catalog::MAX_STOCK;
    use utoipa::openapi::schema::{
        AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
    };
    let number = |description: &str, minimum: i32| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(minimum))
            .maximum(Some(MAX_STOCK))
            .description(Some(description))
    };
    let absent = || ObjectBuilder::new().schema_type(Type::Null);
    let branch = |given: &str, schema: ObjectBuilder, other: &str| {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(given, schema)
            .property(other, absent())
            .required(given)
            .additional_properties(Some(
                AdditionalProperties::<utoipa::openapi::Schema>::FreeForm(false),
            ))
            .build()
    };
    let delta = number(
        "Units to add (a delivery) or, when negative, remove (breakage, loss).",
        -MAX_STOCK,
    );
    let on_hand = number("The counted number of units on hand, after a stocktake.", 0);
    let schema = OneOfBuilder::new()
        .item(branch("delta", delta, "on_hand"))
        .item(branch("on_hand", on_hand, "delta"))
        .description(Some("Exactly one of `delta` and `on_hand`."))
        .examples([serde_json::json!({"delta": -2})]);
    if let Some(components) = api.components.as_mut() {
        components.schemas.insert(
            "StockAdjustment".to_owned(),
            utoipa::openapi::RefOr::T(utoipa::openapi::Schema::OneOf(schema.build())),
        );
    }
}

/// Characters `str::trim` removes (Unicode White_Space).
const SPACE: &str = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// Neither a space nor a control character.
const VISIBLE: &str = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// Text as `domain::catalog::text` accepts it: 1 to `max` characters once trimmed, none of them a
/// control character. An optional field may also be blank, which reads as absent.
pub(super) fn text_pattern(max: usize, optional: bool) -> String {
    let middle = max.saturating_sub(2);
    let text = format!(r"{VISIBLE}([^\x00-\x1f\x7f-\x9f]{{0,{middle}}}{VISIBLE})?");
    let text = if optional { format!("({text})?") } else { text };
    format!("^{SPACE}*{text}{SPACE}*$")
}

/// Patterns for the text fields of newer inputs, derived from the limits their rules use, so
/// that clients and the API's fuzzing know what is accepted. No `maxLength` beside them: the
/// rules count characters once the text is trimmed, which only a pattern can say.
pub(super) fn describe_text_fields(api: &mut utoipa::openapi::OpenApi) {
    use crate::domain::address::MAX_LINE_LEN;
    use crate::domain::fulfillment::{
        MAX_CARRIER_LEN, MAX_TRACKING_NUMBER_LEN, MAX_TRACKING_URL_LEN,
    };
    use crate::domain::promotion::{MAX_CODE_LEN, MIN_CODE_LEN};
    use crate::domain::tax::MAX_TAX_NAME_LEN;
    let code = format!(
        "^{SPACE}*[A-Za-z0-9][A-Za-z0-9_-]{{{},{}}}{SPACE}*$",
        MIN_CODE_LEN - 1,
        MAX_CODE_LEN - 1
    );
    // An http(s) URL once trimmed, of no spaces or control characters, or blank (none).
    let scheme = |scheme: &str| {
        let letters: String = scheme
            .chars()
            .map(|c| format!("[{}{c}]", c.to_ascii_uppercase()))
            .collect();
        format!(
            "{letters}://{VISIBLE}{{1,{}}}",
            MAX_TRACKING_URL_LEN - scheme.len() - 3
        )
    };
    let url = format!(
        "^{SPACE}*({}|{})?{SPACE}*$",
        scheme("https"),
        scheme("http")
    );
    use crate::services::staff::keys::MAX_NAME_CHARS;
    let fields: [(&str, &[&str], String); 8] = [
        (
            "AddressInput",
            &["name", "line1", "city"],
            text_pattern(MAX_LINE_LEN, false),
        ),
        (
            "AddressInput",
            &["line2", "region"],
            text_pattern(MAX_LINE_LEN, true),
        ),
        (
            "TaxRateInput",
            &["name"],
            text_pattern(MAX_TAX_NAME_LEN, false),
        ),
        ("NewPromotionInput", &["code"], code),
        (
            "NewFulfillmentInput",
            &["carrier"],
            text_pattern(MAX_CARRIER_LEN, false),
        ),
        (
            "NewFulfillmentInput",
            &["tracking_number"],
            text_pattern(MAX_TRACKING_NUMBER_LEN, false),
        ),
        ("NewFulfillmentInput", &["tracking_url"], url),
        (
            "NewApiKeyInput",
            &["name"],
            text_pattern(MAX_NAME_CHARS, false),
        ),
    ];
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for (schema, properties, pattern) in fields {
        let Some(utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(object))) =
            components.schemas.get_mut(schema)
        else {
            continue;
        };
        for property in properties {
            if let Some(utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(field))) =
                object.properties.get_mut(*property)
            {
                field.pattern = Some(pattern.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::text_pattern;

    #[test]
    fn text_patterns_match_the_ones_written_out_for_older_inputs() {
        let written = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,198}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$";
        assert_eq!(text_pattern(200, false), written);
        assert!(text_pattern(100, true).contains("{0,98}"));
    }
}
