//! The simulated operator's reactions to configuration changes, observed through the API.

mod common;

use common::{TestCluster, eventually};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret, Service};
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use registry_model::{ClusterOperator, Config, Image, Route};
use serde_json::{Value, json};

const NS: &str = "openshift-image-registry";

async fn patch_config(client: &kube::Client, patch: Value) {
    let configs: Api<Config> = Api::all(client.clone());
    configs
        .patch("cluster", &PatchParams::default(), &Patch::Merge(patch))
        .await
        .unwrap();
}

/// `(status, reason, message)` of a config condition once it matches `want`.
async fn wait_condition(client: &kube::Client, type_: &str, want: &str, reason: &str) -> String {
    let configs: Api<Config> = Api::all(client.clone());
    eventually(10, &format!("{type_}={want} {reason}"), || {
        let configs = configs.clone();
        async move {
            let c = configs.get("cluster").await.ok()?;
            let cond = c
                .status?
                .conditions
                .into_iter()
                .find(|c| c.type_ == type_)?;
            let status = format!("{:?}", cond.status);
            (status == want && cond.reason.as_deref() == Some(reason))
                .then(|| cond.message.unwrap_or_default())
        }
    })
    .await
}

async fn cluster_operator(client: &kube::Client, type_: &str) -> (String, String) {
    let cos: Api<ClusterOperator> = Api::all(client.clone());
    let co = cos.get("image-registry").await.unwrap();
    let c = co
        .status
        .unwrap()
        .conditions
        .into_iter()
        .find(|c| c.type_ == type_)
        .unwrap();
    (c.status, c.reason.unwrap_or_default())
}

#[tokio::test]
async fn the_bare_metal_first_run_managed_without_storage_then_pvc_then_removed() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;

    patch_config(&client, json!({"spec": {"managementState": "Managed"}})).await;
    let message = wait_condition(&client, "Degraded", "True", "StorageNotConfigured").await;
    assert_eq!(message, "storage backend not configured");
    eventually(5, "ClusterOperator Degraded", || async {
        (cluster_operator(&client, "Degraded").await.0 == "True").then_some(())
    })
    .await;

    patch_config(
        &client,
        json!({"spec": {"storage": {"pvc": {"claim": ""}}}}),
    )
    .await;
    wait_condition(&client, "Available", "True", "Ready").await;
    let configs: Api<Config> = Api::all(client.clone());
    let config = configs.get("cluster").await.unwrap();
    let storage = config.spec.storage.clone().unwrap();
    assert_eq!(
        storage.pvc.unwrap().claim.as_deref(),
        Some("image-registry-storage"),
        "the operator writes the claim name back"
    );
    assert_eq!(config.status.as_ref().unwrap().ready_replicas, Some(1));
    assert_eq!(
        config.status.unwrap().observed_generation,
        config.metadata.generation
    );
    assert!(
        !config.spec.http_secret.unwrap_or_default().is_empty(),
        "the operator generates httpSecret"
    );

    let pvc = Api::<PersistentVolumeClaim>::namespaced(client.clone(), NS)
        .get("image-registry-storage")
        .await
        .unwrap();
    assert_eq!(pvc.spec.unwrap().access_modes.unwrap(), ["ReadWriteMany"]);
    let pods = Api::<Pod>::namespaced(client.clone(), NS)
        .list(&ListParams::default().labels("docker-registry=default"))
        .await
        .unwrap();
    assert_eq!(pods.items.len(), 1);
    let log = Api::<Pod>::namespaced(client.clone(), NS)
        .logs(
            &pods.items[0].metadata.name.clone().unwrap(),
            &Default::default(),
        )
        .await
        .unwrap();
    assert!(log.contains("listening on :5000"), "{log}");
    let svc = Api::<Service>::namespaced(client.clone(), NS)
        .get("image-registry")
        .await
        .unwrap();
    assert_eq!(svc.spec.unwrap().ports.unwrap()[0].port, 5000);
    let images: Api<Image> = Api::all(client.clone());
    let hostname = images
        .get("cluster")
        .await
        .unwrap()
        .status
        .unwrap()
        .internal_registry_hostname;
    assert_eq!(
        hostname.as_deref(),
        Some("image-registry.openshift-image-registry.svc:5000")
    );
    eventually(5, "ClusterOperator Available/Ready", || async {
        (cluster_operator(&client, "Available").await == ("True".into(), "Ready".into()))
            .then_some(())
    })
    .await;

    patch_config(&client, json!({"spec": {"managementState": "Removed"}})).await;
    wait_condition(&client, "Removed", "True", "Removed").await;
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    eventually(5, "the deployment to be deleted", || async {
        deployments
            .get_opt("image-registry")
            .await
            .unwrap()
            .is_none()
            .then_some(())
    })
    .await;
    assert!(
        Api::<Service>::namespaced(client.clone(), NS)
            .get_opt("image-registry")
            .await
            .unwrap()
            .is_none()
    );
    let pvcs: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    assert!(
        pvcs.get_opt("image-registry-storage")
            .await
            .unwrap()
            .is_none(),
        "Removed deletes storage the operator manages"
    );
    let hostname = images
        .get("cluster")
        .await
        .unwrap()
        .status
        .unwrap()
        .internal_registry_hostname;
    assert_eq!(hostname.as_deref(), Some(""));
}

