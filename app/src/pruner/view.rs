//! The image pruner page's data: the pruner as shown, what the user edits, the review and
//! the outcome of a change, and the status of the CronJob `image-pruner` and its last runs.

use chrono::{DateTime, Utc};
use registry_model::change::DiffLine;
use registry_model::edit::pruner::{PrunerEdits, PrunerView};
use registry_model::registry_config::ManagementState;
use registry_model::validation::Finding;
use serde::{Deserialize, Serialize};

use crate::edit::outcome::Object;

use crate::overview::ConditionView;
use crate::viewer::Viewer;

/// What an outcome's message calls `imagepruners/cluster`.
pub const OBJECT: Object = Object::Pruner;

/// `imagepruners/cluster` as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownPruner {
    /// The version the page showed: the precondition of every write made from it.
    pub resource_version: String,
    /// The fields the form edits.
    pub spec: PrunerView,
}

/// A change as the form sends it: what the page showed and the edits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrunerChange {
    pub shown: ShownPruner,
    pub edits: PrunerEdits,
}

/// What the review step shows before anything is applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrunerReview {
    /// The shared rules' findings, then the API's own (from a dry run).
    pub findings: Vec<Finding>,
    /// Whether a finding stops the change.
    pub blocked: bool,
    /// The merge patch of only the changed fields; `None` when no field changes.
    pub patch: Option<serde_json::Value>,
    /// The spec before and after, as YAML lines.
    pub diff: Vec<DiffLine>,
    /// `oc patch imagepruners.imageregistry.operator.openshift.io/cluster --type merge -p '...'`.
    pub oc_patch: Option<String>,
}

/// How a pruner Job ended, or that it has not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Running,
    Succeeded,
    Failed,
}

/// One run of the pruner: a Job of CronJob `image-pruner`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrunerRun {
    pub name: String,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
    pub state: JobState,
    /// Created by hand (`oc create job --from=cronjob/image-pruner`), not by the schedule.
    pub manual: bool,
    /// It runs with `--confirm=false`: it lists what it would delete and deletes nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Why it failed, as the Job says.
    pub message: Option<String>,
}

/// CronJob `image-pruner` as the operator rendered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrunerCronJob {
    pub schedule: String,
    pub suspend: bool,
    /// The `oc` arguments, as the pruner pod runs them.
    pub args: Vec<String>,
    pub last_schedule: Option<DateTime<Utc>>,
}

impl PrunerCronJob {
    /// `Some(true)` when the pruner also deletes blobs from the registry's storage,
    /// `Some(false)` when it prunes only API objects; `None` when the args do not say.
    pub fn prunes_registry(&self) -> Option<bool> {
        self.args
            .iter()
            .find_map(|a| a.strip_prefix("--prune-registry="))
            .map(|v| v == "true")
    }
}

/// What the pruner page shows about the pruner's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PrunerStatus {
    /// When the server read it.
    pub generated_at: DateTime<Utc>,
    /// The pruner as it is now, to tell the form that someone changed it meanwhile.
    #[serde(default)]
    pub pruner: Option<ShownPruner>,
    /// The pruner's conditions (Available, Scheduled, Failed, Degraded).
    pub conditions: Vec<ConditionView>,
    /// `None` while the operator has not (or could not) create it, or it is unreadable.
    pub cron_job: Option<PrunerCronJob>,
    /// The Jobs of the CronJob, newest first.
    pub runs: Vec<PrunerRun>,
    /// The registry's `spec.managementState`.
    pub management_state: Option<ManagementState>,
    /// `images.config/cluster` `status.internalRegistryHostname` (empty when Removed).
    pub internal_hostname: Option<String>,
    /// Parts the user may not read, each with the cluster's reason.
    pub unreadable: Vec<String>,
}

/// The pruner page's data in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrunerData {
    pub shown: ShownPruner,
    pub status: PrunerStatus,
    /// `viewer.can_edit` says whether the user may patch the pruner (and the console is
    /// not read-only).
    pub viewer: Viewer,
}

/// The end of a pruner run's log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunLog {
    pub job: String,
    /// The run's pod; `None` when it is gone (the Job's history limit removed it).
    pub pod: Option<String>,
    /// The last lines, oldest first.
    pub lines: Vec<String>,
}

impl RunLog {
    /// The lines that sum a run up: `oc adm prune images` ends with `Summary: ...`, and a
    /// dry run says so first. The page shows them above the rest.
    pub fn summary(&self) -> Vec<&str> {
        self.lines
            .iter()
            .map(String::as_str)
            .filter(|l| {
                let l = l.trim_start();
                l.starts_with("Summary:")
                    || l.starts_with("Dry run enabled")
                    || l.starts_with("error:")
            })
            .collect()
    }
}

