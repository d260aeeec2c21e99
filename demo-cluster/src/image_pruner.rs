//! The simulated operator's image pruner controller (`registry-api.md` §2): it renders
//! `imagepruners/cluster` into CronJob `image-pruner` in `openshift-image-registry` and
//! reports the pruner's conditions as the real operator does: Available while the CronJob
//! exists, Scheduled or Suspended, Failed from the last finished Job, and Degraded when the
//! CronJob could not be applied (an invalid schedule is first refused there) or the last
//! Job failed.
//!
//! Whether the pruner also prunes the registry's storage follows `images.config/cluster`
//! `status.internalRegistryHostname`: empty (the registry is Removed) means
//! `--prune-registry=false`, so only API objects are pruned.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Client, ResourceExt};
use registry_model::condition::{self, Condition, ConditionStatus};
use registry_model::duration::parse_go_duration;
use registry_model::image_pruner::ImagePrunerSpec;
use registry_model::names::{REGISTRY_NAMESPACE, SINGLETON};
use registry_model::registry_config::LogLevel;
use registry_model::{Image, ImagePruner};
use serde_json::{Value, json};

use crate::operator::{Error, apply};
use crate::timestamp::now;

/// The CronJob the operator renders the pruner into.
pub const CRON_JOB: &str = "image-pruner";
/// The pruner's image (the `cli` image of the release).
const CLI_IMAGE: &str = "quay.io/openshift/origin-cli:4.4";
/// Where the service CA bundle is mounted, for `oc` to trust the registry.
const SERVICE_CA: &str = "/var/run/configmaps/serviceca";
/// `backoffLimit` is 0: the script retries `oc` itself, five times, waiting 30 s × attempt.
const RETRY_SCRIPT: &str =
    "for i in 1 2 3 4 5; do \"$0\" \"$@\" && exit 0; sleep $((30 * i)); done; exit 1";

struct Ctx {
    client: Client,
}

/// Runs the pruner controller until the API goes away.
pub async fn run(client: Client) {
    let ns = REGISTRY_NAMESPACE;
    let wc = watcher::Config::default();
    Controller::new(
        Api::<ImagePruner>::all(client.clone()),
        watcher::Config::default().fields(&format!("metadata.name={SINGLETON}")),
    )
    .watches(
        Api::<CronJob>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<CronJob>,
    )
    .watches(
        Api::<Job>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<Job>,
    )
    .watches(Api::<Image>::all(client.clone()), wc, to_cluster::<Image>)
    .run(reconcile, error_policy, Arc::new(Ctx { client }))
    .for_each(|result| async move {
        if let Err(e) = result {
            tracing::debug!(error = %e, "simulated pruner reconcile");
        }
    })
    .await;
}

/// Everything watched maps to the one pruner.
fn to_cluster<K>(_: K) -> Option<ObjectRef<ImagePruner>> {
    Some(ObjectRef::new(SINGLETON))
}

fn error_policy(_pruner: Arc<ImagePruner>, error: &Error, _ctx: Arc<Ctx>) -> Action {
    tracing::warn!(%error, "simulated operator: pruner reconcile failed; retrying");
    Action::requeue(Duration::from_secs(2))
}

async fn reconcile(pruner: Arc<ImagePruner>, ctx: Arc<Ctx>) -> Result<Action, Error> {
    let client = &ctx.client;
    let hostname = Api::<Image>::all(client.clone())
        .get_opt(SINGLETON)
        .await?
        .and_then(|image| image.status)
        .and_then(|status| status.internal_registry_hostname)
        .unwrap_or_default();
    let cron_jobs = Api::<CronJob>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let apply_error = match apply(
        cron_jobs.clone(),
        CRON_JOB,
        cron_job(&pruner.spec, &hostname),
    )
    .await
    {
        Ok(()) => None,
        // The API refused the CronJob (an invalid schedule, say): the operator reports it.
        Err(Error::Kube(kube::Error::Api(status))) if matches!(status.code, 400 | 422) => {
            Some(status.message.clone())
        }
        Err(error) => return Err(error),
    };
    let exists = cron_jobs.get_opt(CRON_JOB).await?.is_some();
    let jobs = Api::<Job>::namespaced(client.clone(), REGISTRY_NAMESPACE)
        .list(&ListParams::default())
        .await?
        .items;
    let failure = last_failure(&jobs);
    let wanted = conditions(
        exists,
        pruner.spec.suspend.unwrap_or(false),
        apply_error.as_deref(),
        failure,
    );
    let mut status = pruner.status.clone().unwrap_or_default();
    let mut changed = status.observed_generation != pruner.metadata.generation;
    for c in wanted {
        changed |= condition::set(&mut status.conditions, c);
    }
    status.observed_generation = pruner.metadata.generation;
    if changed {
        Api::<ImagePruner>::all(client.clone())
            .patch_status(
                SINGLETON,
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": status })),
            )
            .await?;
    }
    Ok(Action::requeue(Duration::from_secs(60)))
}

