//! Who is looking, and what they may do.

use serde::{Deserialize, Serialize};

use super::Overview;

/// The signed-in user as the page needs to know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The user name the cluster reports, or a placeholder when it cannot say.
    pub name: String,
    /// Whether the cluster lets this user patch `configs.imageregistry/cluster`, and the
    /// console is not in read-only mode: the page shows edit controls only then.
    pub can_edit: bool,
    /// The console runs with `--read-only`.
    pub console_read_only: bool,
}

/// The overview page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewPage {
    pub viewer: Viewer,
    pub overview: Overview,
}

/// What the sign-in page offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// The API server's address, so people know which cluster they sign in to.
    pub cluster_url: String,
    /// Demo users signed in with one click (only on the embedded demo cluster).
    pub demo_users: Vec<String>,
}
