//! Server functions, named as verbs. Each checks the session and hands the work to the
//! server's [`crate::backend::Backend`]. Their URLs are fixed (`/api/NAME`) because
//! scripts and tests call them too. Every one of them takes JSON, but for the sign-in and
//! sign-out forms ([`form_endpoints`]), which also work as plain HTML forms before the WASM
//! has loaded.

pub mod client;
pub mod config;
pub mod management;
pub mod overview;
pub mod pruner;
pub mod session;

pub use config::{
    ApplyConfig, GetRegistryConfig, PreviewConfig, apply_config, get_registry_config,
    preview_config,
};
pub use management::{SetManagementState, set_management_state};
pub use overview::{GetOverview, get_overview};
pub use pruner::{
    ApplyPruner, GetImagePruner, GetPrunerStatus, PreviewPruner, PruneNow, apply_pruner,
    get_image_pruner, get_pruner_status, preview_pruner, prune_now,
};
pub use session::{
    GetSignInOptions, SignIn, SignInDemo, SignOut, get_sign_in_options, sign_in, sign_in_demo,
    sign_out,
};

/// The server functions that take URL-encoded form posts; every other one takes JSON only.
pub fn form_endpoints() -> [&'static str; 3] {
    use leptos::server_fn::ServerFn;
    [SignIn::PATH, SignInDemo::PATH, SignOut::PATH]
}