/// The pruner's conditions as the operator writes them.
fn conditions(
    cron_job_exists: bool,
    suspended: bool,
    apply_error: Option<&str>,
    last_failure: Option<(String, String)>,
) -> Vec<Condition> {
    let cond = |type_: &str, status: bool, reason: &str, message: &str| Condition {
        type_: type_.into(),
        status: ConditionStatus::from_bool(status),
        last_transition_time: now(),
        reason: Some(reason.into()),
        message: Some(message.into()),
    };
    let available = if cron_job_exists {
        cond(
            "Available",
            true,
            "AsExpected",
            "Pruner CronJob has been created",
        )
    } else {
        cond("Available", false, "Error", "Pruner CronJob does not exist")
    };
    let scheduled = if suspended {
        cond(
            "Scheduled",
            false,
            "Suspended",
            "The pruner job has been suspended",
        )
    } else {
        cond(
            "Scheduled",
            true,
            "Scheduled",
            "The pruner job has been scheduled",
        )
    };
    let failed = match &last_failure {
        Some((reason, message)) => cond("Failed", true, reason, message),
        None => cond("Failed", false, "Complete", "Pruner completed successfully"),
    };
    let degraded = match (apply_error, &last_failure) {
        (Some(error), _) => cond("Degraded", true, "SyncError", error),
        (None, Some((_, message))) => cond("Degraded", true, "JobFailed", message),
        (None, None) => cond("Degraded", false, "AsExpected", ""),
    };
    vec![available, scheduled, failed, degraded]
}

/// The reason and message of the last finished pruner Job, if it failed.
fn last_failure(jobs: &[Job]) -> Option<(String, String)> {
    let finished = |job: &&Job| {
        let owned = job
            .owner_references()
            .iter()
            .any(|o| o.kind == "CronJob" && o.name == CRON_JOB);
        let conditions = job
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .cloned()
            .unwrap_or_default();
        let done = conditions
            .iter()
            .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True");
        owned && done
    };
    let last = jobs
        .iter()
        .filter(finished)
        .max_by_key(|job| job.creation_timestamp().map(|t| t.0))?;
    let conditions = last.status.as_ref()?.conditions.as_ref()?;
    conditions
        .iter()
        .find(|c| c.type_ == "Failed" && c.status == "True")
        .map(|c| {
            (
                c.reason.clone().unwrap_or_else(|| "JobFailed".into()),
                c.message.clone().unwrap_or_default(),
            )
        })
}

/// The `oc adm prune images` arguments the operator derives from the pruner's spec and the
/// registry's internal hostname.
pub fn prune_args(spec: &ImagePrunerSpec, internal_hostname: &str) -> Vec<String> {
    let mut args: Vec<String> = ["adm", "prune", "images"]
        .into_iter()
        .map(String::from)
        .collect();
    args.push(format!(
        "--certificate-authority={SERVICE_CA}/service-ca.crt"
    ));
    args.push(format!(
        "--keep-tag-revisions={}",
        spec.keep_tag_revisions.unwrap_or(3)
    ));
    args.push(format!("--keep-younger-than={}", keep_younger_than(spec)));
    args.push(format!(
        "--ignore-invalid-refs={}",
        spec.ignore_invalid_image_references.unwrap_or(false)
    ));
    args.push("--confirm=true".into());
    if internal_hostname.is_empty() {
        args.push("--prune-registry=false".into());
    } else {
        args.push("--prune-registry=true".into());
        args.push(format!("--registry-url=https://{internal_hostname}"));
    }
    let level = match spec.log_level {
        Some(LogLevel::Debug) => 4,
        Some(LogLevel::Trace) => 6,
        Some(LogLevel::TraceAll) => 8,
        // Normal is 1, deliberately not 2 (`registry-api.md` §2).
        _ => 1,
    };
    args.push(format!("--loglevel={level}"));
    args
}

