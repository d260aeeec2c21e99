//! The registry at a glance, as the overview page shows it.
//!
//! Times travel as milliseconds since the epoch, not RFC 3339 text: reading text would
//! bring chrono's parser into the overview's first load.

use chrono::{DateTime, Utc};
use registry_model::cluster_operator::ClusterOperatorCondition;
use registry_model::condition::{Condition, ConditionStatus};
use registry_model::registry_config::ManagementState;
use serde::{Deserialize, Serialize};

use crate::i18n::Phrase;

/// Everything the overview shows, assembled on the server from the cluster's objects.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// When the server assembled it; the page counts ages from here until its own clock runs.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub generated_at: DateTime<Utc>,
    /// `spec.managementState` of `configs.imageregistry/cluster`; `None` when unset or unreadable.
    pub management_state: Option<ManagementState>,
    /// The config's resourceVersion, sent back with writes as their precondition.
    pub resource_version: Option<String>,
    pub storage: StorageSummary,
    pub replicas: ReplicaSummary,
    /// Conditions of `clusteroperator/image-registry`.
    pub operator_conditions: Vec<ConditionView>,
    /// Conditions of `configs.imageregistry/cluster`.
    pub config_conditions: Vec<ConditionView>,
    /// Pods labelled `docker-registry=default` in `openshift-image-registry`.
    pub pods: Vec<PodView>,
    /// `images.config/cluster` `status.internalRegistryHostname`.
    pub internal_hostname: Option<String>,
    pub routes: Vec<RouteView>,
    /// What the state means and what to do about it, most important first.
    pub guidance: Vec<Guidance>,
    /// Problems in the current configuration and the operator's reports, each with its fix.
    pub doctor: Doctor,
    /// Parts the signed-in user may not read, each with the cluster's reason.
    pub unreadable: Vec<Phrase>,
}

/// Where the registry keeps its images.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageSummary {
    /// Human names of the configured providers; the operator wants exactly one.
    pub kinds: Vec<String>,
    /// Where it points: bucket, claim, container.
    pub location: Option<Phrase>,
    /// `storage.managementState`: whether the operator owns (and deletes) the storage.
    pub management: Option<String>,
}

/// Replicas the config asks for and replicas the operator reports ready.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSummary {
    pub desired: Option<i32>,
    pub ready: Option<i32>,
}

/// One status condition, of an operator config, a pruner or a ClusterOperator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionView {
    pub type_: String,
    pub status: ConditionStatus,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(with = "chrono::serde::ts_milliseconds_option")]
    pub since: Option<DateTime<Utc>>,
}

impl ConditionView {
    /// Whether this condition is bad news: Degraded=True, or Available=False.
    pub fn is_problem(&self) -> bool {
        (self.type_ == "Degraded" && self.status == ConditionStatus::True)
            || (self.type_ == "Available" && self.status == ConditionStatus::False)
    }

    /// Whether it is `type_` and `True`.
    pub fn is(&self, type_: &str) -> bool {
        self.type_ == type_ && self.status == ConditionStatus::True
    }

    fn new(
        type_: &str,
        status: ConditionStatus,
        reason: Option<&String>,
        message: Option<&String>,
        since: &str,
    ) -> Self {
        Self {
            type_: type_.to_owned(),
            status,
            reason: reason.filter(|r| !r.is_empty()).cloned(),
            message: message.filter(|m| !m.is_empty()).cloned(),
            since: DateTime::parse_from_rfc3339(since)
                .ok()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

impl From<&Condition> for ConditionView {
    fn from(c: &Condition) -> Self {
        Self::new(
            &c.type_,
            c.status,
            c.reason.as_ref(),
            c.message.as_ref(),
            &c.last_transition_time,
        )
    }
}

impl From<&ClusterOperatorCondition> for ConditionView {
    fn from(c: &ClusterOperatorCondition) -> Self {
        let status = match c.status.as_str() {
            "True" => ConditionStatus::True,
            "False" => ConditionStatus::False,
            _ => ConditionStatus::Unknown,
        };
        Self::new(
            &c.type_,
            status,
            c.reason.as_ref(),
            c.message.as_ref(),
            &c.last_transition_time,
        )
    }
}

/// One registry pod, as `oc get pods` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodView {
    pub name: String,
    /// Ready containers over all containers, e.g. `1/1`.
    pub ready: String,
    /// The phase, or the reason a container is waiting (`ContainerCreating`, `CrashLoopBackOff`).
    pub status: String,
    pub restarts: i32,
    #[serde(with = "chrono::serde::ts_milliseconds_option")]
    pub created: Option<DateTime<Utc>>,
}

/// A route to the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteView {
    pub name: String,
    pub host: Option<String>,
    /// It serves a certificate of its own (from a TLS secret), not the ingress's default.
    #[serde(default)]
    pub custom_certificate: bool,
}

/// How much a piece of guidance matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A plain-language explanation of a state, with the way out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guidance {
    pub severity: Severity,
    pub title: Phrase,
    pub body: Phrase,
    pub link: Option<Link>,
    /// The way out as steps that tick as the cluster gets there (the first-run guide);
    /// empty for plain guidance.
    pub steps: Vec<GuideStep>,
    /// Shown only on a page that showed this guide before with steps still to do: a
    /// healthy registry needs no guide, but someone who just followed it sees it finish.
    pub progress_only: bool,
}

/// One step of a guide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideStep {
    pub title: Phrase,
    /// What to do, or what the cluster shows now that the step is done.
    pub detail: Phrase,
    pub state: StepState,
    /// Where in the console to take the step, while it is still to do.
    pub link: Option<Link>,
}

/// How far a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Done,
    /// Done, but the doctor warns about how (emptyDir storage).
    Warning,
    /// The step to take now, or the one the cluster is working on.
    Current,
    ToDo,
}

impl StepState {
    /// The CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Warning => "warning",
            Self::Current => "current",
            Self::ToDo => "to-do",
        }
    }

    /// The words a screen reader (and the tick's tooltip) says.
    pub fn label(self) -> String {
        match self {
            Self::Done => crate::i18n::tr::overview::step_state_done(),
            Self::Warning => crate::i18n::tr::overview::step_state_warning(),
            Self::Current => crate::i18n::tr::overview::step_state_current(),
            Self::ToDo => crate::i18n::tr::overview::step_state_to_do(),
        }
    }
}

/// The configuration doctor: what is wrong with the registry's configuration as the
/// cluster holds it, and what the operator reports as Degraded, each with its fix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doctor {
    /// Most severe first.
    pub problems: Vec<Diagnosis>,
    /// What could not be checked with the user's rights, and why; not problems.
    pub not_judged: Vec<Phrase>,
}

/// One problem the doctor found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub severity: Severity,
    /// Where it was found: a field of the config (`spec.replicas`), `credentials`, or a
    /// condition (`Degraded: Unavailable`).
    pub source: String,
    /// What is wrong.
    pub problem: Phrase,
    /// What to do about it.
    pub fix: Phrase,
    /// The place in the console that fixes it.
    pub link: Option<Link>,
}

/// A link inside the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    pub label: Phrase,
}

/// The overview page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewData {
    pub viewer: crate::viewer::Viewer,
    pub overview: Overview,
}

/// The merge patch that sets the management state, as the server sends it (with the
/// shown version added) and as the page's `oc` command shows it.
pub fn management_state_patch(state: ManagementState) -> serde_json::Value {
    serde_json::json!({ "spec": { "managementState": state.as_str() } })
}
