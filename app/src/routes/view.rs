//! The routes page's data, a change as the form sends it, and its review.

use chrono::{DateTime, Utc};
use registry_model::change::DiffLine;
use registry_model::registry_config::ManagementState;
use registry_model::trust::CertFacts;
use registry_model::validation::{Finding, Message};
use serde::{Deserialize, Serialize};

use crate::edit::review::Review;
use crate::viewer::Viewer;

/// The page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutesData {
    pub viewer: Viewer,
    pub routes: Routes,
}

/// The registry's routes as read at `generated_at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Routes {
    pub generated_at: DateTime<Utc>,
    /// The config's version: the precondition of every change of `spec.routes`.
    pub config_version: String,
    pub management_state: Option<ManagementState>,
    pub default_route: bool,
    /// `spec.routes`.
    pub custom: Vec<CustomRoute>,
    /// The Route objects in `openshift-image-registry`.
    pub routes: Vec<RouteRow>,
    /// The `kubernetes.io/tls` Secrets there, with their certificate's facts (never a key).
    pub secrets: Vec<TlsSecret>,
    pub unreadable: Vec<String>,
}

/// One entry of `spec.routes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomRoute {
    pub name: String,
    pub hostname: Option<String>,
    pub secret_name: Option<String>,
    /// It names a Secret that does not exist (the operator reports it in its conditions).
    pub secret_missing: bool,
}

/// A Route object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteRow {
    pub name: String,
    pub host: Option<String>,
    /// `edge`, `passthrough` or `reencrypt`; `None` without TLS.
    pub termination: Option<String>,
    /// `None` while the router has not answered.
    pub admitted: Option<bool>,
    /// Made by the operator (from `defaultRoute` or `spec.routes`).
    pub operator_owned: bool,
    /// The route's own certificate (`spec.tls.certificate`), `None` on the ingress's.
    pub certificate: Option<CertFacts>,
}

/// A TLS Secret that a route may use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TlsSecret {
    pub name: String,
    pub certificate: Result<CertFacts, Message>,
}

/// Where a new route's certificate comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TlsSource {
    /// The ingress's default certificate.
    Default,
    /// An existing `kubernetes.io/tls` Secret.
    Existing { secret: String },
    /// A new Secret made from a certificate and key (the key is sent once, to be written).
    Upload {
        secret: String,
        certificate: String,
        key: String,
    },
}

/// What the form changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RouteEdit {
    Add {
        name: String,
        hostname: String,
        tls: TlsSource,
    },
    Remove {
        name: String,
    },
}

/// A change as the form sends it, with what the page showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteChange {
    pub edit: RouteEdit,
    pub config_version: String,
    /// `spec.routes` as the page showed it.
    pub shown: Vec<CustomRoute>,
}

/// The review of a change: nothing is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteReview {
    pub findings: Vec<Finding>,
    pub blocked: bool,
    /// The certificate the route will serve, when it has its own.
    pub certificate: Option<CertFacts>,
    pub diff: Vec<DiffLine>,
    pub commands: Vec<String>,
}

impl From<RouteReview> for Review {
    fn from(review: RouteReview) -> Self {
        Review {
            findings: review.findings,
            diff: review.diff,
            commands: review
                .commands
                .into_iter()
                .map(|command| ("oc-route", command))
                .collect(),
            blocked: review.blocked,
        }
    }
}
