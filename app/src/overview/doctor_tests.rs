//! The doctor on the embedded demo cluster: bad configurations made with `kubectl patch`
//! show on the overview with their fixes, go away once fixed, follow the live stream, and
//! a user who may not read secrets is not told credentials are missing.

use std::time::Duration;

use crate::overview::view::{Diagnosis, Overview};
use demo_cluster::DemoUser;
use futures::{Stream, StreamExt};
use serde_json::json;

use crate::cluster::test_cluster::TestCluster;
use crate::overview::feed::{LiveEvent, overview_events};

async fn overview(demo: &TestCluster, user: DemoUser) -> Overview {
    crate::overview::read::overview(&demo.signed_in(user, false).await)
        .await
        .expect("the overview reads")
        .overview
}

fn problem<'a>(overview: &'a Overview, source: &str) -> Option<&'a Diagnosis> {
    overview.doctor.problems.iter().find(|p| p.source == source)
}

fn block_claim(modes: &[&str]) -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": { "name": "block", "namespace": "openshift-image-registry" },
        "spec": { "accessModes": modes, "resources": { "requests": { "storage": "100Gi" } } }
    })
}

fn credentials_secret() -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": { "name": "image-registry-private-configuration-user", "namespace": "openshift-image-registry" },
        "type": "Opaque",
        "stringData": { "REGISTRY_STORAGE_S3_ACCESSKEY": "AKIADEMO", "REGISTRY_STORAGE_S3_SECRETKEY": "doctor-Secret-Value-3x9" }
    })
}

/// A user secret with only the access key: it replaces the cluster's credentials as a
/// whole, so the secret key is missing.
fn half_credentials_secret() -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": { "name": "image-registry-private-configuration-user", "namespace": "openshift-image-registry" },
        "type": "Opaque",
        "stringData": { "REGISTRY_STORAGE_S3_ACCESSKEY": "AKIADEMO" }
    })
}

fn s3_managed() -> serde_json::Value {
    json!({ "spec": {
        "managementState": "Managed",
        "replicas": 1,
        "storage": { "emptyDir": null, "pvc": null, "s3": { "bucket": "registry-images", "region": "us-east-1" } }
    } })
}

#[tokio::test]
async fn empty_dir_with_two_replicas_is_listed_with_its_fix_until_fixed() {
    let demo = TestCluster::start().await;
    demo.patch_config(json!({ "spec": {
        "managementState": "Managed", "replicas": 2, "storage": { "emptyDir": {} }
    } }))
    .await;
    let shown = overview(&demo, DemoUser::Admin).await;
    let replicas = problem(&shown, "spec.replicas").expect("emptyDir with 2 replicas");
    assert!(
        replicas.problem.english().contains("emptyDir"),
        "{}",
        replicas.problem
    );
    assert!(
        replicas.fix.english().contains("replicas"),
        "{}",
        replicas.fix
    );
    assert_eq!(
        replicas.link.as_ref().unwrap().href,
        "/config#spec.replicas"
    );

    demo.patch_config(json!({ "spec": { "replicas": 1 } }))
        .await;
    let shown = overview(&demo, DemoUser::Admin).await;
    assert!(
        problem(&shown, "spec.replicas").is_none(),
        "{:?}",
        shown.doctor
    );
}

#[tokio::test]
async fn a_read_write_once_claim_with_rolling_update_is_listed_until_recreate() {
    let demo = TestCluster::start().await;
    demo.apply(block_claim(&["ReadWriteOnce"])).await;
    demo.patch_config(json!({ "spec": {
        "managementState": "Managed", "replicas": 1, "rolloutStrategy": "RollingUpdate",
        "storage": { "pvc": { "claim": "block" } }
    } }))
    .await;
    let shown = overview(&demo, DemoUser::Admin).await;
    let rollout = problem(&shown, "spec.rolloutStrategy").expect("RWO with RollingUpdate");
    assert!(
        rollout.problem.english().contains("ReadWriteOnce"),
        "{}",
        rollout.problem
    );
    assert!(!rollout.fix.english().is_empty());

    demo.patch_config(json!({ "spec": { "rolloutStrategy": "Recreate" } }))
        .await;
    let shown = overview(&demo, DemoUser::Admin).await;
    assert!(problem(&shown, "spec.rolloutStrategy").is_none());
    assert!(problem(&shown, "spec.storage.pvc.claim").is_none());
}

