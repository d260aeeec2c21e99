//! The demo cluster's API through kube-rs: every verb, preconditions, watches that resume,
//! schema validation, access control and durability across restarts.

mod common;

use std::time::Duration;

use common::{TestCluster, patch_config};
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::Status;
use registry_model::Config;
use serde_json::json;

fn cm(name: &str, labels: serde_json::Value) -> ConfigMap {
    serde_json::from_value(
        json!({ "metadata": { "name": name, "labels": labels }, "data": { "k": "v" } }),
    )
    .unwrap()
}

fn api_error(e: kube::Error) -> Status {
    match e {
        kube::Error::Api(s) => *s,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn crud_with_selectors_and_status_codes() {
    let tc = TestCluster::start(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    let created = cms
        .create(&PostParams::default(), &cm("one", json!({"app": "a"})))
        .await
        .unwrap();
    assert!(created.metadata.uid.is_some() && created.metadata.creation_timestamp.is_some());
    cms.create(&PostParams::default(), &cm("two", json!({"app": "b"})))
        .await
        .unwrap();

    let names = |l: Vec<ConfigMap>| {
        l.into_iter()
            .map(|c| c.metadata.name.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            cms.list(&ListParams::default().labels("app=a"))
                .await
                .unwrap()
                .items
        ),
        ["one"]
    );
    assert_eq!(
        names(
            cms.list(&ListParams::default().labels("app in (a,b)"))
                .await
                .unwrap()
                .items
        ),
        ["one", "two"]
    );
    assert_eq!(
        names(
            cms.list(&ListParams::default().fields("metadata.name=two"))
                .await
                .unwrap()
                .items
        ),
        ["two"]
    );

    let dup = api_error(
        cms.create(&PostParams::default(), &cm("one", json!({})))
            .await
            .unwrap_err(),
    );
    assert_eq!((dup.code, dup.reason.as_str()), (409, "AlreadyExists"));
    let missing = api_error(cms.get("nope").await.unwrap_err());
    assert_eq!((missing.code, missing.reason.as_str()), (404, "NotFound"));
    assert_eq!(missing.message, "configmaps \"nope\" not found");

    let merged = cms
        .patch(
            "one",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"k": null, "x": "y"}})),
        )
        .await
        .unwrap();
    assert_eq!(
        merged.data.unwrap().into_iter().collect::<Vec<_>>(),
        [("x".to_string(), "y".to_string())]
    );
    let jp: json_patch::Patch =
        serde_json::from_value(json!([{"op": "add", "path": "/data/z", "value": "1"}])).unwrap();
    let patched = cms
        .patch("one", &PatchParams::default(), &Patch::<()>::Json(jp))
        .await
        .unwrap();
    assert_eq!(patched.data.unwrap()["z"], "1");

    cms.delete("one", &DeleteParams::default()).await.unwrap();
    assert_eq!(api_error(cms.get("one").await.unwrap_err()).code, 404);
}

#[tokio::test]
async fn a_stale_resource_version_is_a_conflict_and_changes_nothing() {
    let tc = TestCluster::start(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    let first = cms
        .create(&PostParams::default(), &cm("c", json!({})))
        .await
        .unwrap();
    let mut newer = first.clone();
    newer.data = Some([("k".to_string(), "newer".to_string())].into());
    cms.replace("c", &PostParams::default(), &newer)
        .await
        .unwrap();

    let mut stale = first.clone();
    stale.data = Some([("k".to_string(), "stale".to_string())].into());
    let err = api_error(
        cms.replace("c", &PostParams::default(), &stale)
            .await
            .unwrap_err(),
    );
    assert_eq!((err.code, err.reason.as_str()), (409, "Conflict"));
    let stale_patch = json!({"metadata": {"resourceVersion": first.metadata.resource_version}, "data": {"k": "stale"}});
    let err = api_error(
        cms.patch("c", &PatchParams::default(), &Patch::Merge(stale_patch))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.code, 409);
    assert_eq!(cms.get("c").await.unwrap().data.unwrap()["k"], "newer");
}

#[tokio::test]
async fn a_watch_resumed_from_a_resource_version_misses_nothing() {
    let tc = TestCluster::start(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    let rv = cms
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    cms.create(&PostParams::default(), &cm("w", json!({})))
        .await
        .unwrap();
    cms.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"k": "2"}})),
    )
    .await
    .unwrap();
    cms.delete("w", &DeleteParams::default()).await.unwrap();

    let stream = cms
        .watch(&WatchParams::default().timeout(5), &rv)
        .await
        .unwrap();
    let events: Vec<String> = stream
        .take(3)
        .map_ok(|e| match e {
            WatchEvent::Added(o) => format!("ADDED {}", o.metadata.name.unwrap()),
            WatchEvent::Modified(o) => format!("MODIFIED {}", o.data.unwrap()["k"]),
            WatchEvent::Deleted(o) => format!("DELETED {}", o.metadata.name.unwrap()),
            other => format!("{other:?}"),
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events, ["ADDED w", "MODIFIED 2", "DELETED w"]);
}

