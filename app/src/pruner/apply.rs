//! The image pruner, read and changed as the signed-in user (`design.md`, Write): the
//! shared rules run again, a dry run lets the API's own refusals come back per field, and
//! the merge patch of only the changed fields goes out with the resourceVersion the page
//! showed as precondition. A conflict lists what changed meanwhile; when only the status
//! changed (the operator reporting a run), the spec the user saw is still current and the
//! change goes out against the new version.
//!
//! Also here: what the page shows about CronJob `image-pruner` and its Jobs, and "Prune
//! now", which does what `oc create job --from=cronjob/image-pruner NAME` does.

use std::collections::BTreeMap;

use crate::edit::outcome::Outcome;
use crate::i18n::said;
use crate::overview::view::ConditionView;
use crate::pruner::view::{
    JobState, PrunerChange, PrunerCronJob, PrunerData, PrunerReview, PrunerRun, PrunerStatus,
    RunLog, ShownPruner, manual_job_name_problem, pruner_job_name_problem,
};
use chrono::{DateTime, Utc};
use k8s_openapi::api::batch::v1::{CronJob, Job, JobSpec};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube::api::{ListParams, LogParams, PostParams};
use kube::{Api, ResourceExt};
use registry_model::change::oc_patch;
use registry_model::edit::pruner::PrunerView;
use registry_model::names::{PRUNER_RESOURCE, REGISTRY_NAMESPACE, SINGLETON};
use registry_model::validation::blocks;
use registry_model::validation::pruner::validate_pruner;
use registry_model::{Config, Image, ImagePruner};

use crate::cluster::access;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{Attempt, Sent, changes, fields, send, spec_diff, spec_patch};
use crate::console::SignedIn;
use crate::error::ConsoleError;

/// The CronJob the operator renders the pruner into.
pub const CRON_JOB: &str = "image-pruner";
/// The annotation `oc create job --from=cronjob/...` puts on the Job it creates.
const MANUAL_ANNOTATION: &str = "cronjob.kubernetes.io/instantiate";

/// How often a change is sent again when only the pruner's status moved meanwhile.
const MAX_RETRIES: usize = 3;

/// Reads the pruner as the form shows it.
pub async fn read(client: &kube::Client) -> Result<ShownPruner, kube::Error> {
    let pruner = Api::<ImagePruner>::all(client.clone())
        .get(SINGLETON)
        .await?;
    Ok(ShownPruner {
        resource_version: pruner.metadata.resource_version.unwrap_or_default(),
        spec: PrunerView::from(pruner.spec),
    })
}

/// The review step: the rules' findings and the API's (from a dry run), the YAML diff and
/// the `oc` command. Nothing is written.
pub async fn preview(
    client: &kube::Client,
    change: &PrunerChange,
) -> Result<PrunerReview, kube::Error> {
    let desired = change.edits.apply_to(&change.shown.spec);
    let patch = spec_patch(&change.shown.spec, &desired);
    let mut findings = validate_pruner(&desired);
    if !blocks(&findings)
        && let Some(patch) = &patch
    {
        // No precondition here: a stale page is caught when applying, with what changed.
        let pruners = Api::<ImagePruner>::all(client.clone());
        if let Sent::Refused(api) = send(&pruners, SINGLETON, patch, Attempt::Preview).await? {
            findings.extend(api);
        }
    }
    Ok(PrunerReview {
        blocked: blocks(&findings),
        findings,
        diff: spec_diff(&change.shown.spec, &desired, patch.as_ref()),
        oc_patch: patch
            .as_ref()
            .map(|p| oc_patch(PRUNER_RESOURCE, SINGLETON, None, p)),
        patch,
    })
}

/// Applies a change: the rules, a dry run, then the merge patch with the shown
/// resourceVersion (`shown`, the one `change` carries) as precondition.
pub async fn apply(
    client: &kube::Client,
    change: &PrunerChange,
    shown: &ShownVersion,
) -> Result<Outcome, kube::Error> {
    let desired = change.edits.apply_to(&change.shown.spec);
    let Some(patch) = spec_patch(&change.shown.spec, &desired) else {
        return Ok(Outcome::Unchanged);
    };
    let findings = validate_pruner(&desired);
    if blocks(&findings) {
        return Ok(Outcome::refused(findings));
    }
    let pruners = Api::<ImagePruner>::all(client.clone());
    let mut version = shown.clone();
    for _ in 0..=MAX_RETRIES {
        let mut sent = send(&pruners, SINGLETON, &patch, Attempt::DryRun(&version)).await?;
        if matches!(sent, Sent::Done(_)) {
            sent = send(&pruners, SINGLETON, &patch, Attempt::Write(&version)).await?;
        }
        match sent {
            Sent::Done(pruner) => {
                return Ok(Outcome::applied(
                    pruner.metadata.resource_version.unwrap_or_default(),
                ));
            }
            Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
            Sent::Conflict => {}
        }
        let current = pruners.get(SINGLETON).await?;
        let current_version = current
            .metadata
            .resource_version
            .clone()
            .unwrap_or_default();
        let theirs = changes(&change.shown.spec, &PrunerView::from(current.spec));
        if !theirs.is_empty() {
            tracing::info!(fields = ?fields(&theirs), "image pruner changed meanwhile: conflict");
            return Ok(Outcome::conflict(theirs, current_version));
        }
        // Only the status or fields the page does not show moved: what the user saw is
        // still current, and the patch does not touch the rest.
        match ShownVersion::of(&current.metadata) {
            Ok(current) => version = current,
            Err(_) => break,
        }
    }
    Ok(Outcome::conflict(Vec::new(), version.as_str().to_owned()))
}

