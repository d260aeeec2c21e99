//! The real registry behind the demo: Debian's docker-registry runs as the registry's pod;
//! images are pushed and pulled through the demo router with the demo users' tokens, as
//! podman would; the API's RBAC decides; `spec.readOnly` reaches the process; the process's
//! metrics are read through `pods/NAME:5001/proxy`, as the console reads them.
//!
//! Without `docker-registry` the tests say SKIPPED, and fail under `REGISTRY_REQUIRED=1`
//! (which the test command sets).

mod common;

use common::{TestCluster, eventually, patch_config};
use demo_cluster::DemoUser;
use demo_cluster::registry::traffic;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, LogParams};
use oci_client::Reference;
use oci_client::manifest::IMAGE_LAYER_MEDIA_TYPE;
use oci_client::secrets::RegistryAuth;
use serde_json::json;

const NS: &str = "openshift-image-registry";

fn installed() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("docker-registry").is_file()));
    if !found {
        assert!(
            std::env::var("REGISTRY_REQUIRED").is_err(),
            "REGISTRY_REQUIRED is set and docker-registry is not installed (apt-get install docker-registry)"
        );
        eprintln!("SKIPPED: docker-registry is not installed (apt-get install docker-registry)");
    }
    found
}

/// The registry Managed on emptyDir with its default route; returns once a pod is ready.
async fn managed(tc: &TestCluster, extra: serde_json::Value) -> kube::Client {
    let client = tc.admin().await;
    let mut spec = json!({"managementState": "Managed", "replicas": 1, "defaultRoute": true, "storage": {"emptyDir": {}}});
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
        spec.extend(extra.clone());
    }
    patch_config(&client, json!({ "spec": spec })).await;
    ready_pod(&client, "").await;
    client
}

/// The name of a ready registry pod whose log has `log_has` in it.
async fn ready_pod(client: &kube::Client, not: &str) -> String {
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    eventually(30, "a ready registry pod", || async {
        let list = pods
            .list(&ListParams::default().labels("docker-registry=default"))
            .await
            .ok()?;
        list.items
            .iter()
            .find(|p| {
                p.metadata.name.as_deref() != Some(not)
                    && p.metadata.deletion_timestamp.is_none()
                    && p.status
                        .as_ref()
                        .and_then(|s| s.conditions.as_ref())
                        .is_some_and(|cs| {
                            cs.iter().any(|c| c.type_ == "Ready" && c.status == "True")
                        })
            })
            .and_then(|p| p.metadata.name.clone())
    })
    .await
}

fn reference(tc: &TestCluster, path: &str) -> Reference {
    format!("{}/{path}", tc.cluster.registry_addr())
        .parse()
        .unwrap()
}

async fn metrics(client: &kube::Client, pod: &str) -> String {
    let request = http::Request::get(format!(
        "/api/v1/namespaces/{NS}/pods/{pod}:5001/proxy/metrics"
    ))
    .body(Vec::new())
    .unwrap();
    client.request_text(request).await.unwrap()
}

