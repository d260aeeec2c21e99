//! What kube-controller-manager's CronJob controller does, simulated: at each time a
//! schedule names, a Job from the CronJob's template, named `<cronjob>-<minutes since the
//! epoch>` and owned by the CronJob as the real controller makes it. Suspended CronJobs
//! start nothing; with `concurrencyPolicy: Forbid` nothing starts while a run is going.
//! Times missed while the demo was stopped start one run, the most recent, if it is within
//! `startingDeadlineSeconds`, as the real controller does. Schedules are read in UTC
//! (`spec.timeZone` is not simulated).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use croner::Cron;
use futures::StreamExt;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::watcher;
use kube::{Client, Resource, ResourceExt};
use serde_json::json;

/// The annotation the real controller puts on a Job with the time it was scheduled for.
pub const SCHEDULED_AT: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// How long the controller sleeps at most before looking again.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
#[error("Kubernetes API: {0}")]
struct Error(#[from] kube::Error);

/// The time a run is due for: the most recent time the schedule names that is after
/// `last` (the last scheduled run, or the CronJob's creation) and not after `now`, unless
/// it is more than `deadline` seconds ago (`startingDeadlineSeconds`: then it is missed).
pub fn due(
    cron: &Cron,
    last: DateTime<Utc>,
    now: DateTime<Utc>,
    deadline: Option<i64>,
) -> Option<DateTime<Utc>> {
    cron.find_previous_occurrence(&now, true)
        .ok()
        .filter(|at| *at > last)
        .filter(|at| deadline.is_none_or(|d| (now - *at).num_seconds() <= d))
}

/// How long until the schedule's next time after `now`, at most [`LONGEST_WAIT`].
fn wait(cron: &Cron, now: DateTime<Utc>) -> Duration {
    cron.find_next_occurrence(&now, false)
        .ok()
        .and_then(|next| (next - now).to_std().ok())
        .map_or(LONGEST_WAIT, |d| {
            d.clamp(Duration::from_secs(1), LONGEST_WAIT)
        })
}

fn to_chrono(time: &Time) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(time.0.as_second(), 0)
}

/// Runs the CronJob controller until the API goes away.
pub async fn run(client: Client) {
    Controller::new(
        Api::<CronJob>::all(client.clone()),
        watcher::Config::default(),
    )
    .run(
        reconcile,
        |_, error, _| {
            tracing::debug!(%error, "cron jobs: retrying");
            Action::requeue(Duration::from_secs(1))
        },
        Arc::new(client),
    )
    .for_each(|_| async {})
    .await;
}

async fn reconcile(cron_job: Arc<CronJob>, client: Arc<Client>) -> Result<Action, Error> {
    let spec = cron_job.spec.clone();
    // The API refuses schedules that do not parse; one that still fails here starts nothing.
    let Ok(cron) = Cron::from_str(&spec.schedule) else {
        return Ok(Action::await_change());
    };
    if spec.suspend == Some(true) {
        return Ok(Action::await_change());
    }
    let now = Utc::now();
    let last = cron_job
        .status
        .as_ref()
        .and_then(|s| s.last_schedule_time.as_ref())
        .or(cron_job.metadata.creation_timestamp.as_ref())
        .and_then(to_chrono)
        .unwrap_or(now);
    let Some(at) = due(&cron, last, now, spec.starting_deadline_seconds) else {
        return Ok(Action::requeue(wait(&cron, now)));
    };
    let ns = cron_job.namespace().unwrap_or_default();
    let jobs: Api<Job> = Api::namespaced((*client).clone(), &ns);
    if spec.concurrency_policy.as_deref() == Some("Forbid") && running(&jobs, &cron_job).await? {
        return Ok(Action::requeue(Duration::from_secs(2)));
    }
    let template = spec.job_template;
    let mut annotations = template
        .metadata
        .as_ref()
        .and_then(|m| m.annotations.clone())
        .unwrap_or_default();
    annotations.insert(
        SCHEDULED_AT.to_owned(),
        at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    );
    let job: Job = serde_json::from_value(json!({
        "metadata": {
            "name": format!("{}-{}", cron_job.name_any(), at.timestamp() / 60),
            "namespace": ns,
            "labels": template.metadata.as_ref().and_then(|m| m.labels.clone()),
            "annotations": annotations,
            "ownerReferences": [cron_job.controller_owner_ref(&())],
        },
        "spec": template.spec,
    }))
    .map_err(kube::Error::SerdeError)?;
    match jobs.create(&PostParams::default(), &job).await {
        Ok(_) => {}
        // A run already made for this time (a restart in between) is the same run.
        Err(kube::Error::Api(status)) if status.code == 409 => {}
        Err(error) => return Err(error.into()),
    }
    Api::<CronJob>::namespaced((*client).clone(), &cron_job.namespace().unwrap_or_default())
        .patch_status(
            &cron_job.name_any(),
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": {
                "lastScheduleTime": at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            } })),
        )
        .await?;
    Ok(Action::requeue(wait(&cron, now)))
}

/// Whether a Job of this CronJob is still running.
async fn running(jobs: &Api<Job>, cron_job: &CronJob) -> Result<bool, Error> {
    let uid = cron_job.uid().unwrap_or_default();
    Ok(jobs
        .list(&ListParams::default())
        .await?
        .items
        .iter()
        .filter(|j| j.owner_references().iter().any(|o| o.uid == uid))
        .any(|j| !crate::workloads::job_finished(j)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_run_is_due_at_the_latest_scheduled_time_since_the_last() {
        let daily = Cron::from_str("0 0 * * *").unwrap();
        let now = at("2026-11-25T23:59:00Z");
        assert_eq!(
            due(&daily, at("2026-11-25T00:00:00Z"), now, None),
            None,
            "ran today"
        );
        assert_eq!(
            due(&daily, at("2026-11-24T00:00:00Z"), now, None),
            Some(at("2026-11-25T00:00:00Z"))
        );
        // Several missed times start one run, the latest.
        assert_eq!(
            due(&daily, at("2026-11-01T12:00:00Z"), now, None),
            Some(at("2026-11-25T00:00:00Z"))
        );
        // ...unless it is past its starting deadline (the pruner's is an hour).
        assert_eq!(
            due(&daily, at("2026-11-24T00:00:00Z"), now, Some(3600)),
            None
        );
        let every_five = Cron::from_str("*/5 * * * *").unwrap();
        assert_eq!(
            due(&every_five, at("2026-11-25T23:54:00Z"), now, None),
            Some(at("2026-11-25T23:55:00Z"))
        );
        assert_eq!(
            due(&every_five, at("2026-11-25T23:55:00Z"), now, None),
            None
        );
        assert_eq!(wait(&every_five, now), Duration::from_secs(60));
        assert_eq!(
            wait(&every_five, at("2026-11-25T23:59:30Z")),
            Duration::from_secs(30)
        );
        let hourly = Cron::from_str("@hourly").unwrap();
        assert_eq!(
            due(&hourly, at("2026-11-25T22:30:00Z"), now, None),
            Some(at("2026-11-25T23:00:00Z"))
        );
    }
}