/// What the page shows about the pruner's state: its conditions, the CronJob, the runs, and
/// what decides whether the registry's storage is pruned. Parts the user may not read are
/// named, not fatal.
pub async fn status(
    client: &kube::Client,
    now: DateTime<Utc>,
) -> Result<PrunerStatus, kube::Error> {
    let ns = REGISTRY_NAMESPACE;
    let (pruners, cron_jobs, jobs, configs, images) = (
        Api::<ImagePruner>::all(client.clone()),
        Api::<CronJob>::namespaced(client.clone(), ns),
        Api::<Job>::namespaced(client.clone(), ns),
        Api::<Config>::all(client.clone()),
        Api::<Image>::all(client.clone()),
    );
    let list = ListParams::default();
    let (pruner, cron_job, jobs, config, image) = tokio::join!(
        pruners.get_opt(SINGLETON),
        cron_jobs.get_opt(CRON_JOB),
        jobs.list(&list),
        configs.get_opt(SINGLETON),
        images.get_opt(SINGLETON),
    );
    let mut unreadable = Vec::new();
    let pruner = readable(&mut unreadable, "imagepruners/cluster", pruner)?;
    let cron_job = readable(&mut unreadable, "cronjob/image-pruner", cron_job)?;
    let config = readable(&mut unreadable, "configs.imageregistry/cluster", config)?;
    let image = readable(&mut unreadable, "images.config/cluster", image)?;
    let jobs = match jobs {
        Err(kube::Error::Api(status)) if status.code == 403 => {
            unreadable.push(format!("jobs in {ns}: {}", status.message));
            Vec::new()
        }
        other => other?.items,
    };
    let cron_uid = cron_job.as_ref().and_then(|cj| cj.uid());
    let mut runs: Vec<(Option<DateTime<Utc>>, PrunerRun)> = jobs
        .iter()
        .filter(|job| {
            job.owner_references().iter().any(|o| {
                o.kind == "CronJob"
                    && o.name == CRON_JOB
                    && cron_uid.as_ref().is_none_or(|uid| *uid == o.uid)
            })
        })
        .map(|job| (created(&job.metadata), run(job)))
        .collect();
    runs.sort_by_key(|(created, _)| std::cmp::Reverse(*created));
    Ok(PrunerStatus {
        generated_at: now,
        pruner: pruner.as_ref().map(|p| ShownPruner {
            resource_version: p.metadata.resource_version.clone().unwrap_or_default(),
            spec: PrunerView::from(p.spec.clone()),
        }),
        conditions: pruner
            .and_then(|p| p.status)
            .map(|s| conditions(&s.conditions))
            .unwrap_or_default(),
        cron_job: cron_job.map(|cj| cron_job_view(&cj)),
        runs: runs.into_iter().map(|(_, run)| run).collect(),
        management_state: config.and_then(|c| c.spec.management_state),
        internal_hostname: image
            .and_then(|i| i.status)
            .and_then(|s| s.internal_registry_hostname),
        unreadable,
    })
}

/// A read the user may be refused: the refusal is noted and the part left out.
fn readable<T>(
    unreadable: &mut Vec<String>,
    what: &str,
    result: Result<Option<T>, kube::Error>,
) -> Result<Option<T>, kube::Error> {
    match result {
        Err(kube::Error::Api(status)) if status.code == 403 => {
            unreadable.push(format!("{what}: {}", status.message));
            Ok(None)
        }
        other => other,
    }
}

fn created(meta: &ObjectMeta) -> Option<DateTime<Utc>> {
    meta.creation_timestamp
        .as_ref()
        .and_then(|t| crate::time::from_k8s(t.0))
}

fn time(t: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>) -> Option<DateTime<Utc>> {
    t.and_then(|t| crate::time::from_k8s(t.0))
}

