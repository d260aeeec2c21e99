use chrono::{DateTime, Utc};
use registry_model::condition::ConditionStatus;
use registry_model::registry_config::{ManagementState, Storage};

use super::assemble;
use crate::cluster::fixtures::*;
use crate::overview::snapshot::{Part, Snapshot};
use crate::overview::view::{Severity, StepState};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T10:05:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn a_fresh_bare_metal_install_reads_removed_with_guidance_to_configure_storage() {
    let overview = assemble(&fresh_install(), now());
    assert_eq!(overview.management_state, Some(ManagementState::Removed));
    assert_eq!(overview.resource_version.as_deref(), Some("7"));
    assert!(overview.storage.kinds.is_empty());
    assert_eq!(overview.replicas.desired, Some(0));
    assert!(overview.internal_hostname.is_none());
    let first = &overview.guidance[0];
    assert_eq!(first.severity, Severity::Warning);
    assert!(
        first.title.english().contains("removed at install"),
        "{}",
        first.title
    );
    assert!(first.body.english().contains("bare metal and vSphere"));
    assert!(first.body.english().contains("Managed"));
    assert!(!first.progress_only, "shown to everyone");
    let states: Vec<_> = first.steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [StepState::Current, StepState::ToDo, StepState::ToDo]
    );
    assert!(
        first.steps[0]
            .detail
            .english()
            .contains("PersistentVolumeClaim")
    );
    assert!(
        first.steps[0]
            .detail
            .english()
            .contains("emptyDir only for")
    );
    let link = first.steps[0].link.as_ref().unwrap();
    assert_eq!(link.href, "/config?first-run=1");
    assert_eq!(link.label.english(), "Configure storage");
    assert!(
        overview.doctor.problems.is_empty(),
        "a Removed registry's settings do nothing yet"
    );
}

/// The first-run guide's steps at a state: (states, progress_only, title).
fn first_run_at(
    state: ManagementState,
    storage: bool,
    pods: &[bool],
) -> (Vec<StepState>, bool, String) {
    let storage = if storage {
        pvc_storage("image-registry-storage")
    } else {
        Default::default()
    };
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .state(state)
                .on(storage)
                .replicas(pods.len().max(1) as i32),
        ),
        pods: Part::Found(
            pods.iter()
                .enumerate()
                .map(|(i, ready)| pod(&format!("image-registry-{i}")).ready_if(*ready))
                .collect(),
        ),
        claims: Part::Found(vec![claim(
            "image-registry-storage",
            &["ReadWriteMany"],
            "100Gi",
        )]),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let guide = overview
        .guidance
        .iter()
        .find(|g| !g.steps.is_empty())
        .expect("a first-run guide");
    (
        guide.steps.iter().map(|s| s.state).collect(),
        guide.progress_only,
        guide.title.english(),
    )
}

#[test]
fn the_first_run_steps_tick_as_storage_is_set_the_registry_managed_and_pods_ready() {
    use ManagementState::*;
    use StepState::*;
    let (steps, progress_only, _) = first_run_at(Removed, true, &[]);
    assert_eq!(steps, [Done, Current, ToDo]);
    assert!(!progress_only);
    let (steps, progress_only, title) = first_run_at(Managed, false, &[]);
    assert_eq!(steps, [Current, Done, ToDo]);
    assert!(!progress_only);
    assert_eq!(title, "The registry is Managed but has no storage");
    let (steps, progress_only, title) = first_run_at(Managed, true, &[false, false]);
    assert_eq!(steps, [Done, Done, Current]);
    assert!(!progress_only, "no pod ever ready: still a first run");
    assert!(title.contains("no pod is ready yet"), "{title}");
    let (steps, progress_only, _) = first_run_at(Managed, true, &[true, false]);
    assert_eq!(steps, [Done, Done, Current]);
    assert!(
        progress_only,
        "a running registry gets no guide unless one was followed"
    );
    let (steps, progress_only, title) = first_run_at(Managed, true, &[true, true]);
    assert_eq!(steps, [Done, Done, Done]);
    assert!(progress_only);
    assert_eq!(title, "The registry is running");
}

#[test]
fn unmanaged_registries_get_no_first_run_guide() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .state(ManagementState::Unmanaged)
                .on(Storage::default()),
        ),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert!(overview.guidance.iter().all(|g| g.steps.is_empty()));
}

#[test]
fn conditions_keep_reasons_messages_and_times_with_the_main_three_first() {
    let overview = assemble(&fresh_install(), now());
    let types: Vec<_> = overview
        .config_conditions
        .iter()
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(types, ["Available", "Progressing", "Degraded", "Removed"]);
    let available = &overview.operator_conditions[0];
    assert_eq!(available.type_, "Available");
    assert_eq!(available.status, ConditionStatus::True);
    assert_eq!(available.reason.as_deref(), Some("Removed"));
    assert!(available.message.as_deref().unwrap().contains("Removed"));
    assert_eq!(
        available.since.unwrap().to_rfc3339(),
        "2026-11-25T10:00:00+00:00"
    );
}

