//! The registry configuration form's data: what the page was shown, what the user edits,
//! the review before anything is applied, and the outcome. Credential values travel only
//! inward: [`SecretValue`] has no `Serialize`, and nothing sent back names a value.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
use registry_model::change::DiffLine;
use registry_model::registry_config::{
    ConfigSpec, ImageRegistryConfigRoute, LogLevel, ManagementState, ProxyConfig, Requests,
    RolloutStrategy,
};
use registry_model::validation::Finding;
use registry_model::validation::claim::{ClaimSummary, NewClaim};
use registry_model::validation::storage::StorageChoice;
use serde::{Deserialize, Serialize};

/// What the page shows instead of `spec.httpSecret`'s value.
pub const HTTP_SECRET_MASK: &str = "<set>";

/// What the review shows for a regenerated `spec.httpSecret`: the server draws the value
/// when it writes, and it is never shown.
pub const HTTP_SECRET_REGENERATED: &str = "<regenerated on apply>";

/// The registry config as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownConfig {
    /// The version the page showed: the precondition of every write made from it.
    pub resource_version: String,
    /// The spec, with `httpSecret` and proxy passwords masked (`config::apply::mask_spec`,
    /// on the server).
    pub spec: ConfigSpec,
    /// Which credential keys are stored (never their values).
    pub credentials: CredentialsStatus,
    /// The claims in `openshift-image-registry`; `None` when the user may not list them.
    pub claims: Option<Vec<ClaimSummary>>,
    /// The cluster's storage classes; `None` when the user may not list them.
    pub storage_classes: Option<StorageClasses>,
}

/// The storage classes a new claim may use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageClasses {
    pub names: Vec<String>,
    /// The class marked as the cluster's default, used when a claim names none.
    pub default: Option<String>,
}

/// When a stored credential key last changed, as far as the console can tell without
/// ever reading the value out to the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyChanged {
    /// The console wrote it at this time, and it has not changed since.
    Console { at: DateTime<Utc> },
    /// It was written some other way (`oc`, another tool); the secret itself was last
    /// written at `secret_written`, when the API says.
    Elsewhere {
        secret_written: Option<DateTime<Utc>>,
    },
}

/// What the user may know about `image-registry-private-configuration-user`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialsStatus {
    /// Whether the user could read the secret; if not, nothing below is known.
    pub readable: bool,
    /// Whether the secret exists.
    pub exists: bool,
    /// Its keys that hold a value, sorted.
    pub keys: Vec<String>,
    /// When each of those keys last changed.
    #[serde(default)]
    pub changed: BTreeMap<String, KeyChanged>,
    /// The key names (never values) of the cluster's own `installer-cloud-credentials`,
    /// which the operator reads while the user secret does not exist; empty when absent.
    #[serde(default)]
    pub cluster_keys: Vec<String>,
    /// Whether the user may not read that secret (then it is not judged missing).
    #[serde(default)]
    pub cluster_keys_unknown: bool,
}

