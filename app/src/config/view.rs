//! The registry configuration form's data: what the page was shown, what the user edits,
//! the review before anything is applied, and the outcome. Credential values travel only
//! inward: [`SecretValue`] has no `Serialize`, and nothing sent back names a value.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use registry_model::change::DiffLine;
use registry_model::edit::config::{ConfigEdits, ConfigView};
use registry_model::validation::Finding;
use registry_model::validation::claim::ClaimSummary;
use serde::{Deserialize, Serialize};

use crate::edit::outcome::Object;

/// What an outcome's message calls the registry config.
pub const OBJECT: Object = Object::Config;

/// The registry config as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownConfig {
    /// The version the page showed: the precondition of every write made from it.
    pub resource_version: String,
    /// The fields the form edits, with `httpSecret` and proxy passwords masked.
    pub spec: ConfigView,
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
    /// The secret's version as read: the precondition of writing its keys.
    #[serde(default)]
    pub resource_version: Option<String>,
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

impl From<ConfigReview> for crate::edit::review::Review {
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
                spec: ConfigView::default(),
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
}
