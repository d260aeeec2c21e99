//! Recent changes by the console, on the page of each object it writes.
//!
//! Every write the console makes is one `audit` log line (`cluster::write`). Each real
//! write that was done is also recorded as a Kubernetes Event on the object it changed
//! ([`record`]): written with the console's own identity, so every replica, `oc get events`
//! and `oc describe` see the same record, and kept as long as the cluster keeps events
//! (kube-apiserver's `--event-ttl`, an hour by default, three on OpenShift). The form pages
//! list the events of their objects with the user's own token ([`RecentChanges`]), so the
//! cluster's RBAC on events decides who reads them.

mod functions;
mod list;
pub mod view;

#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod record;

pub use functions::{RecentChangesOf, recent_changes_of};
pub use list::RecentChanges;