/// A proxy URL changed but still carrying the mask instead of its password: the password
/// is not known to the page, so it must be typed again (the server cannot tell which one
/// was meant once the URL changed).
pub fn masked_proxy_findings(shown: &ConfigSpec, desired: &ConfigSpec) -> Vec<Finding> {
    let urls = |spec: &ConfigSpec| {
        let proxy = spec.proxy.clone().unwrap_or_default();
        [("http", proxy.http), ("https", proxy.https)]
    };
    urls(shown)
        .into_iter()
        .zip(urls(desired))
        .filter(|((_, before), (_, after))| {
            before != after && after.as_deref().is_some_and(|u| u.contains(":***@"))
        })
        .map(|(_, (name, _))| {
            Finding::error(
                format!("spec.proxy.{name}"),
                "the proxy's password is not shown here: type the whole URL again, with its password",
            )
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
    /// The spec the user wants: `shown` with these edits.
    pub fn apply_to(&self, shown: &ConfigSpec) -> ConfigSpec {
        let mut spec = shown.clone();
        if let Some(state) = self.management_state {
            spec.management_state = Some(state);
        }
        if let Some(replicas) = self.replicas {
            spec.replicas = replicas;
        }
        if let Some(rollout) = self.rollout_strategy {
            spec.rollout_strategy = Some(rollout);
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
            spec.storage = Some(storage);
        }
        let flags = [
            (self.read_only, &mut spec.read_only),
            (self.disable_redirect, &mut spec.disable_redirect),
            (self.default_route, &mut spec.default_route),
        ];
        for (edit, field) in flags {
            if let Some(value) = edit {
                *field = Some(value);
            }
        }
        if let Some(level) = self.log_level {
            spec.log_level = Some(level);
        }
        if let Some(level) = self.operator_log_level {
            spec.operator_log_level = Some(level);
        }
        if let Some(requests) = &self.requests {
            spec.requests = Some(requests.clone());
        }
        if let Some(proxy) = &self.proxy {
            spec.proxy = Some(proxy.clone());
        }
        if self.regenerate_http_secret {
            spec.http_secret = Some(HTTP_SECRET_REGENERATED.to_owned());
        }
        if let Some(selector) = &self.node_selector {
            spec.node_selector = (!selector.is_empty()).then(|| selector.clone());
        }
        if let Some(tolerations) = &self.tolerations {
            spec.tolerations = (!tolerations.is_empty()).then(|| tolerations.clone());
        }
        if let Some(resources) = &self.resources {
            let empty = |m: &Option<BTreeMap<_, _>>| m.as_ref().is_none_or(BTreeMap::is_empty);
            spec.resources = (!(empty(&resources.requests) && empty(&resources.limits)))
                .then(|| resources.clone());
        }
        if let Some(routes) = &self.routes {
            spec.routes = (!routes.is_empty()).then(|| routes.clone());
        }
        spec
    }
}

/// A credential value on its way to the cluster. It is never sent back: no `Serialize`,
/// and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    /// Wraps a value as typed or uploaded.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that writes it to the cluster.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// An empty field keeps the stored value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(<redacted>)")
    }
}

/// One credential key the user sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialEdit {
    /// The exact key the operator reads (`REGISTRY_STORAGE_S3_ACCESSKEY`, ...).
    pub key: String,
    pub value: SecretValue,
    /// The uploaded file's name, for a value that came from a file (the GCS key file).
    pub file_name: Option<String>,
}

/// A change as the form sends it: what the page showed, the edits, and the credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigChange {
    /// What the page showed: its resourceVersion is the precondition of the write.
    pub shown: ShownConfig,
    pub edits: ConfigEdits,
    /// Credential keys to set; an empty value keeps the stored one.
    pub credentials: Vec<CredentialEdit>,
}

impl ConfigChange {
    /// The credentials that set something (an empty field keeps the stored value).
    pub fn credentials(&self) -> Vec<&CredentialEdit> {
        self.credentials
            .iter()
            .filter(|c| !c.value.is_empty())
            .collect()
    }

    /// The keys that will be written.
    pub fn secret_keys(&self) -> Vec<String> {
        self.credentials().iter().map(|c| c.key.clone()).collect()
    }
}

/// The configuration page's data: the config as shown and whether the user may change it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigData {
    pub shown: ShownConfig,
    /// Who is signed in; `viewer.can_edit` says whether the cluster lets them patch the
    /// config and the console is not read-only.
    pub viewer: crate::viewer::Viewer,
}

/// A change on the wire from the form to the server function. Its credential values are
/// wrapped into [`SecretValue`]s on arrival and never sent back.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRequest {
    pub shown: ShownConfig,
    pub edits: ConfigEdits,
    /// `(key, value, uploaded file name)`.
    pub credentials: Vec<(String, String, Option<String>)>,
}

impl fmt::Debug for ConfigRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.credentials.iter().map(|c| c.0.as_str()).collect();
        f.debug_struct("ConfigRequest")
            .field("shown", &self.shown)
            .field("edits", &self.edits)
            .field("credential_keys", &keys)
            .finish()
    }
}

impl From<ConfigRequest> for ConfigChange {
    fn from(request: ConfigRequest) -> Self {
        ConfigChange {
            shown: request.shown,
            edits: request.edits,
            credentials: request
                .credentials
                .into_iter()
                .map(|(key, value, file_name)| CredentialEdit {
                    key,
                    value: SecretValue::new(value),
                    file_name,
                })
                .collect(),
        }
    }
}