#[tokio::test]
async fn empty_dir_with_two_replicas_is_degraded() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    patch_config(
        &client,
        json!({"spec": {"managementState": "Managed", "replicas": 2, "storage": {"emptyDir": {}}}}),
    )
    .await;
    let message = wait_condition(&client, "Degraded", "True", "VerificationFailed").await;
    assert!(message.contains("emptyDir"), "{message}");
    patch_config(&client, json!({"spec": {"replicas": 1}})).await;
    wait_condition(&client, "Available", "True", "Ready").await;
    wait_condition(&client, "Degraded", "False", "").await;
}

#[tokio::test]
async fn a_read_write_once_claim_with_rolling_update_is_degraded() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    let pvcs: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), NS);
    let claim = json!({"metadata": {"name": "block"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100Gi"}}}});
    pvcs.create(
        &PostParams::default(),
        &serde_json::from_value(claim).unwrap(),
    )
    .await
    .unwrap();
    patch_config(&client, json!({"spec": {"managementState": "Managed", "rolloutStrategy": "RollingUpdate", "storage": {"pvc": {"claim": "block"}}}})).await;
    let message = wait_condition(&client, "Degraded", "True", "VerificationFailed").await;
    assert!(message.contains("ReadWriteOnce"), "{message}");
    patch_config(&client, json!({"spec": {"rolloutStrategy": "Recreate"}})).await;
    wait_condition(&client, "Degraded", "False", "").await;
    let configs: Api<Config> = Api::all(client.clone());
    let storage = configs.get("cluster").await.unwrap().spec.storage.unwrap();
    assert_eq!(
        storage.management_state.map(|m| m.as_str()),
        Some("Unmanaged"),
        "a claim the admin made is not the operator's to delete"
    );
}

#[tokio::test]
async fn s3_needs_the_credentials_secret_with_the_exact_keys() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    patch_config(&client, json!({"spec": {"managementState": "Managed", "storage": {"s3": {"bucket": "registry", "region": "us-east-1"}}}})).await;
    let message = wait_condition(&client, "Degraded", "True", "Unavailable").await;
    assert!(
        message.contains("image-registry-private-configuration-user"),
        "{message}"
    );

    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let partial = json!({"metadata": {"name": "image-registry-private-configuration-user"}, "stringData": {}, "data": {"REGISTRY_STORAGE_S3_ACCESSKEY": "QUtJQQ=="}});
    secrets
        .create(
            &PostParams::default(),
            &serde_json::from_value(partial).unwrap(),
        )
        .await
        .unwrap();
    let message = eventually(10, "a message naming the missing key", || {
        let client = client.clone();
        async move {
            let c = Api::<Config>::all(client).get("cluster").await.ok()?;
            let m = c
                .status?
                .conditions
                .into_iter()
                .find(|c| c.type_ == "Degraded")?
                .message?;
            m.contains("REGISTRY_STORAGE_S3_SECRETKEY").then_some(m)
        }
    })
    .await;
    assert!(
        !message.contains("REGISTRY_STORAGE_S3_ACCESSKEY"),
        "{message}"
    );

    secrets
        .patch(
            "image-registry-private-configuration-user",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"REGISTRY_STORAGE_S3_SECRETKEY": "c2VjcmV0"}})),
        )
        .await
        .unwrap();
    wait_condition(&client, "Available", "True", "Ready").await;
}

