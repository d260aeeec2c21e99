//! Helpers for tests of this crate and of the server: not part of the console.

use std::sync::{Arc, Mutex};

use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;

/// Every log line written through its layer, as JSON lines.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// A subscriber that writes every line at `level` or above here, and the lines.
    pub fn subscriber(level: tracing::Level) -> (impl tracing::Subscriber, Self) {
        let logs = Self::default();
        let subscriber = tracing_subscriber::registry().with(logs.layer(level));
        (subscriber, logs)
    }

    /// The layer that writes every line at `level` or above here, as the server prints
    /// them (JSON, with the current span's fields).
    pub fn layer<S>(&self, level: tracing::Level) -> impl Layer<S> + use<S>
    where
        S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    {
        let writer = self.clone();
        tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_writer(move || writer.clone())
            .with_filter(LevelFilter::from_level(level))
    }

    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