/// The value of one sample line, `name{labels} value`, summed over the lines that have
/// every label given.
fn sample(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| {
            l.starts_with(&format!("{name}{{")) && labels.iter().all(|want| l.contains(want))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_pushed_through_the_route_is_pulled_back_and_counted() {
    if !installed() {
        return;
    }
    let tc = TestCluster::start(true).await;
    let client = managed(&tc, json!({})).await;
    let pod = ready_pod(&client, "").await;
    let before = metrics(&client, &pod).await;

    let oci = traffic::client(tc.cluster.ca_pem());
    let admin = RegistryAuth::Basic("admin".into(), tc.cluster.token(DemoUser::Admin).into());
    let image = reference(&tc, "default/hello:1");
    let (layers, config) = traffic::image(40 * 1024);
    oci.push(&image, &layers, config, &admin, None)
        .await
        .unwrap();
    let pulled = oci
        .pull(&image, &admin, vec![IMAGE_LAYER_MEDIA_TYPE])
        .await
        .unwrap();
    assert_eq!(
        pulled.layers[0].data, layers[0].data,
        "the same bytes come back"
    );
    let tags = oci.list_tags(&image, &admin, None, None).await.unwrap();
    assert_eq!(tags.tags, ["1"]);

    // The process counted it: uploads answered 201/202, manifests and blobs fetched.
    let after = metrics(&client, &pod).await;
    assert!(
        after.contains("# TYPE registry_http_requests_total counter"),
        "{after}"
    );
    let uploads = |t: &str| {
        sample(
            t,
            "registry_http_requests_total",
            &["handler=\"blob_upload\""],
        )
    };
    assert!(uploads(&after) > uploads(&before), "uploads counted");
    let manifests = |t: &str| {
        sample(
            t,
            "registry_http_requests_total",
            &["handler=\"manifest\"", "method=\"get\""],
        )
    };
    assert!(manifests(&after) >= 1.0, "the pull counted: {after}");

    // The pod's log is the process's own output.
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    let log = pods.logs(&pod, &LogParams::default()).await.unwrap();
    assert!(log.contains("listening on 127.0.0.1:"), "{log}");
    assert!(
        log.contains("\"PUT /v2/default/hello/manifests/1 HTTP/1.1\" 201"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_apis_rbac_decides_who_pushes_and_pulls() {
    if !installed() {
        return;
    }
    let tc = TestCluster::start(true).await;
    managed(&tc, json!({})).await;
    let oci = traffic::client(tc.cluster.ca_pem());
    let viewer = RegistryAuth::Basic("viewer".into(), tc.cluster.token(DemoUser::Viewer).into());
    let (layers, config) = traffic::image(1024);
    let refused = oci
        .push(
            &reference(&tc, "default/app:1"),
            &layers,
            config.clone(),
            &viewer,
            None,
        )
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        refused.contains("viewer may not push to project default"),
        "{refused}"
    );
    let nobody = RegistryAuth::Basic("x".into(), "not-a-token".into());
    // A client of its own: oci-client keeps the first credentials it gets per registry.
    let refused = traffic::client(tc.cluster.ca_pem())
        .push(
            &reference(&tc, "default/app:1"),
            &layers,
            config.clone(),
            &nobody,
            None,
        )
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(refused.contains("authentication required"), "{refused}");

    // `oc policy add-role-to-user system:image-builder viewer -n default`, then viewer pushes.
    let bindings: Api<k8s_openapi::api::rbac::v1::RoleBinding> =
        Api::namespaced(tc.admin().await, "default");
    bindings
        .create(
            &Default::default(),
            &serde_json::from_value(json!({
                "metadata": { "name": "system:image-builder" },
                "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:image-builder" },
                "subjects": [{ "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer" }]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    oci.push(
        &reference(&tc, "default/app:1"),
        &layers,
        config,
        &viewer,
        None,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_mode_refuses_pushes_and_keeps_pulls() {
    if !installed() {
        return;
    }
    let tc = TestCluster::start(true).await;
    let client = managed(&tc, json!({})).await;
    let oci = traffic::client(tc.cluster.ca_pem());
    let admin = RegistryAuth::Basic("admin".into(), tc.cluster.token(DemoUser::Admin).into());
    let (layers, config) = traffic::image(2048);
    let old = ready_pod(&client, "").await;
    patch_config(&client, json!({"spec": {"readOnly": true}})).await;
    // The new pod (its environment changed) replaces the old one.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    eventually(30, "the read-only pod serving alone", || async {
        let d = deployments.get("image-registry").await.ok()?;
        let env = serde_json::to_string(&d.spec.template.spec?.containers[0].env).ok()?;
        let status = d.status?;
        (env.contains("REGISTRY_STORAGE_MAINTENANCE_READONLY")
            && status.ready_replicas == Some(1)
            && status.replicas == Some(1))
        .then_some(())
    })
    .await;
    let pod = ready_pod(&client, &old).await;
    let refused = oci
        .push(
            &reference(&tc, "default/frozen:1"),
            &layers,
            config,
            &admin,
            None,
        )
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        refused.contains("405")
            || refused.to_lowercase().contains("read-only")
            || refused.contains("UNSUPPORTED"),
        "{refused}"
    );
    let log = Api::<Pod>::namespaced(client.clone(), NS)
        .logs(&pod, &LogParams::default())
        .await
        .unwrap();
    assert!(!log.is_empty());
}
