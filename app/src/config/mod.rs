//! The registry configuration: storage (with its claim and credentials), replicas and
//! rollout, placement, routes and settings, in one form that is reviewed before it applies.

mod form;
mod functions;
mod page;
pub mod view;

#[cfg(feature = "ssr")]
pub mod apply;

pub use functions::{
    ApplyConfig, GetRegistryConfig, PreviewConfig, apply_config, get_registry_config,
    preview_config,
};
pub use page::ConfigPage;
