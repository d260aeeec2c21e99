//! The trusted-CA page's data: what the cluster holds, a change as the form sends it, and
//! its review.

use chrono::{DateTime, Utc};
use registry_model::change::DiffLine;
use registry_model::image_config::ImageSources;
use registry_model::trust::CertFacts;
use registry_model::validation::{Finding, Message};
use serde::{Deserialize, Serialize};

use crate::edit::outcome::Object;
use crate::edit::review::Review;
use crate::viewer::Viewer;

/// What an outcome's message calls the trusted CAs.
pub const OBJECT: Object = Object::TrustedCas;

/// The ConfigMap name the form offers when the image config names none (the guide's).
pub const DEFAULT_CONFIG_MAP: &str = "registry-config";

/// The page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrustData {
    pub viewer: Viewer,
    pub trust: Trust,
    /// Whether the user may patch `images.config.openshift.io/cluster` (and the console is
    /// not read-only): the registry settings' form shows only then.
    pub may_edit_sources: bool,
}

/// The trusted CAs and the rest of the image config, as read at `generated_at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trust {
    pub generated_at: DateTime<Utc>,
    /// `images.config.openshift.io/cluster`'s version: the precondition of setting its
    /// reference.
    pub image_version: String,
    pub source: Source,
    /// The operator's own report about building `image-registry-certificates`
    /// (condition `ImageRegistryCertificatesControllerDegraded`), when it reports a failure.
    pub operator_error: Option<String>,
    pub image: ImageSettings,
    /// The registry settings as the form edits them.
    pub sources: ImageSources,
    /// Parts the user may not read, each with the cluster's reason.
    pub unreadable: Vec<String>,
}

/// Where the trusted CAs come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Source {
    /// `spec.additionalTrustedCA` names no ConfigMap: only the system's CAs are trusted.
    NotReferenced,
    /// It names a ConfigMap that does not exist in `openshift-config`.
    Missing { name: String },
    /// It names one the user may not read (the cluster's reason).
    Unreadable { name: String, why: String },
    Present {
        name: String,
        /// The precondition of every write to it.
        resource_version: String,
        entries: Vec<CaEntry>,
    },
}

impl Source {
    /// The ConfigMap's name, when one is named.
    pub fn name(&self) -> Option<&str> {
        match self {
            Source::NotReferenced => None,
            Source::Missing { name }
            | Source::Unreadable { name, .. }
            | Source::Present { name, .. } => Some(name),
        }
    }

    /// The registries' keys it holds.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Source::Present { entries, .. } => entries.iter().map(|e| e.key.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

/// One registry's entry: key `host..port`, its bundle and whether the registry has it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaEntry {
    pub key: String,
    /// `host:port`, as a client names the registry.
    pub registry: String,
    /// The certificates, or why the bundle does not read as such.
    pub bundle: Result<Vec<CertFacts>, Message>,
    /// Expired, expiring, not yet valid, not a CA.
    pub warnings: Vec<Finding>,
    pub reached: Reached,
    /// A short digest of the value, to tell a conflict which entries changed.
    pub digest: String,
}

/// Whether an entry is in `image-registry-certificates` (what node-ca copies to nodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reached {
    /// The same bundle is there.
    Yes,
    /// Not there yet (the operator has not caught up, or is not running).
    NotYet,
    /// An older bundle is there.
    Older,
    /// `image-registry-certificates` could not be read.
    Unknown,
}

/// The rest of `images.config.openshift.io/cluster`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageSettings {
    /// `spec.allowedRegistriesForImport`: domain, and whether it may be insecure.
    pub allowed_for_import: Vec<(String, bool)>,
    pub insecure_registries: Vec<String>,
    pub blocked_registries: Vec<String>,
    pub allowed_registries: Vec<String>,
    pub search_registries: Vec<String>,
    /// `spec.externalRegistryHostnames`.
    pub external_hostnames: Vec<String>,
    /// `status.internalRegistryHostname` (empty while the registry is Removed).
    pub status_internal_hostname: Option<String>,
    /// `status.externalRegistryHostnames`.
    pub status_external_hostnames: Vec<String>,
}

/// What the form changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CaEdit {
    /// A CA for a registry typed as `host[:port]`.
    Add { registry: String },
    /// The bundle of the entry `key`.
    Replace { key: String },
    /// The entry `key`.
    Remove { key: String },
}

/// A change as the form sends it, with what the page showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaChange {
    pub edit: CaEdit,
    /// The PEM bundle to store (empty for a removal).
    pub pem: String,
    /// The ConfigMap the change writes: the one named, or (when none is) the one to create
    /// and name.
    pub config_map: String,
    /// Its version as the page showed it; `None` when it did not exist.
    pub config_map_version: Option<String>,
    /// Whether the image config named it already (else the change names it).
    pub referenced: bool,
    pub image_version: String,
    /// Each entry's digest as the page showed it, to name what changed meanwhile.
    pub shown: Vec<(String, String)>,
}

/// The review of a change: nothing is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaReview {
    pub findings: Vec<Finding>,
    pub blocked: bool,
    /// The certificates the change stores.
    pub certificates: Vec<CertFacts>,
    pub diff: Vec<DiffLine>,
    /// The `oc` commands that make the same change.
    pub commands: Vec<String>,
}

impl From<CaReview> for Review {
    fn from(review: CaReview) -> Self {
        Review {
            findings: review.findings,
            diff: review.diff,
            commands: review
                .commands
                .into_iter()
                .map(|command| ("oc-ca", command))
                .collect(),
            blocked: review.blocked,
        }
    }
}

/// A change of the image config's registry settings, with what the page showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourcesChange {
    pub shown: ImageSources,
    pub desired: ImageSources,
    pub image_version: String,
}

/// The review of a registry settings change: nothing is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourcesReview {
    pub findings: Vec<Finding>,
    pub blocked: bool,
    pub diff: Vec<DiffLine>,
    pub oc_patch: Option<String>,
}

impl From<SourcesReview> for Review {
    fn from(review: SourcesReview) -> Self {
        Review {
            findings: review.findings,
            diff: review.diff,
            commands: review
                .oc_patch
                .into_iter()
                .map(|c| ("oc-patch", c))
                .collect(),
            blocked: review.blocked,
        }
    }
}
