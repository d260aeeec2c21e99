//! Reading a page's recent changes by the console.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{RecentChangesView, Subject};
use crate::error::ConsoleError;

/// The console's recent changes to the objects of `subject`'s page, newest first, as the
/// user may read them.
#[server(prefix = "/api", endpoint = "recent_changes", client = crate::client::ConsoleClient, input = Json)]
pub async fn recent_changes_of(subject: Subject) -> Result<RecentChangesView, ConsoleError> {
    super::read::read_as(&crate::console::SignedIn::current()?, subject).await
}
