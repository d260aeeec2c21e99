//! The pruner's review, apply and "Prune now" against the embedded demo cluster (with its
//! simulated operator), read back with the real `kubectl`.

use crate::edit::outcome::{FieldChange, Outcome};
use demo_cluster::DemoUser;
use kube::api::{Patch, PatchParams};
use registry_model::change::DiffLine;
use registry_model::edit::pruner::PrunerEdits;
use registry_model::registry_config::LogLevel;
use registry_model::validation::Severity;
use serde_json::{Value, json};

use super::*;
use crate::cluster::test_cluster::TestCluster;

/// Applies `change` at the version it carries, as the console does.
async fn apply(client: &kube::Client, change: &PrunerChange) -> Result<Outcome, kube::Error> {
    let shown = ShownVersion::new(&change.shown.resource_version).expect("a shown version");
    super::apply(client, change, &shown).await
}

async fn demo() -> TestCluster {
    TestCluster::start().await
}

/// The reads these tests make of the test cluster.
impl TestCluster {
    async fn pruner(&self) -> Value {
        self.kubectl_json(&["get", PRUNER_RESOURCE, "cluster", "-o", "json"])
            .await
            .unwrap()
    }

    async fn cron_job(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_json(
            what,
            &["get", "cronjob", CRON_JOB, "-n", REGISTRY_NAMESPACE],
            check,
        )
        .await
    }
}

async fn change_from(client: &kube::Client, edits: PrunerEdits) -> PrunerChange {
    PrunerChange {
        shown: read(client).await.unwrap(),
        edits,
    }
}

fn args(cron_job: &Value) -> Vec<String> {
    serde_json::from_value(
        cron_job
            .pointer("/spec/jobTemplate/spec/template/spec/containers/0/args")
            .cloned()
            .unwrap_or_default(),
    )
    .unwrap_or_default()
}

#[tokio::test]
async fn every_setting_is_applied_and_kubectl_reads_it_back() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let before = demo.pruner().await;
    let change = change_from(
        &admin,
        PrunerEdits {
            schedule: Some("0 3 * * 6".into()),
            suspend: Some(true),
            keep_tag_revisions: Some(5),
            keep_younger_than_duration: Some("2h30m".into()),
            ignore_invalid_image_references: Some(false),
            successful_jobs_history_limit: Some(1),
            failed_jobs_history_limit: Some(2),
            log_level: Some(LogLevel::Debug),
        },
    )
    .await;

    let review = preview(&admin, &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(
        review.oc_patch.as_deref(),
        Some(
            r#"oc patch imagepruners.imageregistry.operator.openshift.io/cluster --type merge -p '{"spec":{"failedJobsHistoryLimit":2,"ignoreInvalidImageReferences":false,"keepTagRevisions":5,"keepYoungerThanDuration":"2h30m","logLevel":"Debug","schedule":"0 3 * * 6","successfulJobsHistoryLimit":1,"suspend":true}}'"#
        )
    );
    assert!(
        review
            .diff
            .contains(&DiffLine::Added("  schedule: 0 3 * * 6".into())),
        "{:?}",
        review.diff
    );
    assert!(
        review
            .diff
            .contains(&DiffLine::Removed("  keepTagRevisions: 3".into()))
    );
    assert_eq!(
        demo.pruner().await["spec"],
        before["spec"],
        "a review writes nothing"
    );

    let outcome = apply(&admin, &change).await.unwrap();
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    let spec = demo.pruner().await["spec"].clone();
    assert_eq!(
        spec,
        json!({
            "schedule": "0 3 * * 6",
            "suspend": true,
            "keepTagRevisions": 5,
            "keepYoungerThanDuration": "2h30m",
            "ignoreInvalidImageReferences": false,
            "successfulJobsHistoryLimit": 1,
            "failedJobsHistoryLimit": 2,
            "logLevel": "Debug"
        })
    );

    // The operator renders it into the CronJob.
    let cron_job = demo
        .cron_job("the new schedule", |cj| {
            cj["spec"]["schedule"] == "0 3 * * 6"
        })
        .await;
    assert_eq!(cron_job["spec"]["suspend"], true);
    assert_eq!(cron_job["spec"]["successfulJobsHistoryLimit"], 1);
    assert_eq!(cron_job["spec"]["failedJobsHistoryLimit"], 2);
    let args = args(&cron_job);
    for want in [
        "--keep-tag-revisions=5",
        "--keep-younger-than=2h30m0s",
        "--ignore-invalid-refs=false",
        "--loglevel=4",
        "--prune-registry=false",
    ] {
        assert!(args.contains(&want.to_string()), "{want}: {args:?}");
    }

    // Applying the same again changes nothing.
    let again = change_from(&admin, change.edits.clone()).await;
    assert_eq!(apply(&admin, &again).await.unwrap(), Outcome::Unchanged);
}