#[test]
fn a_managed_registry_shows_storage_pods_hostname_and_routes() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .managed()
                .on(pvc_storage("image-registry-storage"))
                .replicas(2),
        ),
        operator: Part::Found(operator(&[
            ("Available", "True", "Ready"),
            ("Degraded", "False", "AsExpected"),
        ])),
        image: Part::Found(image(Some(
            "image-registry.openshift-image-registry.svc:5000",
        ))),
        pods: Part::Found(vec![
            pod("image-registry-b")
                .waiting("ContainerCreating")
                .restarts(3),
            pod("image-registry-a"),
        ]),
        routes: Part::Found(vec![
            route(
                "default-route",
                "image-registry",
                "default-route-openshift-image-registry.apps.demo",
            ),
            route("unrelated", "something-else", "x.apps.demo"),
        ]),
        claims: Part::Found(vec![claim(
            "image-registry-storage",
            &["ReadWriteMany"],
            "100Gi",
        )]),
        credentials: Part::Missing,
        cluster_credentials: Part::Missing,
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.storage.kinds, ["PersistentVolumeClaim"]);
    assert_eq!(
        overview
            .storage
            .location
            .as_ref()
            .map(crate::i18n::Phrase::english)
            .as_deref(),
        Some("PVC `openshift-image-registry/image-registry-storage` (100Gi)"),
        "the claim is named with its size"
    );
    assert_eq!(overview.replicas.desired, Some(2));
    assert_eq!(
        overview.replicas.ready,
        Some(1),
        "counted from ready pods when status has none"
    );
    let names: Vec<_> = overview.pods.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["image-registry-a", "image-registry-b"]);
    assert_eq!(overview.pods[1].status, "ContainerCreating");
    assert_eq!(overview.pods[1].ready, "0/1");
    assert_eq!(overview.pods[1].restarts, 3);
    assert_eq!(
        overview.internal_hostname.as_deref(),
        Some("image-registry.openshift-image-registry.svc:5000")
    );
    assert_eq!(
        overview.routes.len(),
        1,
        "only routes to the registry service"
    );
    assert_eq!(
        overview.routes[0].host.as_deref(),
        Some("default-route-openshift-image-registry.apps.demo")
    );
    assert!(
        overview
            .guidance
            .iter()
            .any(|g| g.title.english() == "The registry is starting")
    );
}

#[test]
fn degraded_reasons_are_explained_once_each() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .managed()
                .on(pvc_storage("claim"))
                .replicas(-1),
        ),
        operator: Part::Found(operator(&[
            ("Available", "False", "VerificationFailed"),
            ("Degraded", "True", "VerificationFailed"),
        ])),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let degraded: Vec<_> = overview
        .doctor
        .problems
        .iter()
        .filter(|p| p.source.starts_with("Degraded"))
        .collect();
    assert_eq!(degraded.len(), 1);
    assert_eq!(degraded[0].source, "Degraded: VerificationFailed");
    assert!(degraded[0].problem.english().contains("The operator says"));
    assert!(degraded[0].fix.english().contains("configuration page"));
    assert!(overview.operator_conditions[0].is_problem());
    assert!(
        !overview
            .guidance
            .iter()
            .any(|g| g.title.english() == "The registry is starting")
    );
}

#[test]
fn a_degraded_operator_is_not_said_to_be_deploying() {
    let snapshot = Snapshot {
        config: Part::Found(removed_config().managed().on(pvc_storage("claim"))),
        operator: Part::Found(operator(&[
            ("Available", "False", "VerificationFailed"),
            ("Degraded", "True", "VerificationFailed"),
        ])),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let guide = overview
        .guidance
        .iter()
        .find(|g| !g.steps.is_empty())
        .expect("the first-run guide: no pod is ready");
    assert_eq!(
        guide.title.english(),
        "The registry is not starting: the operator reports Degraded (VerificationFailed)"
    );
    assert_eq!(guide.severity, Severity::Error);
    assert!(
        !guide.body.english().contains("deploying"),
        "{}",
        guide.body
    );
    assert!(guide.body.english().contains("doctor"), "{}", guide.body);
}
#[test]
fn managed_without_storage_is_explained_once_not_again_as_degraded() {
    let snapshot = Snapshot {
        config: Part::Found(removed_config().managed().on(Storage::default())),
        operator: Part::Found(operator(&[
            ("Available", "False", "StorageNotConfigured"),
            ("Degraded", "True", "StorageNotConfigured"),
        ])),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let titles: Vec<_> = overview
        .guidance
        .iter()
        .map(|g| g.title.english())
        .collect();
    assert_eq!(titles, ["The registry is Managed but has no storage"]);
    assert_eq!(overview.guidance[0].severity, Severity::Error);
    let sources: Vec<_> = overview
        .doctor
        .problems
        .iter()
        .map(|p| p.source.as_str())
        .collect();
    assert_eq!(sources, ["spec.storage"]);
}

#[test]
fn empty_dir_with_several_replicas_is_an_error() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .managed()
                .on(empty_dir_storage())
                .replicas(2),
        ),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let first = &overview.doctor.problems[0];
    assert_eq!(first.severity, Severity::Error);
    assert_eq!(first.source, "spec.replicas");
    assert!(
        first.problem.english().contains("emptyDir"),
        "{}",
        first.problem
    );
    assert!(first.fix.english().contains("replicas"), "{}", first.fix);
    assert_eq!(first.link.as_ref().unwrap().href, "/config#spec.replicas");
    assert!(
        overview
            .doctor
            .problems
            .iter()
            .any(|p| p.severity == Severity::Warning
                && p.problem.english().contains("non-production"))
    );
}

