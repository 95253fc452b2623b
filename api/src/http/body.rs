//! Request bodies read from JSON objects only: serde would also read a struct from an array of
//! its field values in order, which no client means and the OpenAPI document does not allow.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};

/// `T`, read from a JSON object; an array or any other JSON value is refused as invalid.
#[derive(Debug)]
pub struct Object<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = serde_json::Map::deserialize(deserializer)?;
        T::deserialize(serde_json::Value::Object(fields))
            .map(Object)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Patch {
        name: Option<String>,
        active: Option<bool>,
    }

    fn read(json: &str) -> Result<Patch, String> {
        serde_json::from_str::<Object<Patch>>(json)
            .map(|object| object.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn objects_are_read_and_arrays_refused() {
        assert_eq!(
            read(r#"{"name": "Europe"}"#),
            Ok(Patch {
                name: Some("Europe".to_owned()),
                active: None
            })
        );
        assert!(
            serde_json::from_str::<Patch>("[null, null]").is_ok(),
            "serde's own reading"
        );
        for refused in [
            "[null, null]",
            "[\"Europe\", true]",
            "null",
            "\"Europe\"",
            "1",
        ] {
            assert!(read(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn the_fields_errors_still_name_the_field() {
        let unknown = read(r#"{"nom": "Europe"}"#).unwrap_err();
        assert!(unknown.contains("unknown field `nom`"), "{unknown}");
        let wrong = read(r#"{"active": "yes"}"#).unwrap_err();
        assert!(wrong.contains("invalid type"), "{wrong}");
    }
}
