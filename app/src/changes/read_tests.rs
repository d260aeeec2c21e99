use std::time::Duration;

use demo_cluster::DemoUser;
use k8s_openapi::ByteString;
use kube::api::ObjectMeta;
use serde_json::{Value, json};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;

use super::*;
use crate::changes::record::{Change, Recorder, write_events};
use crate::cluster::precondition::ShownVersion;
use crate::cluster::test_cluster::TestCluster;
use crate::cluster::write::{self, Attempt, Sent};

/// alice's patch of the registry config, in `namespace` (empty: as it is, of the whole cluster).
fn change(namespace: &str) -> Change {
    Change {
        verb: Verb::Patch,
        api_version: "imageregistry.operator.openshift.io/v1".into(),
        kind: "Config".into(),
        namespace: namespace.into(),
        name: "cluster".into(),
        fields: "spec.replicas, spec.storage.s3.bucket".into(),
        user: "alice".into(),
        request_id: "r-1".into(),
    }
}

#[test]
fn the_event_is_the_one_conformance_sends_to_a_real_kube_apiserver() {
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-06T12:00:00Z")
        .unwrap()
        .to_utc();
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../demo-cluster/tests/conformance/console_event.json"
    ))
    .unwrap();
    assert_eq!(serde_json::to_value(change("").event(at)).unwrap(), fixture);
}

#[test]
fn events_go_where_kube_apiserver_wants_them_and_carry_no_value() {
    let now = chrono::Utc::now();
    // An object of the whole cluster: the event in `default`, the reference without one.
    let cluster = change("").event(now);
    assert_eq!(cluster.metadata.namespace.as_deref(), Some("default"));
    assert_eq!(cluster.involved_object.namespace, None);
    assert_eq!(cluster.metadata.generate_name.as_deref(), Some("cluster."));
    assert_eq!(cluster.reason.as_deref(), Some("Changed"));
    assert_eq!(cluster.action.as_deref(), Some("patch"));
    assert_eq!(cluster.reporting_component.as_deref(), Some(COMPONENT));
    let message = cluster.message.unwrap();
    assert!(
        message.contains("alice") && message.contains("spec.replicas"),
        "{message}"
    );
    // A namespaced object: the event beside it.
    let namespaced = change("openshift-image-registry").event(now);
    assert_eq!(
        namespaced.metadata.namespace,
        namespaced.involved_object.namespace
    );
    // What the page reads back is what was recorded.
    let mut event = namespaced;
    event.metadata.creation_timestamp = None;
    let read = change_of(&event).unwrap();
    assert_eq!(read.user, "alice");
    assert_eq!(read.verb, Verb::Patch);
    assert_eq!(read.fields, ["spec.replicas", "spec.storage.s3.bucket"]);
    assert_eq!(read.request_id, "r-1");
    assert_eq!(read.at.unwrap().timestamp(), now.timestamp());
    // Someone else's event about the same object is not the console's change.
    event.reporting_component = Some("kubelet".into());
    event.source = None;
    assert_eq!(change_of(&event), None);
}

/// Runs `write` as the request `request_id` of `user` would, with the recorder listening.
async fn as_request<F: std::future::Future>(user: &str, request_id: &str, write: F) -> F::Output {
    let span = tracing::info_span!("request", request_id, user = tracing::field::Empty);
    span.record("user", user);
    write.instrument(span).await
}

