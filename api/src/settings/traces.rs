//! OpenTelemetry traces: off unless an OTLP endpoint is named, with the standard variable names
//! (read here rather than by the SDK, so that they are validated with the rest at start-up).

use std::time::Duration;

use super::parse::parse_in_range;
use super::{RawSettings, SettingsError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceProtocol {
    Protobuf,
    Json,
}

#[derive(Debug, Clone)]
pub struct TraceSettings {
    /// Where spans are POSTed: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, or
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces` appended.
    pub endpoint: String,
    pub protocol: TraceProtocol,
    pub service_name: String,
    /// How long one export may take, retries included.
    pub timeout: Duration,
    /// How often finished spans are sent (`OTEL_BSP_SCHEDULE_DELAY`).
    pub schedule_delay: Duration,
}

fn named(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl RawSettings {
    pub(super) fn traces(&self) -> Result<Option<TraceSettings>, SettingsError> {
        let endpoint = match (
            named(self.otel_exporter_otlp_traces_endpoint.as_ref()),
            named(self.otel_exporter_otlp_endpoint.as_ref()),
        ) {
            (Some(traces), _) => traces.to_owned(),
            (None, Some(base)) => format!("{}/v1/traces", base.trim_end_matches('/')),
            (None, None) => return Ok(None),
        };
        // The exporter's HTTP client is built without TLS: a collector beside the API (a sidecar,
        // or a node agent) is reached over the pod's own network.
        if !endpoint.starts_with("http://") {
            return Err(SettingsError(format!(
                "the OTLP endpoint must be an http:// URL (a collector beside the API), got {endpoint:?}"
            )));
        }
        let protocol = match named(self.otel_exporter_otlp_protocol.as_ref()) {
            None | Some("http/protobuf") => TraceProtocol::Protobuf,
            Some("http/json") => TraceProtocol::Json,
            Some(other) => {
                return Err(SettingsError(format!(
                    "OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json, got {other:?}"
                )));
            }
        };
        Ok(Some(TraceSettings {
            endpoint,
            protocol,
            service_name: named(self.otel_service_name.as_ref())
                .unwrap_or("shop-api")
                .to_owned(),
            timeout: Duration::from_millis(parse_in_range(
                "OTEL_EXPORTER_OTLP_TIMEOUT",
                named(self.otel_exporter_otlp_timeout.as_ref()).unwrap_or("5000"),
                100,
                60_000,
            )?),
            schedule_delay: Duration::from_millis(parse_in_range(
                "OTEL_BSP_SCHEDULE_DELAY",
                named(self.otel_bsp_schedule_delay.as_ref()).unwrap_or("5000"),
                10,
                60_000,
            )?),
        }))
    }
}
