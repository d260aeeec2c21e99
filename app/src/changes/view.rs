//! What a page shows of the console's recent changes to its objects.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The page whose objects' changes are listed; the server knows which objects each
/// page's form writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    /// The registry's config, its storage credentials Secret and its claims.
    Config,
    /// The image pruner.
    Pruner,
    /// The cluster's image config and the CA ConfigMaps it names.
    Trust,
    /// The registry's config (its routes) and the routes' TLS Secrets.
    Routes,
    /// Role bindings, cluster role bindings and the roles the console makes.
    Access,
}

/// How the console changed an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verb {
    Create,
    Patch,
    Delete,
}

impl Verb {
    /// The verb of an audit line (`cluster::write`), and the Event's `action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Verb::Create, Verb::Patch, Verb::Delete]
            .into_iter()
            .find(|verb| verb.as_str() == text)
    }
}

/// One change the console made, as its Event records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub at: Option<DateTime<Utc>>,
    /// Who made it: the signed-in user the console wrote for.
    pub user: String,
    pub verb: Verb,
    pub kind: String,
    /// Empty for an object of the whole cluster.
    pub namespace: String,
    pub name: String,
    /// The field paths a patch set (never their values).
    pub fields: Vec<String>,
    /// The request's id, as in the console's own log line of it.
    pub request_id: String,
}

/// A page's recent changes, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentChangesView {
    pub changes: Vec<ChangeView>,
    /// Namespaces whose events the user may not list (`""`: every namespace): changes
    /// recorded there are not shown, and the page says so.
    pub hidden: Vec<String>,
}