/// `keepYoungerThanDuration` as Go prints it, else the deprecated nanoseconds, else 60m.
fn keep_younger_than(spec: &ImagePrunerSpec) -> String {
    if let Some(seconds) = spec
        .keep_younger_than_duration
        .as_deref()
        .and_then(|d| parse_go_duration(d).ok())
    {
        return go_duration((seconds * 1e9).round() as i128);
    }
    match spec.keep_younger_than {
        Some(ns) => go_duration(i128::from(ns)),
        None => "60m".into(),
    }
}

/// A duration in nanoseconds as Go's `time.Duration.String` writes it (`1h30m0s`, `500ms`).
fn go_duration(ns: i128) -> String {
    const SECOND: i128 = 1_000_000_000;
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let ns = ns.abs();
    if ns < SECOND {
        let (div, width, unit) = match ns {
            0..1_000 => (1, 0, "ns"),
            1_000..1_000_000 => (1_000, 3, "µs"),
            _ => (1_000_000, 6, "ms"),
        };
        return format!("{sign}{}{unit}", fraction(ns, div, width));
    }
    let (hours, rest) = (ns / (3600 * SECOND), ns % (3600 * SECOND));
    let (minutes, rest) = (rest / (60 * SECOND), rest % (60 * SECOND));
    let mut out = sign.to_string();
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if hours > 0 || minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    out.push_str(&format!("{}s", fraction(rest, SECOND, 9)));
    out
}