#[tokio::test]
async fn schema_violations_are_422_with_field_paths_and_change_nothing() {
    let tc = TestCluster::start(false).await;
    let configs: Api<Config> = Api::all(tc.admin().await);
    let before = configs.get("cluster").await.unwrap();
    let err = api_error(
        configs
            .patch(
                "cluster",
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"managementState": "Bogus", "logLevel": "Loud"}})),
            )
            .await
            .unwrap_err(),
    );
    assert_eq!((err.code, err.reason.as_str()), (422, "Invalid"));
    assert!(
        err.message.contains("spec.managementState"),
        "{}",
        err.message
    );
    assert!(
        err.message
            .contains("spec.logLevel: Unsupported value: \"Loud\""),
        "{}",
        err.message
    );
    let after = configs.get("cluster").await.unwrap();
    assert_eq!(
        before.metadata.resource_version,
        after.metadata.resource_version
    );

    // A valid config gets schema defaults; generation moves with spec changes only.
    let created: Config = configs
        .create(
            &PostParams::default(),
            &serde_json::from_value(
                json!({"metadata": {"name": "other"}, "spec": {"replicas": 1}}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(created.spec.log_level.map(|l| l.as_str()), Some("Normal"));
    assert_eq!(created.metadata.generation, Some(1));
    let relabeled = configs
        .patch(
            "other",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"a": "b"}}})),
        )
        .await
        .unwrap();
    assert_eq!(relabeled.metadata.generation, Some(1));
    let respec = configs
        .patch(
            "other",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 2}})),
        )
        .await
        .unwrap();
    assert_eq!(respec.metadata.generation, Some(2));
    let status_only = configs
        .patch_status("other", &PatchParams::default(), &Patch::Merge(json!({"status": {"storage": {}, "storageManaged": false, "readyReplicas": 5}, "spec": {"replicas": 9}})))
        .await
        .unwrap();
    assert_eq!(
        (status_only.spec.replicas, status_only.metadata.generation),
        (2, Some(2))
    );
    assert_eq!(status_only.status.unwrap().ready_replicas, Some(5));
}

