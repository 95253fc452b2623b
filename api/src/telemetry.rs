//! OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is configured and off (no
//! thread, no cost) otherwise. A span per request (`http/observe.rs`) and one per Stripe call
//! (`payments`), which becomes the request's child. Spans leave in batches from the SDK's own
//! thread, so a slow collector never holds up a request.

use opentelemetry::InstrumentationScope;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, SdkTracer, SdkTracerProvider,
};

use crate::settings::{TraceProtocol, TraceSettings};

/// The tracer that requests and Stripe calls start their spans with; `None` when tracing is off.
#[derive(Debug, Clone, Default)]
pub struct Tracer(pub Option<SdkTracer>);

/// The exporter's provider: shut down once the servers have stopped, so the last spans leave.
pub struct Tracing {
    provider: SdkTracerProvider,
    tracer: SdkTracer,
}

impl Tracing {
    pub fn start(settings: &TraceSettings) -> Result<Self, String> {
        let exporter = SpanExporter::builder()
            .with_http()
            .with_protocol(match settings.protocol {
                TraceProtocol::Protobuf => Protocol::HttpBinary,
                TraceProtocol::Json => Protocol::HttpJson,
            })
            .with_endpoint(settings.endpoint.clone())
            .with_timeout(settings.timeout)
            .build()
            .map_err(|e| format!("the OTLP exporter: {e}"))?;
        let processor = BatchSpanProcessor::builder(exporter)
            .with_batch_config(
                BatchConfigBuilder::default()
                    .with_scheduled_delay(settings.schedule_delay)
                    .build(),
            )
            .build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .with_resource(
                Resource::builder()
                    .with_service_name(settings.service_name.clone())
                    .build(),
            )
            .build();
        let tracer = provider.tracer_with_scope(
            InstrumentationScope::builder("shop-api")
                .with_version(env!("CARGO_PKG_VERSION"))
                .build(),
        );
        Ok(Tracing { provider, tracer })
    }

    pub fn tracer(&self) -> Tracer {
        Tracer(Some(self.tracer.clone()))
    }

    /// Sends what is left and stops the exporter's thread; blocks, so not on a request thread.
    pub fn shutdown(self) {
        if let Err(err) = self
            .provider
            .shutdown_with_timeout(std::time::Duration::from_secs(5))
        {
            log::warn!("traces: the exporter did not shut down cleanly: {err}");
        }
    }
}
