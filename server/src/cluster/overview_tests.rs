use chrono::{DateTime, Utc};
use registry_model::registry_config::ManagementState;

use super::assemble;
use crate::cluster::fixtures::*;
use crate::cluster::snapshot::{Part, Snapshot};
use app::models::Severity;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T10:05:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn a_fresh_bare_metal_install_reads_removed_with_guidance_to_configure_storage() {
    let overview = assemble(&fresh_install(), now());
    assert_eq!(overview.management_state.as_deref(), Some("Removed"));
    assert_eq!(overview.resource_version.as_deref(), Some("7"));
    assert!(overview.storage.kinds.is_empty());
    assert_eq!(overview.replicas.desired, Some(0));
    assert!(overview.internal_hostname.is_none());
    let first = &overview.guidance[0];
    assert_eq!(first.severity, Severity::Warning);
    assert!(
        first.title.contains("removed at install"),
        "{}",
        first.title
    );
    assert!(first.body.contains("bare metal and vSphere"));
    assert!(first.body.contains("Managed"));
    assert_eq!(first.link.as_ref().unwrap().href, "/config");
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
    assert_eq!(available.status, "True");
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
        config: Part::Found(config_with(
            ManagementState::Managed,
            pvc_storage("image-registry-storage"),
            2,
        )),
        operator: Part::Found(operator(&[
            ("Available", "True", "Ready"),
            ("Degraded", "False", "AsExpected"),
        ])),
        image: Part::Found(image(Some(
            "image-registry.openshift-image-registry.svc:5000",
        ))),
        pods: Part::Found(vec![
            pod("image-registry-b", false, 3, Some("ContainerCreating")),
            pod("image-registry-a", true, 0, None),
        ]),
        routes: Part::Found(vec![
            route(
                "default-route",
                "image-registry",
                "default-route-openshift-image-registry.apps.demo",
            ),
            route("unrelated", "something-else", "x.apps.demo"),
        ]),
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.storage.kinds, ["PersistentVolumeClaim"]);
    assert_eq!(
        overview.storage.location.as_deref(),
        Some("PVC openshift-image-registry/image-registry-storage")
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
            .any(|g| g.title == "The registry is starting")
    );
}

#[test]
fn degraded_reasons_are_explained_once_each() {
    let snapshot = Snapshot {
        config: Part::Found(config_with(
            ManagementState::Managed,
            pvc_storage("claim"),
            -1,
        )),
        operator: Part::Found(operator(&[
            ("Available", "False", "VerificationFailed"),
            ("Degraded", "True", "VerificationFailed"),
        ])),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let degraded: Vec<_> = overview
        .guidance
        .iter()
        .filter(|g| g.title.contains("Degraded"))
        .collect();
    assert_eq!(degraded.len(), 1);
    assert!(degraded[0].title.ends_with("VerificationFailed"));
    assert!(degraded[0].body.contains("The operator says"));
    assert!(overview.operator_conditions[0].is_problem());
    assert!(
        !overview
            .guidance
            .iter()
            .any(|g| g.title == "The registry is starting")
    );
}

#[test]
fn managed_without_storage_is_explained_once_not_again_as_degraded() {
    let snapshot = Snapshot {
        config: Part::Found(config_with(ManagementState::Managed, Default::default(), 1)),
        operator: Part::Found(operator(&[
            ("Available", "False", "StorageNotConfigured"),
            ("Degraded", "True", "StorageNotConfigured"),
        ])),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    let titles: Vec<_> = overview.guidance.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(titles, ["The registry is Managed but has no storage"]);
    assert_eq!(overview.guidance[0].severity, Severity::Error);
}

#[test]
fn empty_dir_with_several_replicas_is_an_error() {
    let snapshot = Snapshot {
        config: Part::Found(config_with(
            ManagementState::Managed,
            empty_dir_storage(),
            2,
        )),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.guidance[0].severity, Severity::Error);
    assert!(
        overview.guidance[0]
            .title
            .contains("emptyDir storage with 2 replicas")
    );
    assert!(
        overview
            .guidance
            .iter()
            .any(|g| g.title.contains("loses every image"))
    );
}

#[test]
fn several_storage_types_are_an_error() {
    let mut storage = pvc_storage("claim");
    storage.empty_dir = empty_dir_storage().empty_dir;
    let snapshot = Snapshot {
        config: Part::Found(config_with(ManagementState::Managed, storage, 1)),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert_eq!(overview.storage.kinds.len(), 2);
    assert!(overview.storage.location.is_none());
    assert!(
        overview
            .guidance
            .iter()
            .any(|g| g.title == "More than one storage type is configured")
    );
}

#[test]
fn unmanaged_is_explained() {
    let snapshot = Snapshot {
        config: Part::Found(config_with(ManagementState::Unmanaged, pvc_storage("c"), 1)),
        ..fresh_install()
    };
    let overview = assemble(&snapshot, now());
    assert!(
        overview
            .guidance
            .iter()
            .any(|g| g.title.contains("not managing"))
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
    assert!(overview.unreadable[0].starts_with("the registry pods: pods is forbidden"));
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
        overview.guidance[0].title,
        "The registry configuration is missing"
    );
}
