//! Reading, reviewing and applying the registry configuration. Changes travel as JSON:
//! they nest storage choices and optional fields that a URL-encoded form cannot carry.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{ConfigData, ConfigRequest, ConfigReview};
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;

/// The config as the form shows it, and whether the user may change it.
#[server(prefix = "/api", endpoint = "registry_config", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_registry_config() -> Result<ConfigData, ConsoleError> {
    super::apply::read_as(&crate::console::SignedIn::current()?).await
}

/// The review of a change: the rules' and the API's findings, the diff and the `oc`
/// commands. Nothing is written.
#[server(prefix = "/api", endpoint = "preview_config", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_config(request: ConfigRequest) -> Result<ConfigReview, ConsoleError> {
    let user = crate::console::SignedIn::current()?;
    super::apply::preview_as(&user, &request.into()).await
}

/// Applies a change if the config is still at the version the page showed (or only the
/// operator changed it meanwhile, away from the user's fields).
#[server(prefix = "/api", endpoint = "apply_config", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_config(request: ConfigRequest) -> Result<Outcome, ConsoleError> {
    let user = crate::console::SignedIn::current()?;
    super::apply::apply_as(&user, &request.into()).await
}
