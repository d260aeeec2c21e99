//! Changing `spec.managementState`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use registry_model::registry_config::ManagementState;

use crate::error::ConsoleError;

/// Sets the registry's management state. `resource_version` is the config's version the
/// user saw: if the config changed since, the cluster answers 409 and nothing changes;
/// without it nothing is sent.
#[server(prefix = "/api", endpoint = "set_management_state", client = crate::functions::client::ConsoleClient, input = Json)]
pub async fn set_management_state(
    state: ManagementState,
    resource_version: String,
) -> Result<(), ConsoleError> {
    use crate::backend;
    let session = backend::session()?;
    if state == ManagementState::Force {
        return Err(ConsoleError::Rejected(
            "\"Force\" is not a management state the console sets (the operator ignores it); \
             use Managed, Unmanaged or Removed."
                .into(),
        ));
    }
    backend::backend()?
        .set_management_state(&session, state, &resource_version)
        .await
}
