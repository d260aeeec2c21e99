//! The registry config as its form shows and edits it (`registry-api.md` §1).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
use serde::{Deserialize, Serialize};

use crate::registry_config::{
    ConfigSpec, ImageRegistryConfigRoute, LogLevel, ManagementState, ProxyConfig, Requests,
    RolloutStrategy, Storage,
};
use crate::validation::claim::NewClaim;
use crate::validation::names::{is_redacted, redact_userinfo};
use crate::validation::storage::StorageChoice;
use crate::validation::{Finding, Message};

/// What the page shows instead of `spec.httpSecret`'s value.
pub const HTTP_SECRET_MASK: &str = "<set>";

/// What the review shows for a regenerated `spec.httpSecret`: the server draws the value
/// when it writes, and it is never shown.
pub const HTTP_SECRET_REGENERATED: &str = "<regenerated on apply>";

/// Whether `value` is one of the masks a view shows instead of a secret (never a value to
/// write back).
pub fn is_masked(value: &str) -> bool {
    value == HTTP_SECRET_MASK || is_redacted(value)
}

/// The fields of `spec` the configuration form shows, named as the API names them. Left
/// out: what the console never edits (`affinity`, `topologySpreadConstraints`,
/// `unsupportedConfigOverrides`, the deprecated `logging`) and what only the operator
/// writes (`observedConfig`). Built [`From`] the spec with `httpSecret` and the proxy
/// passwords masked, so no view carries them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_state: Option<ManagementState>,
    #[serde(default)]
    pub replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout_strategy: Option<RolloutStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_redirect: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_route: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<ImageRegistryConfigRoute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LogLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_log_level: Option<LogLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Requests>,
    /// With the passwords in its URLs masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyConfig>,
    /// [`HTTP_SECRET_MASK`] when one is set, [`HTTP_SECRET_REGENERATED`] for a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<Toleration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

impl From<ConfigSpec> for ConfigView {
    fn from(spec: ConfigSpec) -> Self {
        let http_secret = spec
            .http_secret
            .filter(|s| !s.is_empty())
            .map(|_| HTTP_SECRET_MASK.to_owned());
        let proxy = spec.proxy.map(|mut proxy| {
            for url in [&mut proxy.http, &mut proxy.https].into_iter().flatten() {
                *url = redact_userinfo(url);
            }
            proxy
        });
        ConfigView {
            management_state: spec.management_state,
            replicas: spec.replicas,
            rollout_strategy: spec.rollout_strategy,
            storage: spec.storage,
            read_only: spec.read_only,
            disable_redirect: spec.disable_redirect,
            default_route: spec.default_route,
            routes: spec.routes,
            log_level: spec.log_level,
            operator_log_level: spec.operator_log_level,
            requests: spec.requests,
            proxy,
            http_secret,
            node_selector: spec.node_selector,
            tolerations: spec.tolerations,
            resources: spec.resources,
        }
    }
}

/// A proxy URL changed but still carrying the mask instead of its password: the password
/// is not known to the page, so it must be typed again (the server cannot tell which one
/// was meant once the URL changed).
pub fn masked_proxy_findings(shown: &ConfigView, desired: &ConfigView) -> Vec<Finding> {
    let urls = |view: &ConfigView| {
        let proxy = view.proxy.clone().unwrap_or_default();
        [("http", proxy.http), ("https", proxy.https)]
    };
    urls(shown)
        .into_iter()
        .zip(urls(desired))
        .filter(|((_, before), (_, after))| {
            before != after && after.as_deref().is_some_and(is_redacted)
        })
        .map(|(_, (name, _))| {
            Finding::error(format!("spec.proxy.{name}"), Message::ProxyPasswordMasked)
        })
        .collect()
}