#[tokio::test]
async fn an_invalid_schedule_or_duration_is_refused_by_field_and_changes_nothing() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let before = demo.pruner().await;
    for (edits, field) in [
        (
            PrunerEdits {
                schedule: Some("0 0 * *".into()),
                keep_tag_revisions: Some(9),
                ..PrunerEdits::default()
            },
            "spec.schedule",
        ),
        (
            PrunerEdits {
                keep_younger_than_duration: Some("2w".into()),
                ..PrunerEdits::default()
            },
            "spec.keepYoungerThanDuration",
        ),
        (
            PrunerEdits {
                failed_jobs_history_limit: Some(-1),
                ..PrunerEdits::default()
            },
            "spec.failedJobsHistoryLimit",
        ),
    ] {
        let change = change_from(&admin, edits).await;
        let review = preview(&admin, &change).await.unwrap();
        assert!(review.blocked, "{field}");
        let outcome = apply(&admin, &change).await.unwrap();
        let Outcome::Refused { findings, .. } = &outcome else {
            panic!("{field}: {outcome:?}");
        };
        assert!(
            findings
                .iter()
                .any(|f| f.field == field && f.severity == Severity::Error),
            "{field}: {findings:?}"
        );
        assert!(
            outcome
                .message(crate::pruner::view::OBJECT)
                .starts_with("Nothing was changed")
        );
    }
    assert_eq!(demo.pruner().await["spec"], before["spec"]);
}

#[tokio::test]
async fn a_concurrent_kubectl_change_is_a_conflict_and_nothing_is_overwritten() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(
        &admin,
        PrunerEdits {
            keep_tag_revisions: Some(5),
            ..PrunerEdits::default()
        },
    )
    .await;
    demo.kubectl_json(&[
        "patch",
        PRUNER_RESOURCE,
        "cluster",
        "--type",
        "merge",
        "-p",
        r#"{"spec":{"keepTagRevisions":7}}"#,
    ])
    .await
    .unwrap();

    let outcome = apply(&admin, &change).await.unwrap();
    let Outcome::Conflict { changes, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        changes,
        &[FieldChange {
            field: "spec.keepTagRevisions".into(),
            shown: Some("3".into()),
            now: Some("7".into()),
        }]
    );
    assert!(
        outcome
            .message(crate::pruner::view::OBJECT)
            .contains("spec.keepTagRevisions")
    );
    assert_eq!(demo.pruner().await["spec"]["keepTagRevisions"], 7);
}

#[tokio::test]
async fn a_change_without_the_version_shown_is_refused_and_changes_nothing() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let mut change = change_from(
        &admin,
        PrunerEdits {
            keep_tag_revisions: Some(9),
            ..PrunerEdits::default()
        },
    )
    .await;
    change.shown.resource_version = " ".into();
    let user = demo.signed_in(DemoUser::Admin, false).await;
    let error = apply_as(&user, &change).await.unwrap_err();
    assert_eq!(error.status(), 422, "{error}");
    assert!(error.to_string().contains("resourceVersion"), "{error}");
    assert_eq!(demo.pruner().await["spec"]["keepTagRevisions"], 3);
}

#[tokio::test]
async fn a_status_change_meanwhile_is_not_a_conflict() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(
        &admin,
        PrunerEdits {
            suspend: Some(true),
            ..PrunerEdits::default()
        },
    )
    .await;
    // What the operator does when a run finishes: only the status moves.
    Api::<ImagePruner>::all(admin.clone())
        .patch_status(
            SINGLETON,
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"observedGeneration": 99}})),
        )
        .await
        .unwrap();
    let outcome = apply(&admin, &change).await.unwrap();
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    assert_eq!(demo.pruner().await["spec"]["suspend"], true);
}