#[test]
fn several_storage_types_are_an_error() {
    let mut storage = pvc_storage("claim");
    storage.empty_dir = empty_dir_storage().empty_dir;
    let snapshot = Snapshot {
        config: Part::Found(removed_config().managed().on(storage)),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.storage.kinds.len(), 2);
    assert!(overview.storage.location.is_none());
    let problem = &overview.doctor.problems[0];
    assert_eq!(problem.source, "spec.storage");
    assert!(
        problem.problem.english().contains("2 storage types"),
        "{}",
        problem.problem
    );
}

#[test]
fn unmanaged_is_explained() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .state(ManagementState::Unmanaged)
                .on(pvc_storage("c")),
        ),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert!(
        overview
            .guidance
            .iter()
            .any(|g| g.title.english().contains("not managing"))
    );
}

#[test]
fn parts_the_user_may_not_read_are_named_not_hidden() {
    let snapshot = Snapshot {
        pods: Part::Forbidden("pods is forbidden: User \"viewer\" cannot list".into()),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.unreadable.len(), 1);
    assert!(
        overview.unreadable[0]
            .english()
            .starts_with("the registry pods: pods is forbidden")
    );
}

#[test]
fn a_missing_config_says_the_operator_recreates_it() {
    let snapshot = Snapshot {
        config: Part::Missing,
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert!(overview.management_state.is_none());
    assert_eq!(
        overview.guidance[0].title.english(),
        "The registry configuration is missing"
    );
}

/// The disagreement: emptyDir ticked by the guide while the doctor said nothing and
/// the form warned. Now the guide, the doctor and the form's rules say the same.
#[test]
fn the_guide_and_the_doctor_say_the_same_about_the_storage() {
    let snapshot = Snapshot {
        config: Part::Found(removed_config().on(empty_dir_storage())),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let warning = overview
        .doctor
        .problems
        .iter()
        .find(|p| p.source == "spec.storage.emptyDir")
        .expect("the doctor warns about emptyDir on a Removed registry too");
    assert_eq!(warning.severity, Severity::Warning);
    let guide = overview
        .guidance
        .iter()
        .find(|g| !g.steps.is_empty())
        .unwrap();
    let storage = &guide.steps[0];
    assert_eq!(
        storage.state,
        StepState::Warning,
        "ticked, with the warning"
    );
    assert!(
        storage
            .detail
            .english()
            .contains("The doctor finds: emptyDir is for non-production"),
        "{}",
        storage.detail
    );
    assert_eq!(
        storage.link.as_ref().map(|l| l.href.as_str()),
        Some("/config#spec.storage.emptyDir")
    );

    // An error in the storage leaves the step to do, and says why.
    let mut s3 = pvc_storage("unused");
    s3.pvc = None;
    s3.s3 = Some(registry_model::registry_config::S3Storage {
        bucket: Some("images".into()),
        region: Some("us-east-1".into()),
        ..Default::default()
    });
    let snapshot = Snapshot {
        config: Part::Found(removed_config().on(s3)),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let guide = overview
        .guidance
        .iter()
        .find(|g| !g.steps.is_empty())
        .unwrap();
    assert_eq!(
        guide.steps[0].state,
        StepState::Current,
        "{:?}",
        overview.doctor.problems
    );
    assert!(
        guide.steps[0]
            .detail
            .english()
            .contains("The doctor finds:")
    );
}

#[test]
fn what_removed_would_delete_is_named_with_the_claims_size() {
    let snapshot = Snapshot {
        config: Part::Found(
            removed_config()
                .managed()
                .on(pvc_storage("image-registry-storage")),
        ),
        claims: Part::Found(vec![claim(
            "image-registry-storage",
            &["ReadWriteMany"],
            "100Gi",
        )]),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(
        overview.storage.location.unwrap().english(),
        "PVC `openshift-image-registry/image-registry-storage` (100Gi)"
    );
}

#[test]
fn without_storage_in_the_spec_no_storage_management_is_claimed() {
    let mut config = removed_config();
    let mut status = config.status.clone().unwrap_or_default();
    status.storage.management_state =
        Some(registry_model::registry_config::StorageManagementState::Unmanaged);
    config.status = Some(status);
    let snapshot = Snapshot {
        config: Part::Found(config),
        ..fresh_install()
    };
    assert_eq!(assemble(&snapshot, now()).storage.management, None);
}
