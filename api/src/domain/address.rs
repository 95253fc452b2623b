//! A postal address as a parcel label needs it, checked field by field so that a form can show
//! each message beside its field. Where the shop ships to is the caller's to say.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Jsonb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::catalog::{Invalid, invalid, text};
use super::country::Country;

pub const MAX_LINE_LEN: usize = 100;
pub const MAX_POSTAL_CODE_LEN: usize = 20;

/// An address as a shopper types it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Ada Lovelace", "line1": "12 St James's Square", "city": "London",
    "postal_code": "SW1Y 4JH", "country": "GB", "phone": "+442071234567"
}))]
pub struct AddressInput {
    /// The recipient: 1 to 100 characters once trimmed.
    pub name: String,
    /// Street and number: 1 to 100 characters once trimmed.
    pub line1: String,
    /// Flat, floor, building: at most 100 characters; blank is none.
    #[serde(default)]
    pub line2: Option<String>,
    /// 1 to 100 characters once trimmed.
    pub city: String,
    /// Letters, digits, spaces and hyphens: 1 to 20 once trimmed.
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9][A-Za-z0-9 -]{0,19}[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub postal_code: String,
    /// State, province or county, where the country uses one: at most 100 characters; blank is
    /// none.
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code, upper case; the shipping address's must be one the shop ships
    /// to.
    #[schema(value_type = Country)]
    pub country: String,
    /// E.164: `+`, the country code, then the number, 8 to 16 characters in all; blank is none.
    #[serde(default)]
    #[schema(
        example = "+442071234567",
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(\+[1-9][0-9]{6,14})?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: Option<String>,
}

/// An address that passed [`address`]: trimmed, the country upper case. Stored as a JSON object
/// in the column of the cart or order it belongs to.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Jsonb)]
pub struct Address {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub region: Option<String>,
    pub country: Country,
    pub phone: Option<String>,
}

/// Only checked addresses are written, so one that no longer reads back is corruption.
impl FromSql<Jsonb, Pg> for Address {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let json = <serde_json::Value as FromSql<Jsonb, Pg>>::from_sql(value)?;
        Ok(serde_json::from_value(json)?)
    }
}

impl ToSql<Jsonb, Pg> for Address {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let json = serde_json::to_value(self)?;
        <serde_json::Value as ToSql<Jsonb, Pg>>::to_sql(&json, &mut out.reborrow())
    }
}

/// Checks every field, and answers all that are wrong at once.
pub fn address(
    input: &AddressInput,
    ships_to: impl Fn(Country) -> bool,
) -> Result<Address, Vec<Invalid>> {
    let mut wrong = Vec::new();
    let mut take = |checked: Result<String, Invalid>| {
        checked
            .map_err(|invalid| wrong.push(invalid))
            .unwrap_or_default()
    };
    let optional = |field: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(|value| text(field, value, MAX_LINE_LEN))
    };
    let name = take(text("name", &input.name, MAX_LINE_LEN));
    let line1 = take(text("line1", &input.line1, MAX_LINE_LEN));
    let line2 = optional("line2", &input.line2).map(&mut take);
    let city = take(text("city", &input.city, MAX_LINE_LEN));
    let postal_code = take(postal_code(&input.postal_code));
    let region = optional("region", &input.region).map(&mut take);
    let mut checked_country = None;
    take(country(&input.country, &ships_to).map(|country| {
        checked_country = Some(country);
        String::new()
    }));
    let phone = input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|phone| !phone.is_empty())
        .map(|phone| take(e164(phone)));
    let Some(country) = checked_country.filter(|_| wrong.is_empty()) else {
        return Err(wrong);
    };
    Ok(Address {
        name,
        line1,
        line2,
        city,
        postal_code,
        region,
        country,
        phone,
    })
}

fn postal_code(value: &str) -> Result<String, Invalid> {
    let trimmed = value.trim();
    let ok = !trimmed.is_empty()
        && trimmed.len() <= MAX_POSTAL_CODE_LEN
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
        && trimmed.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(trimmed.to_owned())
    } else {
        Err(invalid(
            "postal_code",
            format!("must be 1 to {MAX_POSTAL_CODE_LEN} letters, digits, spaces or hyphens"),
        ))
    }
}

/// Exactly a code of the list, as the schema says: no case folding, no trimming.
fn country(value: &str, ships_to: &impl Fn(Country) -> bool) -> Result<Country, Invalid> {
    let code = Country::parse(value).map_err(|_| {
        invalid(
            "country",
            "must be an ISO 3166-1 alpha-2 code such as GB or DE",
        )
    })?;
    if !ships_to(code) {
        return Err(invalid(
            "country",
            format!("the shop does not ship to {code}"),
        ));
    }
    Ok(code)
}

fn e164(value: &str) -> Result<String, Invalid> {
    let digits = value.strip_prefix('+').unwrap_or("");
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(invalid(
            "phone",
            "must be in international form: +, the country code, then the number (E.164)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AddressInput {
        AddressInput {
            name: " Ada Lovelace ".into(),
            line1: "12 St James's Square".into(),
            line2: Some("  ".into()),
            city: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            region: None,
            country: "GB".into(),
            phone: Some("+442071234567".into()),
        }
    }

    fn europe(country: Country) -> bool {
        ["GB", "DE", "FR"].contains(&country.code())
    }

    #[test]
    fn a_good_address_comes_back_trimmed_with_the_country_upper_case() {
        let address = address(&input(), europe).expect("valid");
        assert_eq!(address.name, "Ada Lovelace");
        assert_eq!(address.line2, None);
        assert_eq!(address.country.code(), "GB");
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let wrong = AddressInput {
            name: String::new(),
            line1: "x".repeat(101),
            postal_code: "<script>".into(),
            country: "US".into(),
            phone: Some("02071234567".into()),
            ..input()
        };
        let fields: Vec<&str> = address(&wrong, europe)
            .unwrap_err()
            .iter()
            .map(|invalid| invalid.field)
            .collect();
        assert_eq!(fields, ["name", "line1", "postal_code", "country", "phone"]);
    }

    #[test]
    fn a_country_is_a_two_letter_code_the_shop_ships_to() {
        for (code, shipped) in [
            ("DE", true),
            ("de", false),
            ("US", false),
            ("GBR", false),
            ("G1", false),
        ] {
            let checked = address(
                &AddressInput {
                    country: code.into(),
                    ..input()
                },
                europe,
            );
            assert_eq!(checked.is_ok(), shipped, "{code}");
        }
    }

    #[test]
    fn phones_are_e164() {
        for (phone, ok) in [
            ("+4930123456", true),
            ("+442071234567", true),
            ("+0123456789", false),
            ("+12345", false),
            ("+1234567890123456", false),
            ("+49 30 123456", false),
        ] {
            let checked = address(
                &AddressInput {
                    phone: Some(phone.into()),
                    ..input()
                },
                europe,
            );
            assert_eq!(checked.is_ok(), ok, "{phone}");
        }
    }
}
