//! What the admin's inputs share: patches that tell "set to null" from "leave alone", and fields
//! that are on unless said otherwise.

use serde::{Deserialize, Deserializer};

/// `null` and an absent field mean different things in a patch: clear it, or leave it alone.
/// For `#[serde(default, deserialize_with = "present")]` on an `Option<Option<T>>`.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For `#[serde(default = "yes")]`: a flag that is on unless the input says otherwise.
pub(crate) fn yes() -> bool {
    true
}

/// A patch's field that may be absent (leave it alone) but not `null`, which would mean nothing.
/// For `#[serde(default, deserialize_with = "some")]` on an `Option<T>`.
pub(crate) fn some<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}
