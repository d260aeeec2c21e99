//! Structured logs on stderr; stdout is kept for what people read (URL, tokens).
//!
//! Beside the printed lines, the audit lines of done writes become Events on the objects
//! written (`app::changes::record`), whatever `RUST_LOG` prints.

use std::io::IsTerminal;

use app::changes::record::{Change, Recorder};
use tokio::sync::mpsc;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::cli::LogFormat;

/// Sets up logging; `RUST_LOG` overrides the default level (`info`). Returns the changes
/// to record as Events (`serve` writes them; other commands make none).
pub fn init(format: LogFormat) -> mpsc::Receiver<Change> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,kube_runtime=warn,kube_client=warn"));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let printed = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let printed = if json {
        printed
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_filter(filter)
            .boxed()
    } else {
        printed.with_filter(filter).boxed()
    };
    let (recorder, changes) = Recorder::new();
    tracing_subscriber::registry()
        .with(printed)
        .with(recorder.layer())
        .init();
    changes
}
