//! The overview read from the shared watches, against the demo cluster.

use demo_cluster::DemoUser;
use serde_json::json;

use super::*;
use crate::cluster::test_cluster::TestCluster;
use crate::console::SignedIn;
use crate::overview::feed::{LiveEvent, overview_events};
use futures::StreamExt;

fn s3_with_half_the_keys() -> [serde_json::Value; 2] {
    [
        json!({ "spec": {
            "managementState": "Managed",
            "storage": { "s3": { "bucket": "registry-images", "region": "us-east-1" } }
        } }),
        json!({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": { "name": "image-registry-private-configuration-user", "namespace": "openshift-image-registry" },
            "stringData": { "REGISTRY_STORAGE_S3_ACCESSKEY": "AKIADEMO" }
        }),
    ]
}

/// Waits (up to 10 s) until the hub's snapshot for `user` equals their own reads.
async fn same_as_own_reads(user: &SignedIn) -> snapshot::Snapshot {
    let mut last = None;
    for _ in 0..100 {
        let shared = from_hub(user)
            .await
            .unwrap()
            .expect("the shared watches are complete");
        let own = snapshot::fetch(&user.client).await.unwrap();
        if shared == own {
            return shared;
        }
        last = Some((shared, own));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (shared, own) = last.unwrap();
    assert_eq!(
        shared,
        own,
        "the shared watches never showed {}'s own reads",
        user.name()
    );
    unreachable!()
}

/// The API server's request count once it has not moved for 300 ms (up to 10 s).
async fn settled_requests(activity: &demo_cluster::Activity) -> usize {
    let mut last = activity.requests();
    for _ in 0..33 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = activity.requests();
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the API server kept answering requests for 10 s after the first render")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_render_asks_the_api_server_nothing_and_shows_each_user_what_they_may_read() {
    let demo = TestCluster::start_quiet().await;
    let [config, secret] = s3_with_half_the_keys();
    demo.patch_config(config).await;
    demo.apply(secret).await;
    let console = demo.console(false).await;
    let admin = SignedIn::new(console.clone(), demo.session(DemoUser::Admin)).unwrap();
    let viewer = SignedIn::new(console.clone(), demo.session(DemoUser::Viewer)).unwrap();

    // The first render starts the shared watches and asks the access reviews. Each watch
    // lists first and opens its stream afterwards, in the background: count once they
    // have all settled.
    overview(&admin).await.unwrap();
    let requests = settled_requests(demo.cluster.activity()).await;
    let warm = from_hub(&admin)
        .await
        .unwrap()
        .expect("the shared watches are complete");
    let data = overview(&admin).await.unwrap();
    assert_eq!(
        demo.cluster.activity().requests(),
        requests,
        "a warm render reads memory only"
    );
    assert!(data.viewer.can_edit);
    assert!(matches!(warm.credentials, snapshot::Part::Found(_)));
    // What the hub holds is what the admin's own reads return (once the last event of the
    // test's own writes has arrived).
    same_as_own_reads(&admin).await;

    // The viewer reads the same watches through the gate: exactly what their own token
    // could read, the secret's part refused with the API server's words.
    let viewers = same_as_own_reads(&viewer).await;
    assert!(
        matches!(&viewers.credentials, snapshot::Part::Forbidden(m) if m.contains("User \"viewer\" cannot get resource \"secrets\"")),
        "{:?}",
        viewers.credentials
    );
    assert!(!overview(&viewer).await.unwrap().viewer.can_edit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_the_console_may_not_read_a_resource_each_page_watches_it_as_its_user() {
    let demo = TestCluster::start().await;
    let [config, secret] = s3_with_half_the_keys();
    demo.patch_config(config).await;
    demo.apply(secret).await;
    // The console's own identity may not read secrets: the admin's page watches those
    // itself, with the admin's token, and still judges the keys.
    let console = demo.console_as(DemoUser::Viewer, false).await;
    let mut events = Box::pin(overview_events(
        console.clone(),
        demo.session(DemoUser::Admin),
        futures::future::pending(),
    ));
    let first = tokio::time::timeout(std::time::Duration::from_secs(20), events.next())
        .await
        .expect("an overview within 20 s")
        .expect("the stream stays open");
    let LiveEvent::Overview(overview) = first else {
        panic!("{first:?}")
    };
    assert!(
        overview.doctor.not_judged.is_empty(),
        "{:?}",
        overview.doctor
    );
    assert!(
        format!("{:?}", overview.doctor.problems).contains("REGISTRY_STORAGE_S3_SECRETKEY"),
        "{:?}",
        overview.doctor
    );
    // A render falls back to the admin's own reads for the same reason.
    let admin = SignedIn::new(console, demo.session(DemoUser::Admin)).unwrap();
    assert_eq!(from_hub(&admin).await.unwrap(), None);
    let data = super::overview(&admin).await.unwrap();
    assert_eq!(data.overview.doctor, overview.doctor);
}