/// What "Prune now" does, shown before it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PruneNowPlan {
    /// `image-pruner-manual-<time>`.
    pub job_name: String,
    /// `oc create job --from=cronjob/image-pruner <name> -n openshift-image-registry`.
    pub command: String,
    /// The same pruning from a terminal without `--confirm`: it deletes nothing; `None`
    /// when the CronJob is not known.
    pub dry_run_command: Option<String>,
}

/// The Job name and commands of a manual run started at `now`; `args` are the CronJob's
/// `oc` arguments, when known.
pub fn prune_now_plan(now: DateTime<Utc>, args: Option<&[String]>) -> PruneNowPlan {
    let job_name = format!("image-pruner-manual-{}", now.format("%Y%m%d-%H%M%S"));
    let dry_run_command = args.map(|args| {
        let args: Vec<&str> = args
            .iter()
            .map(String::as_str)
            // Kept out: the pod's own CA path, and --confirm (its absence is the dry run).
            .filter(|a| !a.starts_with("--confirm") && !a.starts_with("--certificate-authority"))
            .collect();
        format!("oc {}", args.join(" "))
    });
    PruneNowPlan {
        command: format!(
            "oc create job --from=cronjob/image-pruner {job_name} -n {}",
            registry_model::names::REGISTRY_NAMESPACE
        ),
        job_name,
        dry_run_command,
    }
}

/// Why `name` is not a pruner Job's name (`image-pruner-...`, a DNS-1123 label), or `None`.
pub fn pruner_job_name_problem(name: &str) -> Option<crate::i18n::Phrase> {
    use crate::i18n::said;
    if !name.starts_with("image-pruner-") {
        return Some(said::pruner::job_not_pruner(name));
    }
    (!registry_model::validation::names::is_dns1123_label(name))
        .then(|| said::pruner::job_name_invalid(name))
}

/// Why `name` is not a manual pruner Job's name (`image-pruner-manual-...`, a DNS-1123
/// label because the Job's pods carry it as a label), or `None`.
pub fn manual_job_name_problem(name: &str) -> Option<crate::i18n::Phrase> {
    use crate::i18n::said;
    if !name.starts_with("image-pruner-manual-") {
        return Some(said::pruner::job_not_manual(name));
    }
    (!registry_model::validation::names::is_dns1123_label(name))
        .then(|| said::pruner::job_name_invalid(name))
}

impl From<PrunerReview> for crate::edit::review::Review {
    fn from(review: PrunerReview) -> Self {
        Self {
            findings: review.findings,
            diff: review.diff,
            commands: review
                .oc_patch
                .map(|c| ("oc-patch", c))
                .into_iter()
                .collect(),
            blocked: review.blocked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn plans_read_well() {
        let args: Vec<String> = [
            "adm",
            "prune",
            "images",
            "--certificate-authority=/var/run/configmaps/serviceca/service-ca.crt",
            "--keep-tag-revisions=3",
            "--confirm=true",
            "--prune-registry=false",
        ]
        .map(String::from)
        .into();
        let plan = prune_now_plan(
            Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap(),
            Some(&args),
        );
        assert_eq!(plan.job_name, "image-pruner-manual-20250304-050607");
        assert_eq!(
            plan.dry_run_command.as_deref(),
            Some("oc adm prune images --keep-tag-revisions=3 --prune-registry=false")
        );
        assert_eq!(
            plan.command,
            "oc create job --from=cronjob/image-pruner image-pruner-manual-20250304-050607 -n openshift-image-registry"
        );
        let cj = PrunerCronJob {
            schedule: "0 0 * * *".into(),
            suspend: false,
            args: vec!["--prune-registry=false".into()],
            last_schedule: None,
        };
        assert_eq!(cj.prunes_registry(), Some(false));
        assert_eq!(manual_job_name_problem(&plan.job_name), None);
        assert!(manual_job_name_problem("image-pruner").is_some());
        assert!(manual_job_name_problem("image-pruner-manual-X").is_some());
        assert_eq!(pruner_job_name_problem("image-pruner-29012345"), None);
        assert!(pruner_job_name_problem("registry-0").is_some());
        let log = RunLog {
            job: "j".into(),
            pod: Some("p".into()),
            lines: vec![
                "2026-12-06T05:00:00Z running: oc adm prune images".into(),
                "Dry run enabled - no modifications will be made. Add --confirm to remove images"
                    .into(),
                "Deleting istags ...".into(),
                "Summary: would delete 0 objects".into(),
            ],
        };
        assert_eq!(log.summary().len(), 2);
        assert!(log.summary()[1].contains("would delete"));
    }
}
