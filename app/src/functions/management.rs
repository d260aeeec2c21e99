//! Changing `spec.managementState`.

use leptos::prelude::*;

use crate::error::ConsoleError;

/// Sets the registry's management state. `resource_version` is the config's version the
/// user saw: if the config changed since, the cluster answers 409 and nothing changes.
#[server(prefix = "/api", endpoint = "set_management_state")]
pub async fn set_management_state(
    state: String,
    resource_version: String,
) -> Result<(), ConsoleError> {
    use crate::backend;
    use registry_model::registry_config::ManagementState;
    backend::with_status(
        async {
            let session = backend::session()?;
            let state = match ManagementState::parse(&state) {
                Some(ManagementState::Force) | None => {
                    return Err(ConsoleError::Rejected(format!(
                        "\"{state}\" is not a management state the console sets; use Managed, \
                         Unmanaged or Removed."
                    )));
                }
                Some(state) => state,
            };
            backend::backend()?
                .set_management_state(&session, state, &resource_version)
                .await
        }
        .await,
    )
}
