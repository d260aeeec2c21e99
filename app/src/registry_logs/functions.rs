//! The logs page's server function.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::LogsData;
use crate::error::ConsoleError;

/// The registry pods, the last lines of one pod's log (`pod`) or of every pod's (empty),
/// the previous container's when `previous`, and the namespace's events.
#[server(prefix = "/api", endpoint = "registry_logs", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_registry_logs(pod: String, previous: bool) -> Result<LogsData, ConsoleError> {
    super::read::read_as(&crate::console::SignedIn::current()?, &pod, previous).await
}
