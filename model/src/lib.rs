//! The OpenShift image registry's resources as Rust types.
//!
//! This crate is shared by the browser (compiled to WASM), the console server and the
//! embedded demo cluster. It holds no client and no runtime: only the shapes of the
//! resources (derived into CRDs with `kube`'s `CustomResource`), the names that the
//! operator and the guide fix, and plain validation functions over those types.

pub mod access;
pub mod change;
pub mod cluster_operator;
pub mod condition;
pub mod doctor;
pub mod duration;
pub mod edit;
pub mod image_config;
pub mod image_pruner;
pub mod names;
pub mod quantity;
pub mod registry_config;
pub mod route;
pub mod schema;
pub mod tls;
pub mod trust;
pub mod validation;

pub use cluster_operator::ClusterOperator;
pub use condition::{Condition, ConditionStatus};
pub use image_config::Image;
pub use image_pruner::ImagePruner;
pub use registry_config::Config;
pub use route::Route;

/// The CustomResourceDefinitions derived from the model.
pub mod crds {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    use kube::CustomResourceExt;

    /// Every CRD the console edits or reads, derived from the Rust types.
    pub fn all() -> Vec<CustomResourceDefinition> {
        vec![
            crate::Config::crd(),
            crate::ImagePruner::crd(),
            crate::Image::crd(),
            crate::ClusterOperator::crd(),
            crate::Route::crd(),
        ]
    }
}
