//! Reading, reviewing and applying the trusted CAs.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{CaChange, CaReview, SourcesChange, SourcesReview, TrustData};
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;

/// The trusted CAs and the image config, and whether the user may change them.
#[server(prefix = "/api", endpoint = "trust", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_trust() -> Result<TrustData, ConsoleError> {
    super::apply::read_as(&crate::console::SignedIn::current()?).await
}

/// The review of a trusted-CA change: findings, certificates, diff and `oc` commands.
/// Nothing is written.
#[server(prefix = "/api", endpoint = "preview_ca_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_ca_change(change: CaChange) -> Result<CaReview, ConsoleError> {
    super::apply::preview_as(&crate::console::SignedIn::current()?, &change).await
}

/// Applies a trusted-CA change if the ConfigMap (and image config) are still as the page
/// showed them.
#[server(prefix = "/api", endpoint = "apply_ca_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_ca_change(change: CaChange) -> Result<Outcome, ConsoleError> {
    super::apply::apply_as(&crate::console::SignedIn::current()?, &change).await
}

/// The review of a change of the image config's registry settings.
#[server(prefix = "/api", endpoint = "preview_sources", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_sources(change: SourcesChange) -> Result<SourcesReview, ConsoleError> {
    super::sources::preview_as(&crate::console::SignedIn::current()?, &change).await
}

/// Applies a change of the image config's registry settings at the version shown.
#[server(prefix = "/api", endpoint = "apply_sources", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_sources(change: SourcesChange) -> Result<Outcome, ConsoleError> {
    super::sources::apply_as(&crate::console::SignedIn::current()?, &change).await
}
