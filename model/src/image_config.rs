//! `images.config.openshift.io` (`registry-api.md` §3).

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Cluster-wide image settings (singleton `cluster`); the registry operator owns its status.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "config.openshift.io",
    version = "v1",
    kind = "Image",
    plural = "images",
    status = "ImageStatus",
    derive = "PartialEq"
)]
#[serde(rename_all = "camelCase")]
pub struct ImageSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "atomic"))]
    pub allowed_registries_for_import: Option<Vec<RegistryLocation>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "atomic"))]
    pub external_registry_hostnames: Option<Vec<String>>,
    /// ConfigMap in `openshift-config`; keys are hosts (`host..port` for a port).
    #[serde(
        default,
        rename = "additionalTrustedCA",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_trusted_ca: Option<ConfigMapNameReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_sources: Option<RegistrySources>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["", "Legacy", "PreserveOriginal"]))]
    pub image_stream_import_mode: Option<String>,
}

/// The registry settings of the image config that the trusted-CA page edits, as a merge
/// patch of `spec` sends them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageSources {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_registries_for_import: Option<Vec<RegistryLocation>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_registry_hostnames: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_sources: Option<RegistrySources>,
}

impl From<&ImageSpec> for ImageSources {
    fn from(spec: &ImageSpec) -> Self {
        ImageSources {
            allowed_registries_for_import: spec.allowed_registries_for_import.clone(),
            external_registry_hostnames: spec.external_registry_hostnames.clone(),
            registry_sources: spec.registry_sources.clone(),
        }
    }
}

/// A registry users may import from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistryLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
}

/// A reference to a ConfigMap by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigMapNameReference {
    pub name: String,
}

/// Which registries the cluster's container runtime may use. The real CRD's CEL rule makes
/// the allow and block lists exclusive (an API server evaluates it since Kubernetes 1.25).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "has(self.blockedRegistries) ? !has(self.allowedRegistries) : true",
    "message": "Only one of blockedRegistries or allowedRegistries may be set"
}]))]
pub struct RegistrySources {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024), extend("x-kubernetes-list-type" = "atomic"))]
    pub insecure_registries: Option<Vec<RegistryName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024), extend("x-kubernetes-list-type" = "atomic"))]
    pub blocked_registries: Option<Vec<RegistryName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024), extend("x-kubernetes-list-type" = "atomic"))]
    pub allowed_registries: Option<Vec<RegistryName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1), extend("x-kubernetes-list-type" = "set", "format" = "hostname"))]
    pub container_runtime_search_registries: Option<Vec<String>>,
}

/// A registry scope as the registry source lists take it: `hostname[:port][/path]` or
/// `*.domain`, without tag or digest (the real CRD's CEL rule).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": REGISTRY_SCOPE_RULE,
    "message": "each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests"
}]))]
pub struct RegistryName(#[schemars(length(min = 1, max = 256))] pub String);

/// The CEL rule every registry source entry must pass.
pub const REGISTRY_SCOPE_RULE: &str = r"self.matches('^\\*(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$')";

/// Written by the registry operator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageStatus {
    /// `image-registry.openshift-image-registry.svc:5000` while the Service exists; empty when Removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_registry_hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "atomic"))]
    pub external_registry_hostnames: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["", "Legacy", "PreserveOriginal"]))]
    pub image_stream_import_mode: Option<String>,
}