#[tokio::test]
async fn dry_run_persists_nothing() {
    let tc = TestCluster::start(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    cms.create(
        &PostParams {
            dry_run: true,
            ..Default::default()
        },
        &cm("dry", json!({})),
    )
    .await
    .unwrap();
    assert_eq!(api_error(cms.get("dry").await.unwrap_err()).code, 404);
    let configs: Api<Config> = Api::all(tc.admin().await);
    let p = PatchParams {
        dry_run: true,
        ..Default::default()
    };
    let preview = configs
        .patch(
            "cluster",
            &p,
            &Patch::Merge(json!({"spec": {"managementState": "Managed"}})),
        )
        .await
        .unwrap();
    assert_eq!(
        preview.spec.management_state.map(|m| m.as_str()),
        Some("Managed")
    );
    let stored = configs.get("cluster").await.unwrap();
    assert_eq!(
        stored.spec.management_state.map(|m| m.as_str()),
        Some("Removed")
    );
}

#[tokio::test]
async fn the_viewer_reads_but_cannot_write_or_read_secrets() {
    let tc = TestCluster::start(false).await;
    let viewer = tc.viewer().await;
    let configs: Api<Config> = Api::all(viewer.clone());
    assert_eq!(
        configs
            .get("cluster")
            .await
            .unwrap()
            .metadata
            .name
            .as_deref(),
        Some("cluster")
    );
    let err = api_error(
        configs
            .patch(
                "cluster",
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"replicas": 3}})),
            )
            .await
            .unwrap_err(),
    );
    assert_eq!((err.code, err.reason.as_str()), (403, "Forbidden"));
    assert!(
        err.message
            .contains("User \"viewer\" cannot patch resource \"configs\""),
        "{}",
        err.message
    );
    let secrets: Api<Secret> = Api::namespaced(viewer.clone(), "openshift-image-registry");
    assert_eq!(
        api_error(secrets.list(&ListParams::default()).await.unwrap_err()).code,
        403
    );
    let namespaces: Api<Namespace> = Api::all(viewer.clone());
    assert_eq!(
        api_error(
            namespaces
                .delete("default", &DeleteParams::default())
                .await
                .unwrap_err()
        )
        .code,
        403
    );

    let review = |verb: &str| SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                group: Some("imageregistry.operator.openshift.io".into()),
                resource: Some("configs".into()),
                name: Some("cluster".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let reviews: Api<SelfSubjectAccessReview> = Api::all(viewer);
    let allowed = |r: SelfSubjectAccessReview| r.status.map(|s| s.allowed);
    assert_eq!(
        allowed(
            reviews
                .create(&PostParams::default(), &review("get"))
                .await
                .unwrap()
        ),
        Some(true)
    );
    assert_eq!(
        allowed(
            reviews
                .create(&PostParams::default(), &review("patch"))
                .await
                .unwrap()
        ),
        Some(false)
    );
    let admin_reviews: Api<SelfSubjectAccessReview> = Api::all(tc.admin().await);
    assert_eq!(
        allowed(
            admin_reviews
                .create(&PostParams::default(), &review("patch"))
                .await
                .unwrap()
        ),
        Some(true)
    );
}

