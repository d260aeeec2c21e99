//! Additional trusted CAs (guide 2.5, `images.config.openshift.io/cluster`
//! `spec.additionalTrustedCA`): each registry's CA bundle in the ConfigMap in
//! `openshift-config` that the image config names, with its certificates' facts and whether
//! the operator has carried it into `image-registry-certificates`; adding, replacing and
//! removing an entry, reviewed before it applies; and the rest of the image config (which
//! registries the cluster may use, and its registry hostnames).

mod functions;
mod page;
mod sources_form;
pub mod view;

#[cfg(feature = "ssr")]
pub mod apply;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod sources;

pub use functions::{
    ApplyCaChange, ApplySources, GetTrust, PreviewCaChange, PreviewSources, apply_ca_change,
    apply_sources, get_trust, preview_ca_change, preview_sources,
};
pub use page::TrustPage;
