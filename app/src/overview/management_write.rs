//! Changing the registry's management state, as the signed-in user, through the same
//! write path as the forms (`cluster::write`).

use kube::Api;
use registry_model::Config;
use registry_model::names::SINGLETON;
use registry_model::registry_config::ManagementState;

use super::view::management_state_patch;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{Attempt, Sent, send};
use crate::console::SignedIn;
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;
use crate::i18n::said;

/// Sets `spec.managementState` if the config is still at `shown` (the version the user
/// saw): a dry run first, so the cluster's admission and validation answer before anything
/// changes, then the real merge patch.
pub async fn set_management_state(
    client: &kube::Client,
    state: ManagementState,
    shown: &ShownVersion,
) -> Result<Sent<Config>, kube::Error> {
    let configs = Api::<Config>::all(client.clone());
    let patch = management_state_patch(state);
    match send(&configs, SINGLETON, &patch, Attempt::DryRun(shown)).await? {
        Sent::Done(_) => send(&configs, SINGLETON, &patch, Attempt::Write(shown)).await,
        refused_or_conflict => Ok(refused_or_conflict),
    }
}

/// Sets the management state for `user`, from the config's version they saw, with the
/// outcome every form has. "Force" is refused: the operator ignores it.
pub async fn set_management_state_as(
    user: &SignedIn,
    state: ManagementState,
    resource_version: &str,
) -> Result<Outcome, ConsoleError> {
    if state == ManagementState::Force {
        return Err(ConsoleError::Rejected(said::errors::force_state()));
    }
    user.writable()?;
    let shown = ShownVersion::new(resource_version)?;
    let sent = set_management_state(&user.client, state, &shown)
        .await
        .map_err(|error| user.explain_write(error, said::errors::to_change_management_state()))?;
    let outcome = match sent {
        Sent::Done(config) => {
            Outcome::applied(config.metadata.resource_version.unwrap_or_default())
        }
        // What changed is not known here (the request carries only the version), and the
        // live overview shows the config as it is now.
        Sent::Conflict => Outcome::conflict(Vec::new(), String::new()),
        Sent::Refused(findings) => Outcome::refused(findings),
    };
    let message = outcome.message(crate::config::view::OBJECT);
    tracing::info!(user = %user.name(), %state, outcome = %message, "management state change");
    Ok(outcome)
}
