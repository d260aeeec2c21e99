//! What the server sends the browser: small display types, never whole API objects, and
//! never a token.

pub mod config;
pub mod overview;
pub mod pruner;
pub mod viewer;

pub use overview::{
    ConditionView, Guidance, Link, Overview, PodView, ReplicaSummary, RouteView, Severity,
    StorageSummary,
};
pub use viewer::{OverviewPage, SignInOptions, Viewer};
