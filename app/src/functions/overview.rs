//! Reading the overview.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::models::OverviewPage;

/// The registry at a glance and what the signed-in user may do with it.
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<OverviewPage, ConsoleError> {
    use crate::backend;
    backend::with_status(
        async {
            let session = backend::session()?;
            backend::backend()?.overview(&session).await
        }
        .await,
    )
}