fn conditions(conditions: &[registry_model::Condition]) -> Vec<ConditionView> {
    let order = |t: &str| {
        ["Available", "Scheduled", "Failed", "Degraded"]
            .iter()
            .position(|o| *o == t)
            .unwrap_or(usize::MAX)
    };
    let mut views: Vec<ConditionView> = conditions.iter().map(ConditionView::from).collect();
    views.sort_by_key(|c| order(&c.type_));
    views
}

fn cron_job_view(cj: &CronJob) -> PrunerCronJob {
    let spec = &cj.spec;
    PrunerCronJob {
        schedule: spec.schedule.clone(),
        suspend: spec.suspend.unwrap_or(false),
        args: spec
            .job_template
            .spec
            .as_ref()
            .and_then(pruner_args)
            .cloned()
            .unwrap_or_default(),
        last_schedule: time(
            cj.status
                .as_ref()
                .and_then(|s| s.last_schedule_time.as_ref()),
        ),
    }
}

fn run(job: &Job) -> PrunerRun {
    let status = job.status.clone().unwrap_or_default();
    let condition = |type_: &str| {
        status
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == type_ && c.status == "True")
            .cloned()
    };
    let (state, message) = match (condition("Complete"), condition("Failed")) {
        (_, Some(failed)) => (JobState::Failed, failed.message.or(failed.reason)),
        (Some(_), None) => (JobState::Succeeded, None),
        (None, None) => (JobState::Running, None),
    };
    PrunerRun {
        name: job.name_any(),
        started: time(status.start_time.as_ref()).or_else(|| created(&job.metadata)),
        finished: time(status.completion_time.as_ref())
            .or_else(|| condition("Failed").and_then(|c| time(c.last_transition_time.as_ref()))),
        state,
        manual: job
            .annotations()
            .get(MANUAL_ANNOTATION)
            .is_some_and(|v| v == "manual"),
        dry_run: job
            .spec
            .as_ref()
            .and_then(pruner_args)
            .is_some_and(|args| args.iter().any(|a| a == CONFIRM_OFF)),
        message,
    }
}

/// The pruner's `oc` arguments in a Job's spec (or a CronJob's job template).
fn pruner_args(spec: &JobSpec) -> Option<&Vec<String>> {
    spec.template
        .spec
        .as_ref()?
        .containers
        .first()?
        .args
        .as_ref()
}

/// `oc adm prune images` deletes only with `--confirm`; without it, it lists what it would
/// delete. The operator renders `--confirm=true`; a dry run swaps it for this.
const CONFIRM_ON: &str = "--confirm=true";
const CONFIRM_OFF: &str = "--confirm=false";

/// How many of a run's last log lines the page shows.
const LOG_TAIL: i64 = 40;

/// The end of a pruner run's log, read from its pod.
pub async fn run_log(client: &kube::Client, job_name: &str) -> Result<RunLog, kube::Error> {
    let pods = Api::<Pod>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let listed = pods
        .list(&ListParams::default().labels(&format!("job-name={job_name}")))
        .await?;
    let Some(pod) = listed.items.into_iter().next() else {
        return Ok(RunLog {
            job: job_name.to_owned(),
            pod: None,
            lines: Vec::new(),
        });
    };
    let pod_name = pod.name_any();
    let text = pods
        .logs(
            &pod_name,
            &LogParams {
                tail_lines: Some(LOG_TAIL),
                ..LogParams::default()
            },
        )
        .await?;
    Ok(RunLog {
        job: job_name.to_owned(),
        pod: Some(pod_name),
        lines: text.lines().map(str::to_owned).collect(),
    })
}

/// Why "Prune now" cannot run.
#[derive(Debug, thiserror::Error)]
pub enum PruneNowError {
    /// There is no CronJob to run a Job from yet.
    #[error(
        "CronJob image-pruner does not exist yet: the operator creates it from imagepruners/cluster. Check the pruner's Degraded condition, then try again."
    )]
    NoCronJob,
    /// The CronJob's command has no `--confirm=true` to turn into a dry run.
    #[error(
        "CronJob image-pruner does not run `oc adm prune images --confirm=true`, so the console cannot make a dry run of it; nothing was started."
    )]
    NoDryRun,
    #[error(transparent)]
    Kube(#[from] kube::Error),
}