fn fraction(value: i128, div: i128, width: usize) -> String {
    let (whole, part) = (value / div, value % div);
    if part == 0 {
        return whole.to_string();
    }
    let digits = format!("{part:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// CronJob `image-pruner` as the operator renders it.
fn cron_job(spec: &ImagePrunerSpec, internal_hostname: &str) -> Value {
    let schedule = spec
        .schedule
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "0 0 * * *".into());
    let resources = spec.resources.as_ref().map_or_else(
        || json!({ "requests": { "cpu": "100m", "memory": "256Mi" } }),
        |r| serde_json::to_value(r).unwrap_or(Value::Null),
    );
    let mut pod = json!({
        "restartPolicy": "Never",
        "serviceAccountName": "pruner",
        "containers": [{
            "name": "image-pruner",
            "image": CLI_IMAGE,
            "command": ["/bin/sh", "-c", RETRY_SCRIPT, "oc"],
            "args": prune_args(spec, internal_hostname),
            "resources": resources,
            "volumeMounts": [{ "name": "serviceca", "mountPath": SERVICE_CA }]
        }],
        "volumes": [{ "name": "serviceca", "configMap": { "name": "serviceca", "items": [{ "key": "service-ca.crt", "path": "service-ca.crt" }] } }]
    });
    for (field, value) in [
        ("affinity", serde_json::to_value(&spec.affinity)),
        ("nodeSelector", serde_json::to_value(&spec.node_selector)),
        ("tolerations", serde_json::to_value(&spec.tolerations)),
    ] {
        if let Ok(value) = value
            && !value.is_null()
        {
            pod[field] = value;
        }
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": { "name": CRON_JOB, "namespace": REGISTRY_NAMESPACE },
        "spec": {
            "schedule": schedule,
            "suspend": spec.suspend.unwrap_or(false),
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 3600,
            "successfulJobsHistoryLimit": spec.successful_jobs_history_limit.unwrap_or(3),
            "failedJobsHistoryLimit": spec.failed_jobs_history_limit.unwrap_or(3),
            "jobTemplate": { "spec": { "backoffLimit": 0, "template": { "spec": pod } } }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
        args.iter()
            .find_map(|a| a.strip_prefix(flag)?.strip_prefix('='))
    }

    #[test]
    fn go_prints_durations_this_way() {
        for (ns, text) in [
            (0, "0s"),
            (3_600_000_000_000, "1h0m0s"),
            (5_400_000_000_000, "1h30m0s"),
            (45_000_000_000, "45s"),
            (1_500_000_000, "1.5s"),
            (500_000_000, "500ms"),
            (90_061_000_000_000, "25h1m1s"),
        ] {
            assert_eq!(go_duration(ns), text, "{ns}");
        }
    }

    #[test]
    fn the_args_follow_the_spec_and_the_registry_hostname() {
        let defaults = prune_args(&ImagePrunerSpec::default(), "");
        assert_eq!(&defaults[..3], ["adm", "prune", "images"]);
        assert_eq!(arg(&defaults, "--keep-tag-revisions"), Some("3"));
        assert_eq!(arg(&defaults, "--keep-younger-than"), Some("60m"));
        assert_eq!(arg(&defaults, "--prune-registry"), Some("false"));
        assert_eq!(arg(&defaults, "--registry-url"), None);
        assert_eq!(arg(&defaults, "--loglevel"), Some("1"));

        let spec = ImagePrunerSpec {
            keep_tag_revisions: Some(5),
            keep_younger_than_duration: Some("90m".into()),
            keep_younger_than: Some(1),
            ignore_invalid_image_references: Some(true),
            log_level: Some(LogLevel::Debug),
            ..ImagePrunerSpec::default()
        };
        let args = prune_args(&spec, "image-registry.openshift-image-registry.svc:5000");
        assert_eq!(arg(&args, "--keep-tag-revisions"), Some("5"));
        assert_eq!(arg(&args, "--keep-younger-than"), Some("1h30m0s"));
        assert_eq!(arg(&args, "--ignore-invalid-refs"), Some("true"));
        assert_eq!(arg(&args, "--prune-registry"), Some("true"));
        assert_eq!(
            arg(&args, "--registry-url"),
            Some("https://image-registry.openshift-image-registry.svc:5000")
        );
        assert_eq!(arg(&args, "--loglevel"), Some("4"));
        let deprecated = ImagePrunerSpec {
            keep_younger_than: Some(7_200_000_000_000),
            ..ImagePrunerSpec::default()
        };
        assert_eq!(
            arg(&prune_args(&deprecated, ""), "--keep-younger-than"),
            Some("2h0m0s")
        );
    }

    #[test]
    fn the_cron_job_carries_schedule_suspend_and_history_limits() {
        let spec = ImagePrunerSpec {
            schedule: Some("*/30 * * * *".into()),
            suspend: Some(true),
            successful_jobs_history_limit: Some(1),
            ..ImagePrunerSpec::default()
        };
        let cj = cron_job(&spec, "");
        assert_eq!(cj["spec"]["schedule"], "*/30 * * * *");
        assert_eq!(cj["spec"]["suspend"], true);
        assert_eq!(cj["spec"]["successfulJobsHistoryLimit"], 1);
        assert_eq!(cj["spec"]["failedJobsHistoryLimit"], 3);
        assert_eq!(cj["spec"]["concurrencyPolicy"], "Forbid");
        assert_eq!(
            cron_job(&ImagePrunerSpec::default(), "")["spec"]["schedule"],
            "0 0 * * *"
        );
        let _: CronJob = serde_json::from_value(cj).expect("a valid CronJob");
    }

    #[test]
    fn conditions_say_what_the_operator_says() {
        let find = |cs: &[Condition], t: &str| {
            let c = condition::find(cs, t).unwrap();
            (c.status, c.reason.clone().unwrap())
        };
        let fine = conditions(true, false, None, None);
        assert_eq!(
            find(&fine, "Available"),
            (ConditionStatus::True, "AsExpected".into())
        );
        assert_eq!(
            find(&fine, "Scheduled"),
            (ConditionStatus::True, "Scheduled".into())
        );
        assert_eq!(
            find(&fine, "Failed"),
            (ConditionStatus::False, "Complete".into())
        );
        assert_eq!(
            find(&fine, "Degraded"),
            (ConditionStatus::False, "AsExpected".into())
        );
        let broken = conditions(false, true, Some("spec.schedule: Invalid value"), None);
        assert_eq!(
            find(&broken, "Available"),
            (ConditionStatus::False, "Error".into())
        );
        assert_eq!(
            find(&broken, "Scheduled"),
            (ConditionStatus::False, "Suspended".into())
        );
        assert_eq!(
            find(&broken, "Degraded"),
            (ConditionStatus::True, "SyncError".into())
        );
        let failed = conditions(
            true,
            false,
            None,
            Some((
                "BackoffLimitExceeded".into(),
                "Job has reached the specified backoff limit".into(),
            )),
        );
        assert_eq!(
            find(&failed, "Failed"),
            (ConditionStatus::True, "BackoffLimitExceeded".into())
        );
        assert_eq!(
            find(&failed, "Degraded"),
            (ConditionStatus::True, "JobFailed".into())
        );
    }
}
