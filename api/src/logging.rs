//! Log output: env_logger's plain lines by default, or with `LOG_FORMAT=json` one JSON object per
//! line, for a log pipeline to index. A request's line carries its fields (method, route, status,
//! duration, request id) as keys of their own.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use log::kv::{Error, Key, Value, VisitSource};
use serde_json::{Map, Value as Json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// `LOG_FORMAT`, unset or empty meaning text.
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("" | "text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("LOG_FORMAT must be text or json, got {other:?}")),
        }
    }
}

/// Installs the logger; `RUST_LOG` filters as usual (`info` when unset).
pub fn init(format: LogFormat) {
    let mut builder =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    if format == LogFormat::Json {
        builder.format(|out, record| writeln!(out, "{}", json_line(record, Utc::now())));
    }
    builder.init();
}

/// One record as a JSON object: `ts`, `level`, `target`, `message`, then the record's own keys.
pub fn json_line(record: &log::Record<'_>, at: DateTime<Utc>) -> String {
    let mut line = Map::new();
    line.insert(
        "ts".into(),
        Json::String(at.to_rfc3339_opts(SecondsFormat::Millis, true)),
    );
    line.insert("level".into(), Json::String(record.level().to_string()));
    line.insert("target".into(), Json::String(record.target().to_owned()));
    line.insert("message".into(), Json::String(record.args().to_string()));
    let mut fields = Fields(&mut line);
    // A key that cannot be read is left out rather than losing the line.
    let _ = record.key_values().visit(&mut fields);
    Json::Object(line).to_string()
}

struct Fields<'a>(&'a mut Map<String, Json>);

impl<'kvs> VisitSource<'kvs> for Fields<'_> {
    fn visit_pair(&mut self, key: Key<'kvs>, value: Value<'kvs>) -> Result<(), Error> {
        let json = if let Some(number) = value.to_u64() {
            Json::from(number)
        } else if let Some(number) = value.to_i64() {
            Json::from(number)
        } else if let Some(number) = value.to_f64() {
            Json::from(number)
        } else if let Some(flag) = value.to_bool() {
            Json::Bool(flag)
        } else {
            Json::String(value.to_string())
        };
        // The record's own fields never overwrite the envelope's.
        self.0.entry(key.as_str().to_owned()).or_insert(json);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_line_is_one_json_object_with_its_fields() {
        let route = "/api/v1/products/{slug_or_id}";
        let (status, duration_ms) = (200u16, 1.25f64);
        let kvs: [(&str, Value<'_>); 3] = [
            ("route", Value::from(route)),
            ("status", Value::from(status)),
            ("duration_ms", Value::from(duration_ms)),
        ];
        let line = json_line(
            &log::Record::builder()
                .args(format_args!("GET /api/v1/products/mug 200 \"quoted\"\n"))
                .level(log::Level::Info)
                .target("shop_api::request")
                .key_values(&kvs)
                .build(),
            DateTime::from_timestamp(1_800_000_000, 0).expect("time"),
        );
        assert!(!line.contains('\n'), "{line}");
        let parsed: Json = serde_json::from_str(&line).expect("JSON");
        assert_eq!(parsed["ts"], "2027-01-15T08:00:00.000Z");
        assert_eq!(parsed["level"], "INFO");
        assert_eq!(parsed["target"], "shop_api::request");
        assert_eq!(
            parsed["message"],
            "GET /api/v1/products/mug 200 \"quoted\"\n"
        );
        assert_eq!(parsed["route"], route);
        assert_eq!(parsed["status"], 200);
        assert_eq!(parsed["duration_ms"], 1.25);
    }

    #[test]
    fn log_format_is_text_or_json() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("json")), Ok(LogFormat::Json));
        assert!(LogFormat::parse(Some("xml")).is_err());
    }
}
