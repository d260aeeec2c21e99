//! The access page's data: the grants of the registry's roles, a change as the form sends
//! it, its review, and what a subject may do once it is applied.

use chrono::{DateTime, Utc};
use registry_model::access::SubjectKind;
use registry_model::change::DiffLine;
use registry_model::validation::Finding;
use serde::{Deserialize, Serialize};

use crate::edit::review::Review;
use crate::viewer::Viewer;

/// The page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessData {
    pub viewer: Viewer,
    pub access: Access,
}

/// The grants of the registry's roles in `project` and cluster-wide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Access {
    pub generated_at: DateTime<Utc>,
    pub project: String,
    /// The projects the user may list (for choosing one); empty when they may not.
    pub projects: Vec<String>,
    /// RoleBindings of the project to a registry role, one row per subject.
    pub grants: Vec<Grant>,
    /// ClusterRoleBindings to a registry role or `prometheus-scraper`, one row per subject.
    pub cluster_grants: Vec<Grant>,
    /// Whether ClusterRole `prometheus-scraper` exists.
    pub scraper_role: bool,
    /// Whether the user may create RoleBindings in the project.
    pub may_grant: bool,
    /// Parts the user may not read, each with the cluster's reason.
    pub unreadable: Vec<String>,
}

/// One subject of a binding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub binding: String,
    /// The binding's version: the precondition of a revoke.
    pub resource_version: String,
    pub role: String,
    pub subject: Subject,
}

/// A binding's subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub name: String,
    /// A service account's namespace.
    pub namespace: Option<String>,
}

impl Subject {
    /// As a person reads it: `alice`, `group devs`, `ci/builder`.
    pub fn label(&self) -> String {
        match (self.kind, &self.namespace) {
            (SubjectKind::ServiceAccount, Some(ns)) => format!("{ns}/{}", self.name),
            _ => self.name.clone(),
        }
    }
}

/// What the form changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AccessEdit {
    /// `oc policy add-role-to-user|group ROLE NAME -n PROJECT` (`-z` for a service account).
    Grant {
        role: String,
        kind: SubjectKind,
        subject: String,
        /// The version of the binding named after the role as the page showed it; `None`
        /// when there was none.
        binding_version: Option<String>,
    },
    /// `oc policy remove-role-from-...`: the subject goes from `binding`, and the binding
    /// with its last subject.
    Revoke { grant: Grant },
    /// Guide 5.5: ClusterRole `prometheus-scraper` (created when missing) bound to `user`.
    Scraper {
        user: String,
        /// As for a grant: ClusterRoleBinding `prometheus-scraper` as the page showed it.
        binding_version: Option<String>,
    },
}

/// A change as the form sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessChange {
    pub project: String,
    pub edit: AccessEdit,
}

/// The review of a change: nothing is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessReview {
    pub findings: Vec<Finding>,
    pub blocked: bool,
    pub diff: Vec<DiffLine>,
    pub commands: Vec<String>,
}

impl From<AccessReview> for Review {
    fn from(review: AccessReview) -> Self {
        Review {
            findings: review.findings,
            diff: review.diff,
            commands: review
                .commands
                .into_iter()
                .map(|command| ("oc-policy", command))
                .collect(),
            blocked: review.blocked,
        }
    }
}

/// What a subject may do with the project's images, as the cluster answers for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub subject: String,
    /// `get imagestreams/layers` (`podman pull`).
    pub pull: bool,
    /// `update imagestreams/layers` (`podman push`).
    pub push: bool,
}
