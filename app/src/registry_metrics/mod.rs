//! The registry's own metrics, as charts (guide 5.3 to 5.5): the server scrapes every
//! registry pod's Prometheus endpoint through the API, keeps what the charts need, and the
//! page draws it.
//!
//! [`charts`] is the one set of chart definitions both registries map onto;
//! [`exposition`] reads the text the registry serves, [`rates`] and [`compute`] turn two
//! scrapes into a chart's lines, and [`collector`] scrapes every pod and keeps the lines
//! over time. The page ([`MetricsPage`]) draws them as SVG ([`plot`]).

pub mod charts;
#[cfg(feature = "ssr")]
pub mod collector;
#[cfg(feature = "ssr")]
pub mod compute;
#[cfg(feature = "ssr")]
pub mod exposition;
#[cfg(feature = "ssr")]
pub mod feed;
mod functions;
#[cfg(feature = "hydrate")]
mod live;
mod page;
pub mod plot;
#[cfg(feature = "ssr")]
pub mod prometheus;
#[cfg(feature = "ssr")]
pub mod rates;
#[cfg(feature = "ssr")]
mod read;
pub mod view;

pub use functions::{GetRegistryMetrics, get_registry_metrics};
pub use page::MetricsPage;