#[tokio::test]
async fn the_default_route_is_created_admitted_and_published() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    patch_config(&client, json!({"spec": {"managementState": "Managed", "defaultRoute": true, "storage": {"emptyDir": {}}}})).await;
    wait_condition(&client, "Available", "True", "Ready").await;
    let images: Api<Image> = Api::all(client.clone());
    let hosts = eventually(10, "externalRegistryHostnames", || {
        let images = images.clone();
        async move {
            images
                .get("cluster")
                .await
                .ok()?
                .status?
                .external_registry_hostnames
                .filter(|h| !h.is_empty())
        }
    })
    .await;
    assert_eq!(
        hosts,
        ["default-route-openshift-image-registry.apps.demo.example.com"]
    );
    let route = Api::<Route>::namespaced(client.clone(), NS)
        .get("default-route")
        .await
        .unwrap();
    assert_eq!(route.spec.tls.unwrap().termination.as_str(), "reencrypt");
    patch_config(&client, json!({"spec": {"defaultRoute": false}})).await;
    let routes: Api<Route> = Api::namespaced(client.clone(), NS);
    eventually(10, "the default route to go", || async {
        routes
            .get_opt("default-route")
            .await
            .unwrap()
            .is_none()
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_operator_runs_as_a_separate_client_and_bootstraps_what_is_missing() {
    // A cluster without the in-process operator stands in for "any other API server".
    let tc = TestCluster::start(false).await;
    let client = tc.admin().await;
    let cos: Api<ClusterOperator> = Api::all(client.clone());
    cos.delete("image-registry", &Default::default())
        .await
        .unwrap();
    let operator = tokio::spawn(demo_cluster::operator::run(client.clone()));
    eventually(10, "the ClusterOperator to be bootstrapped", || async {
        cos.get_opt("image-registry").await.unwrap()
    })
    .await;
    patch_config(&client, json!({"spec": {"managementState": "Managed"}})).await;
    wait_condition(&client, "Degraded", "True", "StorageNotConfigured").await;
    operator.abort();
}

#[tokio::test]
async fn extra_routes_copy_their_tls_secret_and_reserved_names_are_refused() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let tls = json!({"metadata": {"name": "public-tls"}, "stringData": {"tls.crt": "CERT", "tls.key": "KEY", "tls.cacrt": "CA"}});
    secrets
        .create(
            &PostParams::default(),
            &serde_json::from_value(tls).unwrap(),
        )
        .await
        .unwrap();
    patch_config(
        &client,
        json!({"spec": {"managementState": "Managed", "storage": {"emptyDir": {}},
            "routes": [{"name": "public", "hostname": "registry.example.com", "secretName": "public-tls"}]}}),
    )
    .await;
    wait_condition(&client, "Available", "True", "Ready").await;
    let routes: Api<Route> = Api::namespaced(client.clone(), NS);
    let route = eventually(10, "route public", || async {
        routes.get_opt("public").await.unwrap()
    })
    .await;
    assert_eq!(route.spec.host.as_deref(), Some("registry.example.com"));
    let tls = route.spec.tls.unwrap();
    assert_eq!(
        (
            tls.certificate.as_deref(),
            tls.key.as_deref(),
            tls.ca_certificate.as_deref()
        ),
        (Some("CERT"), Some("KEY"), Some("CA"))
    );

    patch_config(
        &client,
        json!({"spec": {"routes": [{"name": "default-route"}]}}),
    )
    .await;
    let message = wait_condition(&client, "Degraded", "True", "VerificationFailed").await;
    assert!(message.contains("default-route"), "{message}");
}