/// What the form changes; `None` leaves a field as shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigEdits {
    pub management_state: Option<ManagementState>,
    pub replicas: Option<i32>,
    pub rollout_strategy: Option<RolloutStrategy>,
    /// The one storage provider; switching providers does not migrate images.
    pub storage: Option<StorageChoice>,
    pub read_only: Option<bool>,
    pub disable_redirect: Option<bool>,
    pub default_route: Option<bool>,
    pub log_level: Option<LogLevel>,
    pub operator_log_level: Option<LogLevel>,
    /// Replaced as a whole, as the API does.
    pub requests: Option<Requests>,
    pub proxy: Option<ProxyConfig>,
    /// Draw a new `httpSecret` when applying.
    #[serde(default)]
    pub regenerate_http_secret: bool,
    /// An empty selector removes it (an empty one that is set drops the operator's
    /// default topology spread).
    pub node_selector: Option<BTreeMap<String, String>>,
    /// Replaced as a whole; empty removes them.
    pub tolerations: Option<Vec<Toleration>>,
    /// Replaced as a whole; empty removes them (the operator's defaults then apply).
    pub resources: Option<ResourceRequirements>,
    /// Replaced as a whole; empty removes them.
    pub routes: Option<Vec<ImageRegistryConfigRoute>>,
    /// A ReadWriteOnce claim to create before the config names it (block storage).
    pub new_claim: Option<NewClaim>,
}

