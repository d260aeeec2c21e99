//! The console's own Prometheus metrics, served at `/metrics`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Cheap to clone; every clone records into the same registry.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    durations: Histogram,
    live_streams: Gauge,
    sign_ins: Family<OutcomeLabels, Counter>,
    watch_failures: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("registry_console");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let durations = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to the first byte for streams)",
            durations.clone(),
        );
        let live_streams = Gauge::default();
        registry.register(
            "live_streams",
            "Open live overview streams",
            live_streams.clone(),
        );
        let sign_ins = Family::<OutcomeLabels, Counter>::default();
        registry.register("sign_ins", "Sign-in attempts by outcome", sign_ins.clone());
        let watch_failures = Counter::default();
        registry.register(
            "watch_failures",
            "Times a live watch lost the cluster",
            watch_failures.clone(),
        );
        Self {
            registry: Arc::new(Mutex::new(registry)),
            requests,
            durations,
            live_streams,
            sign_ins,
            watch_failures,
        }
    }
}

impl Metrics {
    /// Records an answered request. Methods outside HTTP's standard ones count as
    /// `other`: a client sending made-up methods cannot grow the series without bound.
    pub fn request(&self, method: &str, status: u16, took: Duration) {
        const KNOWN: [&str; 9] = [
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
        ];
        let method = KNOWN.into_iter().find(|m| *m == method).unwrap_or("other");
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                status,
            })
            .inc();
        self.durations.observe(took.as_secs_f64());
    }

    /// Records a sign-in attempt: `accepted`, `rejected` (401) or `failed`.
    pub fn sign_in(&self, outcome: &'static str) {
        self.sign_ins
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// Records that a live watch lost the cluster.
    pub fn watch_failed(&self) {
        self.watch_failures.inc();
    }

    /// Counts an open live stream until the guard is dropped.
    pub fn live_stream(&self) -> LiveStreamGuard {
        self.live_streams.inc();
        LiveStreamGuard(self.live_streams.clone())
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut text = String::new();
        let registry = self
            .registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        encode(&mut text, &registry).expect("writing to a String cannot fail");
        text
    }
}

/// Decrements the open-stream gauge when the stream ends.
pub struct LiveStreamGuard(Gauge);

impl Drop for LiveStreamGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text_with_the_recorded_values() {
        let metrics = Metrics::default();
        metrics.request("GET", 200, Duration::from_millis(3));
        metrics.sign_in("rejected");
        let guard = metrics.live_stream();
        let text = metrics.render();
        assert!(
            text.contains(r#"registry_console_http_requests_total{method="GET",status="200"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"registry_console_sign_ins_total{outcome="rejected"} 1"#),
            "{text}"
        );
        assert!(text.contains("registry_console_live_streams 1"), "{text}");
        drop(guard);
        assert!(metrics.render().contains("registry_console_live_streams 0"));
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn made_up_methods_share_one_series() {
        let metrics = Metrics::default();
        for i in 0..50 {
            metrics.request(&format!("X-{i}"), 405, Duration::from_millis(1));
        }
        let text = metrics.render();
        assert!(
            text.contains(
                r#"registry_console_http_requests_total{method="other",status="405"} 50"#
            ),
            "{text}"
        );
        assert!(!text.contains("X-1"), "{text}");
    }
}
