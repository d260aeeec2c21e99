//! The registry's logs and events (guide 5.3): the registry pods' logs, all pods or one (the
//! previous container's after a restart), filtered by level and text, followed or paused,
//! downloaded; and the events of `openshift-image-registry`. Read with the user's own
//! token, so the cluster decides what they see.

mod functions;
mod page;
#[cfg(feature = "ssr")]
mod read;
pub mod view;

pub use functions::{GetRegistryLogs, get_registry_logs};
pub use page::LogsPage;