impl ConfigEdits {
    /// The config the user wants: `shown` with these edits.
    pub fn apply_to(&self, shown: &ConfigView) -> ConfigView {
        let mut view = shown.clone();
        if let Some(state) = self.management_state {
            view.management_state = Some(state);
        }
        if let Some(replicas) = self.replicas {
            view.replicas = replicas;
        }
        if let Some(rollout) = self.rollout_strategy {
            view.rollout_strategy = Some(rollout);
        }
        if let Some(choice) = &self.storage {
            let before = shown.storage.clone().unwrap_or_default();
            let mut storage = choice.to_storage();
            // The operator records whether it created (and so may delete on Removed) the
            // storage; that holds only for the same bucket, container or claim. For another
            // one it is left unset, and the operator decides again.
            if StorageChoice::from_storage(&before)
                .is_some_and(|b| b.location() == choice.location())
            {
                storage.management_state = before.management_state;
            }
            // OSS is no longer read by the operator, but is not the form's to remove.
            storage.oss = before.oss;
            view.storage = Some(storage);
        }
        let flags = [
            (self.read_only, &mut view.read_only),
            (self.disable_redirect, &mut view.disable_redirect),
            (self.default_route, &mut view.default_route),
        ];
        for (edit, field) in flags {
            if let Some(value) = edit {
                *field = Some(value);
            }
        }
        if let Some(level) = self.log_level {
            view.log_level = Some(level);
        }
        if let Some(level) = self.operator_log_level {
            view.operator_log_level = Some(level);
        }
        if let Some(requests) = &self.requests {
            view.requests = Some(requests.clone());
        }
        if let Some(proxy) = &self.proxy {
            view.proxy = Some(proxy.clone());
        }
        if self.regenerate_http_secret {
            view.http_secret = Some(HTTP_SECRET_REGENERATED.to_owned());
        }
        if let Some(selector) = &self.node_selector {
            view.node_selector = (!selector.is_empty()).then(|| selector.clone());
        }
        if let Some(tolerations) = &self.tolerations {
            view.tolerations = (!tolerations.is_empty()).then(|| tolerations.clone());
        }
        if let Some(resources) = &self.resources {
            let empty = |m: &Option<BTreeMap<_, _>>| m.as_ref().is_none_or(BTreeMap::is_empty);
            view.resources = (!(empty(&resources.requests) && empty(&resources.limits)))
                .then(|| resources.clone());
        }
        if let Some(routes) = &self.routes {
            view.routes = (!routes.is_empty()).then(|| routes.clone());
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_config::{EmptyDir, PvcStorage, StorageManagementState};

    fn pvc_view() -> ConfigView {
        ConfigView {
            replicas: 1,
            http_secret: Some(HTTP_SECRET_MASK.into()),
            storage: Some(Storage {
                management_state: Some(StorageManagementState::Managed),
                pvc: Some(PvcStorage {
                    claim: Some("image-registry-storage".into()),
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn the_view_masks_the_secrets_and_leaves_out_what_no_form_edits() {
        let spec: ConfigSpec = serde_json::from_value(serde_json::json!({
            "replicas": 2,
            "httpSecret": "0123abcd",
            "proxy": {"http": "http://u:hunter2@proxy:3128", "noProxy": ".svc"},
            "observedConfig": {"x": 1},
            "unsupportedConfigOverrides": {"y": 2},
            "affinity": {"podAntiAffinity": {}},
        }))
        .unwrap();
        let view = ConfigView::from(spec);
        let json = serde_json::to_string(&view).unwrap();
        for hidden in [
            "0123abcd",
            "hunter2",
            "observedConfig",
            "unsupported",
            "affinity",
        ] {
            assert!(!json.contains(hidden), "{hidden} in {json}");
        }
        assert_eq!(view.http_secret.as_deref(), Some(HTTP_SECRET_MASK));
        assert_eq!(
            view.proxy.unwrap().http.as_deref(),
            Some("http://u:***@proxy:3128")
        );
        assert_eq!(view.replicas, 2);
        // An empty httpSecret is not one that is set.
        let unset = ConfigView::from(ConfigSpec {
            http_secret: Some(String::new()),
            ..ConfigSpec::default()
        });
        assert_eq!(unset.http_secret, None);
    }

    #[test]
    fn edits_keep_what_they_do_not_name() {
        let shown = pvc_view();
        let edited = ConfigEdits {
            replicas: Some(2),
            ..Default::default()
        }
        .apply_to(&shown);
        assert_eq!(edited.replicas, 2);
        assert_eq!(edited.storage, shown.storage);
        assert_eq!(edited.http_secret, shown.http_secret);
    }

    #[test]
    fn the_storage_ownership_stays_only_with_the_same_location() {
        let shown = pvc_view();
        let pvc = |claim: &str| ConfigEdits {
            storage: Some(StorageChoice::Pvc(PvcStorage {
                claim: Some(claim.into()),
            })),
            ..Default::default()
        };
        let same = pvc("image-registry-storage").apply_to(&shown);
        assert_eq!(
            same.storage.unwrap().management_state,
            Some(StorageManagementState::Managed),
            "the claim the operator created stays its own"
        );
        // Another claim is not the operator's to delete on Removed.
        let other = pvc("my-claim").apply_to(&shown);
        assert_eq!(other.storage.unwrap().management_state, None);
        // A stored OSS block is kept: the form does not edit it.
        let mut with_oss = shown.clone();
        with_oss.storage.as_mut().unwrap().oss = Some(serde_json::json!({"bucket": "old"}));
        let kept = pvc("image-registry-storage").apply_to(&with_oss);
        assert_eq!(
            kept.storage.unwrap().oss,
            Some(serde_json::json!({"bucket": "old"}))
        );
        let switched = ConfigEdits {
            storage: Some(StorageChoice::EmptyDir),
            ..Default::default()
        }
        .apply_to(&shown);
        let storage = switched.storage.unwrap();
        assert_eq!(storage.management_state, None);
        assert_eq!(storage.empty_dir, Some(EmptyDir {}));
        assert_eq!(storage.pvc, None);
    }

    #[test]
    fn a_changed_url_still_carrying_the_mask_is_refused() {
        let masked = ConfigView {
            proxy: Some(ProxyConfig {
                http: Some("http://u:***@proxy:3128".into()),
                https: Some("https://proxy:3128".into()),
                ..ProxyConfig::default()
            }),
            ..ConfigView::default()
        };
        assert!(masked_proxy_findings(&masked, &masked).is_empty());
        let mut moved = masked.clone();
        moved.proxy.as_mut().unwrap().http = Some("http://u:***@proxy:3129".into());
        assert_eq!(
            masked_proxy_findings(&masked, &moved)[0].field,
            "spec.proxy.http"
        );
        moved.proxy.as_mut().unwrap().http = Some("http://u:new@proxy:3129".into());
        assert!(masked_proxy_findings(&masked, &moved).is_empty());
    }
}
