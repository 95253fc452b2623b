//! Reading the raw values: secrets from `_FILE`s, numbers in range, networks and origins.

use std::collections::HashMap;

use ipnet::IpNet;

use super::SettingsError;

/// Secrets may come from files (Compose and Kubernetes secrets) rather than the environment:
/// `STRIPE_SECRET_KEY_FILE=/run/secrets/stripe_secret_key` stands for `STRIPE_SECRET_KEY`.
const SECRET_NAMES: [&str; 6] = [
    "DATABASE_URL",
    "ADMIN_API_TOKEN",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    // Its credentials: smtps://user:password@host.
    "SMTP_URL",
    "ORDER_LOOKUP_SECRET",
];

pub(super) fn read_secret_files(vars: &mut HashMap<String, String>) -> Result<(), SettingsError> {
    for name in SECRET_NAMES {
        let file_var = format!("{name}_FILE");
        let Some(path) = vars.get(&file_var).filter(|p| !p.is_empty()).cloned() else {
            continue;
        };
        if vars.get(name).is_some_and(|v| !v.is_empty()) {
            return Err(SettingsError(format!("set {name} or {file_var}, not both")));
        }
        let value = std::fs::read_to_string(&path)
            .map_err(|e| SettingsError(format!("{file_var}: cannot read {path}: {e}")))?;
        vars.insert(
            name.to_owned(),
            value.trim_end_matches(['\n', '\r']).to_owned(),
        );
    }
    Ok(())
}

pub(super) fn parse_in_range<T>(name: &str, value: &str, min: T, max: T) -> Result<T, SettingsError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match value.trim().parse::<T>() {
        Ok(parsed) if parsed >= min && parsed <= max => Ok(parsed),
        _ => Err(SettingsError(format!(
            "{name} must be a whole number from {min} to {max}, got {value:?}"
        ))),
    }
}

/// A switch is `true` or `false`; anything else is a typo that must not silently mean off.
pub(super) fn parse_flag(name: &str, value: &str) -> Result<bool, SettingsError> {
    match value.trim() {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        _ => Err(SettingsError(format!(
            "{name} must be true or false, got {value:?}"
        ))),
    }
}

/// Addresses or CIDR ranges, separated by spaces or commas; a bare address is a range of one.
pub(super) fn parse_networks(name: &str, list: &str) -> Result<Vec<IpNet>, SettingsError> {
    list.split([',', ' '])
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    SettingsError(format!("{name}: not an address or CIDR range: {item:?}"))
                })
        })
        .collect()
}

/// Origins are compared byte for byte by browsers, so only the bare `scheme://host[:port]` form is accepted.
pub(super) fn parse_origins(list: &str) -> Result<Vec<String>, SettingsError> {
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let well_formed = rest.is_some_and(|host| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            });
            if well_formed {
                Ok(origin.to_owned())
            } else {
                Err(SettingsError(format!(
                    "CORS_ALLOWED_ORIGINS entries must look like https://host[:port], got {origin:?}"
                )))
            }
        })
        .collect()
}
