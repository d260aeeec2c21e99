//! Who is looking, and what they may do.

use serde::{Deserialize, Serialize};

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
