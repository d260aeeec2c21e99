//! Reading, reviewing and applying the registry's routes.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{RouteChange, RouteReview, RoutesData};
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;

/// The registry's routes, their certificates and the TLS Secrets a route may use.
#[server(prefix = "/api", endpoint = "routes", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_routes() -> Result<RoutesData, ConsoleError> {
    super::apply::read_as(&crate::console::SignedIn::current()?).await
}

/// The review of a route change: findings, the certificate, the diff and the `oc`
/// commands. Nothing is written, and the key is never returned.
#[server(prefix = "/api", endpoint = "preview_route_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_route_change(change: RouteChange) -> Result<RouteReview, ConsoleError> {
    super::apply::preview_as(&crate::console::SignedIn::current()?, &change).await
}

/// Applies a route change if the config is still at the version the page showed.
#[server(prefix = "/api", endpoint = "apply_route_change", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_route_change(change: RouteChange) -> Result<Outcome, ConsoleError> {
    super::apply::apply_as(&crate::console::SignedIn::current()?, &change).await
}
