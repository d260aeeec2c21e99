//! Who may use the registry (guide 5.1 and 5.5): the registry's roles granted in a project
//! and cluster-wide, granting and revoking them as `oc policy` does (reviewed first, written
//! at the version shown, then checked with a SubjectAccessReview for the subject), and the
//! `prometheus-scraper` role that lets its holder read the registry's metrics.

mod functions;
mod page;
pub mod view;

#[cfg(feature = "ssr")]
pub mod apply;

pub use functions::{
    ApplyAccessChange, CheckAccess, GetAccess, PreviewAccessChange, apply_access_change,
    check_access, get_access, preview_access_change,
};
pub use page::AccessPage;
