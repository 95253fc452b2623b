//! Countries as ISO 3166-1 alpha-2 codes: where a shop ships, checked once where a code enters
//! the system, and how a code is stored in a text column.

use std::fmt;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted, as Debian's `iso-codes` 4.15.0
/// lists them (`iso_3166-1.json`, which follows the ISO 3166 Maintenance Agency). A static list
/// rather than a crate: `celes` 2.x adds `phf`'s macros to the build and the user-assigned `XK`,
/// its 3.x needs a newer Rust than the project's, and `isocountry` has had no release since 2021.
/// Codes that are not ISO 3166-1 (`XK`, `UK`, `EU`) are refused.
pub const COUNTRY_CODES: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Country(&'static str);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an ISO 3166-1 alpha-2 country code, such as FR (two upper-case letters)")]
pub struct UnknownCountry(pub String);

impl Country {
    /// Upper case only, as ISO writes the codes: a lower-case code is refused rather than
    /// guessed, so the same country is never stored two ways.
    pub fn parse(code: &str) -> Result<Self, UnknownCountry> {
        COUNTRY_CODES
            .binary_search(&code)
            .map(|index| Country(COUNTRY_CODES[index]))
            .map_err(|_| UnknownCountry(code.chars().take(16).collect()))
    }

    pub fn code(&self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Country::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// The schema lists every code, so clients and the API's fuzzing know exactly what is accepted.
impl PartialSchema for Country {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An ISO 3166-1 alpha-2 country code, upper case."))
            .enum_values(Some(COUNTRY_CODES))
            .examples(["FR"])
            .into()
    }
}

impl ToSchema for Country {}

impl ToSql<Text, Pg> for Country {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <str as ToSql<Text, Pg>>::to_sql(self.0, out)
    }
}

/// Only valid codes are ever written, so an unknown one read back is corruption, not input.
impl FromSql<Text, Pg> for Country {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let code = std::str::from_utf8(value.as_bytes())?;
        Ok(Country::parse(code)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_distinct_and_two_upper_case_letters() {
        assert!(COUNTRY_CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(
            COUNTRY_CODES
                .iter()
                .all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn assigned_codes_parse_and_others_are_refused() {
        for code in ["AD", "FR", "DE", "US", "GB", "ZW"] {
            assert_eq!(Country::parse(code).map(|c| c.code()), Ok(code));
        }
        for code in ["fr", "Fr", "XK", "UK", "EU", "FRA", "F", "", " FR", "ÉÉ"] {
            assert!(Country::parse(code).is_err(), "{code:?}");
        }
    }
}
