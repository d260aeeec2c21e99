//! Reading, reviewing and applying grants of the registry's roles.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use registry_model::access::SubjectKind;

use super::view::{AccessChange, AccessData, AccessReview, Allowed};
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;

/// The grants in `project` and cluster-wide.
#[server(prefix = "/api", endpoint = "access", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_access(project: String) -> Result<AccessData, ConsoleError> {
    super::apply::read_as(&crate::console::SignedIn::current()?, &project).await
}

/// The review of a grant or revoke: findings, the binding's diff and the `oc` command.
#[server(prefix = "/api", endpoint = "preview_access_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_access_change(change: AccessChange) -> Result<AccessReview, ConsoleError> {
    super::apply::preview_as(&crate::console::SignedIn::current()?, &change).await
}

/// Applies a grant or revoke if the binding is still as the review saw it.
#[server(prefix = "/api", endpoint = "apply_access_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_access_change(change: AccessChange) -> Result<Outcome, ConsoleError> {
    super::apply::apply_as(&crate::console::SignedIn::current()?, &change).await
}

/// Whether `subject` may pull and push in `project`, as the cluster answers for them.
#[server(prefix = "/api", endpoint = "check_access", input = Json, client = crate::client::ConsoleClient)]
pub async fn check_access(
    project: String,
    kind: SubjectKind,
    subject: String,
) -> Result<Allowed, ConsoleError> {
    super::apply::check_as(
        &crate::console::SignedIn::current()?,
        &project,
        kind,
        &subject,
    )
    .await
}
