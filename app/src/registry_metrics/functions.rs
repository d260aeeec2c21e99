//! The metrics page's server function.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::MetricsData;
use crate::error::ConsoleError;

/// The charts over the last `seconds` (one of the page's ranges), if the user may read the
/// registry pods' metrics.
#[server(prefix = "/api", endpoint = "registry_metrics", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_registry_metrics(seconds: u32) -> Result<MetricsData, ConsoleError> {
    super::read::read_as(&crate::console::SignedIn::current()?, seconds).await
}
