//! Reading the overview.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::ConsoleError;
use crate::models::OverviewPage;

/// The registry at a glance and what the signed-in user may do with it.
#[server(prefix = "/api", endpoint = "overview", client = crate::functions::client::ConsoleClient, input = Json)]
pub async fn get_overview() -> Result<OverviewPage, ConsoleError> {
    use crate::backend;
    let session = backend::session()?;
    backend::backend()?.overview(&session).await
}