#[tokio::test]
async fn s3_without_the_secret_is_listed_for_the_admin_and_not_judged_for_a_viewer() {
    let demo = TestCluster::start().await;
    // Bare metal, no user secret: nothing of the cluster's to fall back on either.
    demo.patch_config(s3_managed()).await;
    let admin = overview(&demo, DemoUser::Admin).await;
    let none = problem(&admin, "credentials").expect("no credentials at all");
    assert!(
        none.problem
            .english()
            .contains("installer-cloud-credentials"),
        "{}",
        none.problem
    );
    // A user secret replaces the cluster's credentials as a whole: half of it is missing.
    demo.apply(half_credentials_secret()).await;

    let admin = overview(&demo, DemoUser::Admin).await;
    let credentials = problem(&admin, "credentials").expect("missing credentials");
    assert!(
        credentials
            .problem
            .english()
            .contains("REGISTRY_STORAGE_S3_SECRETKEY"),
        "{}",
        credentials.problem
    );
    assert!(
        credentials.fix.english().contains("credentials"),
        "{}",
        credentials.fix
    );

    let viewer = overview(&demo, DemoUser::Viewer).await;
    assert!(
        problem(&viewer, "credentials").is_none(),
        "a viewer cannot read secrets, so cannot know they are missing"
    );
    assert!(
        viewer
            .doctor
            .not_judged
            .iter()
            .any(|n| n.english().contains("credentials were not checked")),
        "{:?}",
        viewer.doctor
    );

    demo.apply(credentials_secret()).await;
    let admin = overview(&demo, DemoUser::Admin).await;
    assert!(
        problem(&admin, "credentials").is_none(),
        "{:?}",
        admin.doctor
    );
    let serialized = serde_json::to_string(&admin).unwrap();
    assert!(
        !serialized.contains("doctor-Secret-Value-3x9") && !serialized.contains("AKIADEMO"),
        "no value reaches the page"
    );
}

/// Waits for an overview from the live stream that passes `check`.
async fn live_until(
    events: &mut (impl Stream<Item = LiveEvent> + Unpin),
    what: &str,
    check: impl Fn(&Overview) -> bool,
) -> Overview {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match events.next().await.expect("the stream stays open") {
                LiveEvent::Overview(overview) if check(&overview) => return *overview,
                _ => {}
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the live stream never showed {what}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_doctor_follows_the_config_the_secret_and_the_claims() {
    let demo = TestCluster::start().await;
    // One console for both users: the viewer reads the shared watches the admin's page
    // filled, through the gate.
    let console = demo.console(false).await;
    let stream_for = |user| {
        Box::pin(overview_events(
            console.clone(),
            demo.session(user),
            futures::future::pending(),
        ))
    };
    let mut events = stream_for(DemoUser::Admin);
    let mut viewer_events = stream_for(DemoUser::Viewer);
    live_until(&mut events, "the seeded state", |o| {
        o.management_state == Some(registry_model::registry_config::ManagementState::Removed)
    })
    .await;

    demo.apply(half_credentials_secret()).await;
    demo.patch_config(s3_managed()).await;
    live_until(&mut events, "missing credentials", |o| {
        problem(o, "credentials").is_some()
    })
    .await;
    let viewer = live_until(&mut viewer_events, "S3 for the viewer", |o| {
        o.storage.kinds == ["Amazon S3"]
    })
    .await;
    assert!(problem(&viewer, "credentials").is_none());
    assert_eq!(viewer.doctor.not_judged.len(), 1, "{:?}", viewer.doctor);
    demo.apply(credentials_secret()).await;
    live_until(&mut events, "the credentials problem gone", |o| {
        o.storage.kinds == ["Amazon S3"] && problem(o, "credentials").is_none()
    })
    .await;

    demo.patch_config(json!({ "spec": {
        "storage": { "s3": null, "pvc": { "claim": "block" } }
    } }))
    .await;
    let missing = live_until(&mut events, "the missing claim", |o| {
        problem(o, "spec.storage.pvc.claim").is_some()
    })
    .await;
    assert!(
        problem(&missing, "spec.storage.pvc.claim")
            .unwrap()
            .problem
            .english()
            .contains("does not exist")
    );
    demo.apply(block_claim(&["ReadWriteMany"])).await;
    live_until(&mut events, "the claim found", |o| {
        o.storage.kinds == ["PersistentVolumeClaim"]
            && problem(o, "spec.storage.pvc.claim").is_none()
    })
    .await;
}
