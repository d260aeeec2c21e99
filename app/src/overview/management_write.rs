//! Changing the registry's management state, as the signed-in user.

use kube::Api;
use kube::api::{Patch, PatchParams};
use registry_model::Config;
use registry_model::names::SINGLETON;
use registry_model::registry_config::ManagementState;
use serde_json::json;

use crate::cluster::precondition::ShownVersion;
use crate::console::SignedIn;
use crate::error::ConsoleError;

/// The merge patch that sets the management state, only if the config is still at
/// `shown` (the version the user saw).
pub fn management_state_patch(state: ManagementState, shown: &ShownVersion) -> serde_json::Value {
    json!({
        "metadata": { "resourceVersion": shown.as_str() },
        "spec": { "managementState": state.as_str() },
    })
}

/// Sets `spec.managementState`: a dry run first, so the cluster's admission and
/// validation answer before anything changes, then the real merge patch.
pub async fn set_management_state(
    client: &kube::Client,
    state: ManagementState,
    shown: &ShownVersion,
) -> Result<(), kube::Error> {
    let configs = Api::<Config>::all(client.clone());
    let patch = management_state_patch(state, shown);
    configs
        .patch(
            SINGLETON,
            &PatchParams::default().dry_run(),
            &Patch::Merge(&patch),
        )
        .await?;
    configs
        .patch(SINGLETON, &PatchParams::default(), &Patch::Merge(&patch))
        .await?;
    Ok(())
}

/// Sets the management state for `user`, from the config's version they saw. "Force" is
/// refused: the operator ignores it.
pub async fn set_management_state_as(
    user: &SignedIn,
    state: ManagementState,
    resource_version: &str,
) -> Result<(), ConsoleError> {
    if state == ManagementState::Force {
        return Err(ConsoleError::Rejected(
            "\"Force\" is not a management state the console sets (the operator ignores it); \
             use Managed, Unmanaged or Removed."
                .into(),
        ));
    }
    user.writable()?;
    let shown = ShownVersion::new(resource_version)?;
    let result = set_management_state(&user.client, state, &shown).await;
    match &result {
        Ok(()) => tracing::info!(user = %user.name(), %state, "management state changed"),
        Err(error) => {
            tracing::info!(user = %user.name(), %state, %error, "management state change refused")
        }
    }
    result.map_err(|error| user.explain(error, "change the registry's management state"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patch_carries_only_the_state_and_the_precondition() {
        let patch =
            management_state_patch(ManagementState::Managed, &ShownVersion::new("42").unwrap());
        assert_eq!(
            patch,
            json!({"metadata": {"resourceVersion": "42"}, "spec": {"managementState": "Managed"}})
        );
    }
}