/// What the review step shows before anything is applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigReview {
    /// The shared rules' findings, then the API's own (from a dry run).
    pub findings: Vec<Finding>,
    /// Whether a finding stops the change.
    pub blocked: bool,
    /// The merge patch of only the changed fields; `None` when no field changes.
    pub patch: Option<serde_json::Value>,
    /// The spec before and after, as YAML lines (`httpSecret` masked).
    pub diff: Vec<DiffLine>,
    /// `oc patch ... --type merge -p '...'`, when a field changes.
    pub oc_patch: Option<String>,
    /// `oc create secret generic ...` or `oc set data ...` with values redacted.
    pub oc_secret: Option<String>,
    /// The credential keys that will be written.
    pub secret_keys: Vec<String>,
    /// The claim that will be created first (block storage), as `oc create -f -` with its
    /// YAML.
    pub oc_claim: Option<String>,
}

/// A field that differs between two versions of the config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path (`spec.replicas`).
    pub field: String,
    /// The value the page showed, as JSON; `None` when it was not set.
    pub shown: Option<String>,
    /// The value now, as JSON; `None` when it is no longer set.
    pub now: Option<String>,
}

/// What applying a change did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ApplyOutcome {
    /// The shared rules or the API refused the change; nothing was written.
    Refused { findings: Vec<Finding> },
    /// The form asks for what the cluster already holds; nothing was written.
    Unchanged,
    /// The change is in the cluster.
    Applied {
        /// The config's version after the write.
        resource_version: String,
        /// The operator changed fields the user did not touch after the page was shown; the
        /// user's change was applied on top of those (empty when it was not needed).
        rebased_over: Vec<FieldChange>,
        /// The credential keys written.
        secret_keys: Vec<String>,
    },
    /// The config change is in the cluster, but writing the credentials failed afterwards.
    CredentialsNotWritten {
        /// The config's version after the write.
        resource_version: String,
        /// Why the secret could not be written.
        reason: String,
    },
    /// Someone changed the config since the page was shown; nothing was written.
    Conflict {
        /// What changed meanwhile.
        changes: Vec<FieldChange>,
        /// The current version, to review again from.
        resource_version: String,
    },
}