#[tokio::test]
async fn the_apis_refusal_in_a_dry_run_lands_on_its_field() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let before = demo.pruner().await;
    // A value the typed form cannot send, straight to the shared write path: the schema
    // refuses it and the finding names the field.
    let pruners = Api::<ImagePruner>::all(admin.clone());
    let sent = send(
        &pruners,
        SINGLETON,
        &json!({"spec": {"logLevel": "Loud"}}),
        Attempt::Preview,
    )
    .await
    .unwrap();
    let Sent::Refused(findings) = sent else {
        panic!("the schema should refuse logLevel Loud");
    };
    assert!(
        findings
            .iter()
            .any(|f| f.field == "spec.logLevel" && f.message.to_string().contains("Loud")),
        "{findings:?}"
    );
    assert_eq!(demo.pruner().await["spec"], before["spec"]);
}

#[tokio::test]
async fn prune_now_creates_a_manual_job_that_completes() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    demo.cron_job("the operator to create the CronJob", |_| true)
        .await;

    let viewer = demo.client(DemoUser::Viewer).await;
    match prune_now(&viewer, "image-pruner-manual-viewer", false).await {
        Err(PruneNowError::Kube(kube::Error::Api(status))) => assert_eq!(status.code, 403),
        other => panic!("a viewer may not start a run: {other:?}"),
    }

    let name = prune_now(&admin, "image-pruner-manual-test", false)
        .await
        .unwrap();
    assert_eq!(name, "image-pruner-manual-test");
    let job = demo
        .wait_for_json(
            "the job to complete",
            &["get", "job", &name, "-n", REGISTRY_NAMESPACE],
            |job| job["status"]["succeeded"] == 1,
        )
        .await;
    assert_eq!(
        job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"],
        "manual"
    );
    assert_eq!(job["metadata"]["ownerReferences"][0]["kind"], "CronJob");
    assert_eq!(job["metadata"]["ownerReferences"][0]["name"], CRON_JOB);
    assert!(job["status"]["completionTime"].is_string());

    let status = status(&admin, chrono::Utc::now()).await.unwrap();
    let run = status
        .runs
        .iter()
        .find(|r| r.name == name)
        .expect("the run is listed");
    assert_eq!(run.state, JobState::Succeeded);
    assert!(run.manual && !run.dry_run);
    assert!(run.started.is_some() && run.finished.is_some());
    // Its log ends with what it did, for the page's summary.
    let log = run_log(&admin, &name).await.unwrap();
    assert!(log.pod.is_some());
    assert_eq!(log.summary(), ["Summary: deleted 0 objects"], "{log:?}");
    // The seeded registry is Removed: the pruner prunes API objects only.
    assert_eq!(
        status.management_state,
        Some(registry_model::registry_config::ManagementState::Removed)
    );
    assert_eq!(status.internal_hostname.as_deref(), Some(""));
    assert_eq!(
        status.cron_job.as_ref().and_then(|cj| cj.prunes_registry()),
        Some(false)
    );
    assert!(
        status.conditions.iter().any(|c| c.is("Available")),
        "{:?}",
        status.conditions
    );
    assert!(status.unreadable.is_empty(), "{:?}", status.unreadable);
}

#[tokio::test]
async fn a_dry_run_deletes_nothing_and_says_what_it_would_delete() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    demo.cron_job("the operator to create the CronJob", |_| true)
        .await;
    let name = prune_now(&admin, "image-pruner-manual-dry", true)
        .await
        .unwrap();
    let job = demo
        .wait_for_json(
            "the dry run to complete",
            &["get", "job", &name, "-n", REGISTRY_NAMESPACE],
            |job| job["status"]["succeeded"] == 1,
        )
        .await;
    let args: Vec<String> =
        serde_json::from_value(job["spec"]["template"]["spec"]["containers"][0]["args"].clone())
            .unwrap();
    assert!(args.contains(&"--confirm=false".to_owned()), "{args:?}");
    assert!(!args.contains(&"--confirm=true".to_owned()), "{args:?}");
    // The CronJob itself still prunes for real.
    let cron_job = demo.cron_job("the CronJob", |_| true).await;
    assert!(
        cron_job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "--confirm=true")
    );
    let status = status(&admin, chrono::Utc::now()).await.unwrap();
    let run = status.runs.iter().find(|r| r.name == name).unwrap();
    assert!(run.manual && run.dry_run);
    let log = run_log(&admin, &name).await.unwrap();
    assert_eq!(
        log.summary(),
        [
            "Dry run enabled - no modifications will be made. Add --confirm to remove images",
            "Summary: would delete 0 objects"
        ],
        "{log:?}"
    );
    // A run whose pod is gone (its history limit removed it) says so.
    let missing = run_log(&admin, "image-pruner-gone").await.unwrap();
    assert_eq!(missing.pod, None);
}