/// Starts a pruner run now, as `oc create job --from=cronjob/image-pruner NAME` does: a
/// Job from the CronJob's template, annotated as manual and owned by the CronJob (so its
/// history limits apply). With `dry_run` the run deletes nothing: `--confirm=false` makes
/// `oc adm prune images` list what it would delete. The API's own dry run of the create
/// goes first.
pub async fn prune_now(
    client: &kube::Client,
    job_name: &str,
    dry_run: bool,
) -> Result<String, PruneNowError> {
    let cron_jobs = Api::<CronJob>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let cron_job = cron_jobs
        .get_opt(CRON_JOB)
        .await?
        .ok_or(PruneNowError::NoCronJob)?;
    let mut job = job_from(&cron_job, job_name);
    if dry_run {
        let args = job
            .spec
            .as_mut()
            .and_then(|s| s.template.spec.as_mut())
            .and_then(|s| s.containers.first_mut())
            .and_then(|c| c.args.as_mut());
        let confirm = args.and_then(|args| args.iter_mut().find(|a| *a == CONFIRM_ON));
        match confirm {
            Some(confirm) => *confirm = CONFIRM_OFF.to_owned(),
            None => return Err(PruneNowError::NoDryRun),
        }
    }
    let jobs = Api::<Job>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let dry_run = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    jobs.create(&dry_run, &job).await?;
    let created = jobs.create(&PostParams::default(), &job).await?;
    Ok(created.name_any())
}

/// The Job `oc create job --from=cronjob/...` makes of a CronJob.
fn job_from(cron_job: &CronJob, name: &str) -> Job {
    let template = cron_job.spec.job_template.clone();
    let meta = template.metadata.unwrap_or_default();
    let mut annotations: BTreeMap<String, String> = meta.annotations.unwrap_or_default();
    annotations.insert(MANUAL_ANNOTATION.into(), "manual".into());
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(REGISTRY_NAMESPACE.to_owned()),
            annotations: Some(annotations),
            labels: meta.labels,
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name: cron_job.name_any(),
                uid: cron_job.uid().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..ObjectMeta::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// The pruner page for `user`: settings, conditions, CronJob and runs, and whether they
/// may change it.
pub async fn read_as(user: &SignedIn) -> Result<PrunerData, ConsoleError> {
    let (shown, status, may_patch) = tokio::join!(
        read(&user.client),
        status(&user.client, Utc::now()),
        access::can(&user.client, access::patch_image_pruner()),
    );
    let explained = |error| user.explain(error, said::errors::to_read_pruner());
    Ok(PrunerData {
        shown: shown.map_err(explained)?,
        status: status.map_err(explained)?,
        viewer: user.viewer(may_patch.map_err(explained)?),
    })
}

/// The pruner's conditions, CronJob and runs for `user`, read again.
pub async fn status_as(user: &SignedIn) -> Result<PrunerStatus, ConsoleError> {
    status(&user.client, Utc::now())
        .await
        .map_err(|error| user.explain(error, said::errors::to_read_pruner_status()))
}

/// The review of `change` for `user`; nothing is written.
pub async fn preview_as(
    user: &SignedIn,
    change: &PrunerChange,
) -> Result<PrunerReview, ConsoleError> {
    preview(&user.client, change)
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_pruner()))
}

/// Applies `change` as `user`, from the pruner's version they saw.
pub async fn apply_as(user: &SignedIn, change: &PrunerChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    let shown = ShownVersion::new(&change.shown.resource_version)?;
    let result = apply(&user.client, change, &shown).await;
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), outcome = %outcome.message(crate::pruner::view::OBJECT), "image pruner change")
        }
        Err(error) => tracing::info!(user = %user.name(), %error, "image pruner change failed"),
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_pruner()))
}

/// Starts a pruner run now as `user`, as Job `job_name` (a dry run with `dry_run`);
/// returns the Job's name.
pub async fn prune_now_as(
    user: &SignedIn,
    job_name: &str,
    dry_run: bool,
) -> Result<String, ConsoleError> {
    user.writable()?;
    if let Some(problem) = manual_job_name_problem(job_name) {
        return Err(ConsoleError::Rejected(problem));
    }
    let result = prune_now(&user.client, job_name, dry_run).await;
    match &result {
        Ok(job) => tracing::info!(user = %user.name(), %job, dry_run, "pruner run started"),
        Err(error) => tracing::info!(user = %user.name(), %error, "pruner run refused"),
    }
    result.map_err(|error| match error {
        PruneNowError::NoCronJob => ConsoleError::Rejected(said::errors::no_pruner_cronjob()),
        PruneNowError::NoDryRun => ConsoleError::Rejected(said::errors::no_pruner_dry_run()),
        PruneNowError::Kube(error) => user.explain(error, said::errors::to_start_pruner_run()),
    })
}

/// The end of pruner run `job_name`'s log, as `user` may read it.
pub async fn run_log_as(user: &SignedIn, job_name: &str) -> Result<RunLog, ConsoleError> {
    if let Some(problem) = pruner_job_name_problem(job_name) {
        return Err(ConsoleError::Rejected(problem));
    }
    run_log(&user.client, job_name)
        .await
        .map_err(|error| user.explain(error, said::errors::to_read_pruner_log()))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