impl ApplyOutcome {
    /// The outcome in a sentence or two, for the page.
    pub fn message(&self) -> String {
        let fields = |changes: &[FieldChange]| {
            changes
                .iter()
                .map(|c| c.field.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            ApplyOutcome::Refused { findings } => format!(
                "Nothing was changed: {}",
                findings
                    .iter()
                    .filter(|f| f.severity == registry_model::validation::Severity::Error)
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            ApplyOutcome::Unchanged => "Nothing to apply: the cluster already holds these values.".into(),
            ApplyOutcome::Applied { rebased_over, .. } if rebased_over.is_empty() => {
                "Applied.".into()
            }
            ApplyOutcome::Applied { rebased_over, .. } => format!(
                "Applied. Meanwhile the operator had changed {}, which you did not edit; your change was applied on top and kept the operator's values.",
                fields(rebased_over)
            ),
            ApplyOutcome::CredentialsNotWritten { reason, .. } => format!(
                "The configuration was applied, but the credentials were not written ({reason}). Enter them again and apply."
            ),
            ApplyOutcome::Conflict { changes, .. } if changes.is_empty() => "Nothing was changed: the config changed since this page loaded. Review it again and apply.".into(),
            ApplyOutcome::Conflict { changes, .. } => format!(
                "Nothing was changed: since this page loaded, {} changed. Review the current values and apply again.",
                fields(changes)
            ),
        }
    }
}

impl From<ConfigReview> for crate::components::review::Review {
    fn from(review: ConfigReview) -> Self {
        // In the order they would run: the claim first, then the config, then the secret.
        let commands = [
            ("oc-claim", review.oc_claim),
            ("oc-patch", review.oc_patch),
            ("oc-secret", review.oc_secret),
        ]
        .into_iter()
        .filter_map(|(class, command)| Some((class, command?)))
        .collect();
        Self {
            findings: review.findings,
            diff: review.diff,
            commands,
            blocked: review.blocked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry_model::registry_config::{EmptyDir, PvcStorage, Storage, StorageManagementState};

    fn pvc_spec() -> ConfigSpec {
        ConfigSpec {
            replicas: 1,
            http_secret: Some("0123abcd".into()),
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
    fn edits_keep_what_they_do_not_name() {
        let shown = pvc_spec();
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
        let shown = pvc_spec();
        let same = ConfigEdits {
            storage: Some(StorageChoice::Pvc(PvcStorage {
                claim: Some("image-registry-storage".into()),
            })),
            ..Default::default()
        }
        .apply_to(&shown);
        assert_eq!(
            same.storage.unwrap().management_state,
            Some(StorageManagementState::Managed),
            "the claim the operator created stays its own"
        );
        // Another claim is not the operator's to delete on Removed.
        let other = ConfigEdits {
            storage: Some(StorageChoice::Pvc(PvcStorage {
                claim: Some("my-claim".into()),
            })),
            ..Default::default()
        }
        .apply_to(&shown);
        assert_eq!(other.storage.unwrap().management_state, None);
        // A stored OSS block is kept: the form does not edit it.
        let mut with_oss = shown.clone();
        with_oss.storage.as_mut().unwrap().oss = Some(serde_json::json!({"bucket": "old"}));
        let kept = ConfigEdits {
            storage: Some(StorageChoice::Pvc(PvcStorage {
                claim: Some("image-registry-storage".into()),
            })),
            ..Default::default()
        }
        .apply_to(&with_oss);
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
    fn credentials_never_show() {
        let edit = CredentialEdit {
            key: "REGISTRY_STORAGE_S3_SECRETKEY".into(),
            value: SecretValue::new("wJalrXUtnFEMI"),
            file_name: None,
        };
        let printed = format!("{edit:?}");
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
        assert!(printed.contains("redacted"));
        let request = ConfigRequest {
            shown: ShownConfig {
                resource_version: "1".into(),
                spec: ConfigSpec::default(),
                credentials: CredentialsStatus::default(),
                claims: None,
                storage_classes: None,
            },
            edits: ConfigEdits::default(),
            credentials: vec![(
                "REGISTRY_STORAGE_S3_SECRETKEY".into(),
                "wJalrXUtnFEMI".into(),
                None,
            )],
        };
        let printed = format!("{request:?}");
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
        assert!(printed.contains("REGISTRY_STORAGE_S3_SECRETKEY"));
        let change = ConfigChange::from(request);
        assert_eq!(change.credentials[0].value.expose(), "wJalrXUtnFEMI");
    }

    #[test]
    fn a_changed_url_still_carrying_the_mask_is_refused() {
        let masked = ConfigSpec {
            proxy: Some(ProxyConfig {
                http: Some("http://u:***@proxy:3128".into()),
                https: Some("https://proxy:3128".into()),
                ..ProxyConfig::default()
            }),
            ..ConfigSpec::default()
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

    #[test]
    fn outcomes_name_the_fields_that_changed() {
        let change = FieldChange {
            field: "spec.replicas".into(),
            shown: Some("1".into()),
            now: Some("3".into()),
        };
        let conflict = ApplyOutcome::Conflict {
            changes: vec![change.clone()],
            resource_version: "9".into(),
        };
        assert!(conflict.message().contains("spec.replicas changed"));
        assert!(conflict.message().starts_with("Nothing was changed"));
        let rebased = ApplyOutcome::Applied {
            resource_version: "9".into(),
            rebased_over: vec![FieldChange {
                field: "spec.httpSecret".into(),
                ..change
            }],
            secret_keys: vec![],
        };
        assert!(
            rebased
                .message()
                .contains("operator had changed spec.httpSecret")
        );
        let half = ApplyOutcome::CredentialsNotWritten {
            resource_version: "10".into(),
            reason: "403 Forbidden".into(),
        };
        assert!(
            half.message()
                .contains("applied, but the credentials were not written")
        );
    }
}
