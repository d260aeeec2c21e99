//! The overview's server functions: reading it, and changing the management state.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use registry_model::registry_config::ManagementState;

use super::OverviewData;
use crate::error::ConsoleError;

/// The registry at a glance and what the signed-in user may do with it.
#[server(prefix = "/api", endpoint = "overview", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_overview() -> Result<OverviewData, ConsoleError> {
    super::read::overview(&crate::console::SignedIn::current()?).await
}

/// Sets the registry's management state. `resource_version` is the config's version the
/// user saw: if the config changed since, the cluster answers 409 and nothing changes;
/// without it nothing is sent.
#[server(prefix = "/api", endpoint = "set_management_state", client = crate::client::ConsoleClient, input = Json)]
pub async fn set_management_state(
    state: ManagementState,
    resource_version: String,
) -> Result<crate::edit::outcome::Outcome, ConsoleError> {
    let user = crate::console::SignedIn::current()?;
    super::management_write::set_management_state_as(&user, state, &resource_version).await
}