/// The page's changes once `check` holds for them (the Event is written just after the
/// write, by the recorder's task).
async fn changes_when(
    user: &SignedIn,
    subject: Subject,
    check: impl Fn(&RecentChangesView) -> bool,
) -> RecentChangesView {
    for _ in 0..100 {
        let view = read_as(user, subject).await.unwrap();
        if check(&view) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{subject:?}: {:?}", read_as(user, subject).await);
}

#[tokio::test]
async fn each_done_write_is_an_event_the_page_lists_with_who_what_and_which_request() {
    let demo = TestCluster::start_quiet().await;
    let (recorder, changes) = Recorder::new();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.layer()));
    tokio::spawn(write_events(demo.client(DemoUser::Admin).await, changes));
    let admin = demo.signed_in(DemoUser::Admin, false).await;
    let client = admin.client.clone();

    let configs = kube::Api::<registry_model::Config>::all(client.clone());
    let shown = configs.get(SINGLETON).await.unwrap();
    let version = ShownVersion::of(&shown.metadata).unwrap();
    let patch = json!({"spec": {"replicas": 2}});
    as_request("admin", "r-7", async {
        // A preview and a dry run change nothing; the write does; the same version again
        // is a conflict, which changes nothing either.
        write::send(&configs, SINGLETON, &patch, Attempt::Preview)
            .await
            .unwrap();
        write::send(&configs, SINGLETON, &patch, Attempt::DryRun(&version))
            .await
            .unwrap();
        let Sent::Done(_) = write::send(&configs, SINGLETON, &patch, Attempt::Write(&version))
            .await
            .unwrap()
        else {
            panic!("written")
        };
        let Sent::Conflict = write::send(&configs, SINGLETON, &patch, Attempt::Write(&version))
            .await
            .unwrap()
        else {
            panic!("a conflict")
        };
    })
    .await;
    // A Secret with a value that must never show anywhere but in the Secret.
    let secrets = kube::Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some("changes-test".into()),
            ..ObjectMeta::default()
        },
        data: Some([("key".to_owned(), ByteString(b"sentinel-4471".to_vec()))].into()),
        ..Secret::default()
    };
    as_request("admin", "r-8", async {
        let Sent::Done(_) = write::create(&secrets, &secret, false).await.unwrap() else {
            panic!("created")
        };
    })
    .await;

    let view = changes_when(&admin, Subject::Config, |v| v.changes.len() >= 2).await;
    assert!(view.hidden.is_empty(), "{view:?}");
    assert_eq!(view.changes.len(), 2, "{view:?}");
    let made = |verb: Verb| {
        view.changes
            .iter()
            .find(|c| c.verb == verb)
            .unwrap_or_else(|| panic!("no {verb:?}: {view:?}"))
    };
    let patched = made(Verb::Patch);
    assert_eq!(
        (
            patched.user.as_str(),
            patched.kind.as_str(),
            patched.name.as_str()
        ),
        ("admin", "Config", "cluster")
    );
    assert_eq!(patched.namespace, "");
    assert_eq!(patched.fields, ["spec.replicas"]);
    assert_eq!(patched.request_id, "r-7");
    assert!(chrono::Utc::now() - patched.at.unwrap() < chrono::Duration::minutes(1));
    let created = made(Verb::Create);
    assert_eq!(
        (
            created.kind.as_str(),
            created.namespace.as_str(),
            created.name.as_str()
        ),
        ("Secret", REGISTRY_NAMESPACE, "changes-test")
    );
    assert_eq!(created.request_id, "r-8");
    // The pruner's page has its own objects.
    assert_eq!(read_as(&admin, Subject::Pruner).await.unwrap().changes, []);

    // `kubectl`, an independent client, reads the same events where kube puts them, and no
    // value is in any of them.
    let events = demo
        .kubectl(&["get", "events", "-A", "-o", "json"], None)
        .await
        .unwrap();
    assert!(!events.contains("sentinel-4471"));
    assert!(!events.contains(&base64_of("sentinel-4471")));
    let events: Value = serde_json::from_str(&events).unwrap();
    let ours: Vec<(&str, &str)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"]["component"] == COMPONENT)
        .map(|e| {
            (
                e["metadata"]["namespace"].as_str().unwrap(),
                e["involvedObject"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(ours.len(), 2, "{ours:?}");
    assert!(ours.contains(&("default", "Config")), "{ours:?}");
    assert!(ours.contains(&(REGISTRY_NAMESPACE, "Secret")), "{ours:?}");
}

fn base64_of(text: &str) -> String {
    serde_json::to_value(ByteString(text.as_bytes().to_vec()))
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_user_who_may_not_list_events_is_told_where_instead_of_shown_them() {
    let demo = TestCluster::start_quiet().await;
    // The demo's viewer may read events; take that away.
    let mut role: Value = serde_json::from_str(
        &demo
            .kubectl(&["get", "clusterrole", "demo-viewer", "-o", "json"], None)
            .await
            .unwrap(),
    )
    .unwrap();
    for rule in role["rules"].as_array_mut().unwrap() {
        if let Some(resources) = rule["resources"].as_array_mut() {
            resources.retain(|r| r != "events");
        }
    }
    demo.kubectl(&["replace", "-f", "-"], Some(&role.to_string()))
        .await
        .unwrap();
    let viewer = demo.signed_in(DemoUser::Viewer, false).await;
    let view = read_as(&viewer, Subject::Config).await.unwrap();
    assert_eq!(view.changes, []);
    assert_eq!(view.hidden, ["default", REGISTRY_NAMESPACE]);
    // Role bindings live in every project: not being able to list events everywhere says so.
    let view = read_as(&viewer, Subject::Access).await.unwrap();
    assert_eq!(view.hidden, ["", "default"]);
    // The admin still reads them.
    let admin = demo.signed_in(DemoUser::Admin, false).await;
    assert!(
        read_as(&admin, Subject::Config)
            .await
            .unwrap()
            .hidden
            .is_empty()
    );
}

#[test]
fn each_page_lists_the_objects_its_form_writes() {
    let config = queries(Subject::Config);
    assert_eq!(
        config[0].fields(),
        "involvedObject.apiVersion=imageregistry.operator.openshift.io/v1,\
         involvedObject.kind=Config,involvedObject.name=cluster"
    );
    assert_eq!(config[0].namespace, Some("default"));
    assert_eq!(
        config[1].fields(),
        "involvedObject.apiVersion=v1,involvedObject.kind=Secret"
    );
    let access = queries(Subject::Access);
    assert_eq!(access[0].namespace, None);
    assert_eq!(access[0].kind, "RoleBinding");
}