#[tokio::test]
async fn a_wrong_token_is_401() {
    let tc = TestCluster::start(false).await;
    let mut config = kube::Config::new(tc.cluster.url().parse().unwrap());
    config.root_cert = Some(vec![pem_to_der(tc.cluster.ca_pem())]);
    config.auth_info.token = Some("not-a-token".to_string().into());
    let client = kube::Client::try_from(config).unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let err = api_error(cms.list(&ListParams::default()).await.unwrap_err());
    assert_eq!((err.code, err.reason.as_str()), (401, "Unauthorized"));
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[tokio::test]
async fn acknowledged_writes_survive_a_restart() {
    let tc = TestCluster::start(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    cms.create(&PostParams::default(), &cm("kept", json!({})))
        .await
        .unwrap();
    patch_config(&tc.admin().await, json!({"spec": {"replicas": 4}})).await;
    let rv = cms.get("kept").await.unwrap().metadata.resource_version;

    let tc = tc.restart(false).await;
    let cms: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    assert_eq!(cms.get("kept").await.unwrap().metadata.resource_version, rv);
    let configs: Api<Config> = Api::all(tc.admin().await);
    assert_eq!(configs.get("cluster").await.unwrap().spec.replicas, 4);
    // The tokens and the CA are kept too, so an old kubeconfig still works.
    tokio::time::timeout(Duration::from_secs(5), cms.list(&ListParams::default()))
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn deleting_a_namespace_deletes_what_is_in_it() {
    let tc = TestCluster::start(false).await;
    let client = tc.admin().await;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    namespaces
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": "scratch"}})).unwrap(),
        )
        .await
        .unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "scratch");
    cms.create(&PostParams::default(), &cm("inside", json!({})))
        .await
        .unwrap();
    namespaces
        .delete("scratch", &DeleteParams::default())
        .await
        .unwrap();
    assert_eq!(api_error(cms.get("inside").await.unwrap_err()).code, 404);
    let err = api_error(
        cms.create(&PostParams::default(), &cm("again", json!({})))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (err.code, err.message.as_str()),
        (404, "namespaces \"scratch\" not found")
    );
}

#[tokio::test]
async fn rules_reviews_tell_the_viewer_what_it_may_do() {
    use k8s_openapi::api::authorization::v1::{SelfSubjectRulesReview, SelfSubjectRulesReviewSpec};
    let tc = TestCluster::start(false).await;
    let reviews: Api<SelfSubjectRulesReview> = Api::all(tc.viewer().await);
    let review = SelfSubjectRulesReview {
        spec: SelfSubjectRulesReviewSpec {
            namespace: Some("openshift-image-registry".into()),
        },
        ..Default::default()
    };
    let status = reviews
        .create(&PostParams::default(), &review)
        .await
        .unwrap()
        .status
        .unwrap();
    let may = |verb: &str, group: &str, resource: &str| {
        status.resource_rules.iter().any(|r| {
            let has = |l: &Option<Vec<String>>, v: &str| {
                l.as_ref()
                    .is_some_and(|l| l.iter().any(|x| x == v || x == "*"))
            };
            r.verbs.iter().any(|v| v == verb || v == "*")
                && has(&r.api_groups, group)
                && has(&r.resources, resource)
        })
    };
    assert!(may("get", "imageregistry.operator.openshift.io", "configs"));
    assert!(may("watch", "", "pods"));
    assert!(!may(
        "patch",
        "imageregistry.operator.openshift.io",
        "configs"
    ));
    assert!(!may("get", "", "secrets"));
}

#[tokio::test]
async fn reset_seeds_a_fresh_cluster_and_keeps_the_tokens() {
    let tc = TestCluster::start(false).await;
    let token = tc.cluster.token(demo_cluster::DemoUser::Admin).to_string();
    patch_config(
        &tc.admin().await,
        json!({"spec": {"managementState": "Managed"}}),
    )
    .await;
    let TestCluster { cluster, dir } = tc;
    cluster.shutdown().await;
    let cluster = demo_cluster::DemoCluster::start(demo_cluster::Options {
        data_dir: dir.path().to_path_buf(),
        listen: ([127, 0, 0, 1], 0).into(),
        reset: true,
        run_operator: false,
        registry_listen: None,
        traffic: None,
    })
    .await
    .unwrap();
    assert_eq!(cluster.token(demo_cluster::DemoUser::Admin), token);
    let configs: Api<Config> = Api::all(cluster.client(demo_cluster::DemoUser::Admin).await);
    let state = configs
        .get("cluster")
        .await
        .unwrap()
        .spec
        .management_state
        .map(|m| m.as_str());
    assert_eq!(state, Some("Removed"));
}

/// As measured: three ConfigMaps created, then one line in the middle of `wal.jsonl`
/// damaged. The restart must refuse, naming the file and line, and keep the file; only an
/// explicit repair cuts it (saving a copy).
#[tokio::test]
async fn a_damaged_log_entry_stops_the_restart_instead_of_losing_later_writes() {
    let tc = TestCluster::start(false).await;
    let maps: Api<ConfigMap> = Api::namespaced(tc.admin().await, "default");
    for name in ["first", "second", "third"] {
        let map: ConfigMap = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
        maps.create(&PostParams::default(), &map).await.unwrap();
    }
    let TestCluster { cluster, dir } = tc;
    cluster.shutdown().await;
    let wal = dir.path().join("wal.jsonl");
    let text = std::fs::read_to_string(&wal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 3, "{text}");
    let damaged_line = lines.len() - 1;
    let mut damaged: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    damaged[damaged_line - 1].insert(0, '#');
    let damaged = damaged.join("\n") + "\n";
    std::fs::write(&wal, &damaged).unwrap();

    let options = || demo_cluster::Options {
        data_dir: dir.path().to_path_buf(),
        listen: ([127, 0, 0, 1], 0).into(),
        reset: false,
        run_operator: false,
        registry_listen: None,
        traffic: None,
    };
    let error = demo_cluster::DemoCluster::start(options())
        .await
        .err()
        .expect("a damaged entry stops the start")
        .to_string();
    assert!(
        error.contains(&format!("line {damaged_line} of")),
        "{error}"
    );
    assert!(error.contains("wal.jsonl"), "{error}");
    assert!(error.contains("--repair"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&wal).unwrap(),
        damaged,
        "kept untouched"
    );

    let repaired = demo_cluster::repair_log(dir.path()).unwrap();
    assert_eq!(repaired.dropped, 2);
    assert_eq!(
        std::fs::read_to_string(&repaired.saved_as).unwrap(),
        damaged
    );
    let cluster = demo_cluster::DemoCluster::start(options()).await.unwrap();
    let maps: Api<ConfigMap> = Api::namespaced(
        cluster.client(demo_cluster::DemoUser::Admin).await,
        "default",
    );
    assert!(maps.get_opt("first").await.unwrap().is_some());
    assert!(maps.get_opt("third").await.unwrap().is_none());
}

#[tokio::test]
async fn self_subject_reviews_name_the_caller() {
    use k8s_openapi::api::authentication::v1::SelfSubjectReview;
    let tc = TestCluster::start(false).await;
    for (client, name) in [(tc.admin().await, "admin"), (tc.viewer().await, "viewer")] {
        let reviews: Api<SelfSubjectReview> = Api::all(client);
        let answer = reviews
            .create(&PostParams::default(), &SelfSubjectReview::default())
            .await
            .unwrap();
        let user = answer.status.unwrap().user_info.unwrap();
        assert_eq!(user.username.as_deref(), Some(name));
        assert!(
            user.groups
                .unwrap()
                .contains(&"system:authenticated".to_string())
        );
    }
}

#[tokio::test]
async fn watches_and_log_follows_are_bounded_per_user_and_freed_when_closed() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::LogParams;
    // Without the simulated operator, whose own watches run as admin.
    let tc = TestCluster::start(false).await;
    tc.cluster.activity().limit_long_running_per_user(3);
    let admin = tc.no_retry(demo_cluster::DemoUser::Admin).await;
    let cms: Api<ConfigMap> = Api::namespaced(admin.clone(), "default");
    let mut open = Vec::new();
    for _ in 0..2 {
        open.push(
            cms.watch(&WatchParams::default(), "0")
                .await
                .unwrap()
                .boxed(),
        );
    }
    // A log follow counts with the watches.
    let pods: Api<Pod> = Api::namespaced(admin.clone(), "default");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": { "name": "p" },
        "spec": { "containers": [{ "name": "c", "image": "quay.io/x/y:1" }] }
    }))
    .unwrap();
    pods.create(&PostParams::default(), &pod).await.unwrap();
    let pod = "p";
    let follow = LogParams {
        follow: true,
        ..LogParams::default()
    };
    let following = pods.log_stream(pod, &follow).await.unwrap();
    let refused = api_error(cms.watch(&WatchParams::default(), "0").await.err().unwrap());
    assert_eq!(
        (refused.code, refused.reason.as_str()),
        (429, "TooManyRequests")
    );
    assert!(
        refused.message.contains("admin holds 3"),
        "{}",
        refused.message
    );
    assert!(api_error(pods.log_stream(pod, &follow).await.err().unwrap()).code == 429);
    // Another user has their own share.
    let viewer = tc.no_retry(demo_cluster::DemoUser::Viewer).await;
    let _viewers = Api::<ConfigMap>::namespaced(viewer, "default")
        .watch(&WatchParams::default(), "0")
        .await
        .expect("the viewer's first watch");
    // Closing one gives its place back.
    drop(following);
    common::eventually(10, "the follow's place back", || {
        let cms = cms.clone();
        async move {
            cms.watch(&WatchParams::default(), "0")
                .await
                .ok()
                .map(|_| ())
        }
    })
    .await;
}
