//! What the server sends the browser: small display types, never whole API objects, and
//! never a token.

pub mod config;
pub mod overview;
pub mod pruner;
pub mod viewer;

pub use overview::{
    ConditionView, Diagnosis, Doctor, Guidance, GuideStep, Link, Overview, PodView, ReplicaSummary,
    RouteView, Severity, StepState, StorageSummary,
};
pub use viewer::{OverviewPage, SignInOptions, Viewer};
