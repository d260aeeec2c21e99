//! The simulated operator's reactions to configuration changes, observed through the API.

mod common;

use common::{TestCluster, eventually, patch_config};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret, Service};
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use registry_model::{ClusterOperator, Condition, Config, Image, ImagePruner, Route};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const NS: &str = "openshift-image-registry";

/// The objects whose conditions a test waits for.
trait Conditioned:
    kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug
{
    fn conditions(self) -> Option<Vec<Condition>>;
}

impl Conditioned for Config {
    fn conditions(self) -> Option<Vec<Condition>> {
        self.status.map(|s| s.conditions)
    }
}

impl Conditioned for ImagePruner {
    fn conditions(self) -> Option<Vec<Condition>> {
        self.status.map(|s| s.conditions)
    }
}

/// The message of condition `type_` of the singleton `cluster` of kind `K` once it has
/// status `want` and `reason`.
async fn wait_for<K: Conditioned>(
    client: &kube::Client,
    type_: &str,
    want: &str,
    reason: &str,
) -> String {
    let api: Api<K> = Api::all(client.clone());
    eventually(10, &format!("{type_}={want} {reason}"), || {
        let api = api.clone();
        async move {
            let cond = api
                .get("cluster")
                .await
                .ok()?
                .conditions()?
                .into_iter()
                .find(|c| c.type_ == type_)?;
            (format!("{:?}", cond.status) == want && cond.reason.as_deref() == Some(reason))
                .then(|| cond.message.unwrap_or_default())
        }
    })
    .await
}

/// The message of the config's condition `type_` once it has status `want` and `reason`.
async fn wait_condition(client: &kube::Client, type_: &str, want: &str, reason: &str) -> String {
    wait_for::<Config>(client, type_, want, reason).await
}

/// Waits up to `seconds` until `name` no longer exists.
async fn wait_gone<K>(api: &Api<K>, name: &str, seconds: u64, what: &str)
where
    K: Clone + DeserializeOwned + std::fmt::Debug,
{
    eventually(seconds, what, || async {
        api.get_opt(name).await.unwrap().is_none().then_some(())
    })
    .await;
}

/// As if CronJob `image-pruner` had last started a run an hour ago, so the most recent
/// scheduled time is due now.
async fn last_scheduled_an_hour_ago(cron_jobs: &Api<CronJob>) {
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let status = json!({"status": {"lastScheduleTime": an_hour_ago.format("%Y-%m-%dT%H:%M:%SZ").to_string()}});
    cron_jobs
        .patch_status(
            "image-pruner",
            &PatchParams::default(),
            &Patch::Merge(status),
        )
        .await
        .unwrap();
}

/// `images.config/cluster` `status.internalRegistryHostname`.
async fn internal_hostname(images: &Api<Image>) -> Option<String> {
    let image = images.get("cluster").await.unwrap();
    image.status.unwrap().internal_registry_hostname
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
    // The real registry's output when docker-registry is installed, the simulated lines else.
    assert!(log.contains("listening on"), "{log}");
    let svc = Api::<Service>::namespaced(client.clone(), NS)
        .get("image-registry")
        .await
        .unwrap();
    assert_eq!(svc.spec.unwrap().ports.unwrap()[0].port, 5000);
    let images: Api<Image> = Api::all(client.clone());
    let hostname = internal_hostname(&images).await;
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
    wait_gone(
        &deployments,
        "image-registry",
        5,
        "the deployment to be deleted",
    )
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
    let hostname = internal_hostname(&images).await;
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
    wait_gone(&routes, "default-route", 10, "the default route to go").await;
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

// ---- the image pruner ----

async fn patch_pruner(client: &kube::Client, patch: Value) {
    Api::<ImagePruner>::all(client.clone())
        .patch("cluster", &PatchParams::default(), &Patch::Merge(patch))
        .await
        .unwrap();
}

/// The pruner CronJob once `check` holds for it.
async fn wait_cron_job(client: &kube::Client, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    let cron_jobs: Api<CronJob> = Api::namespaced(client.clone(), NS);
    eventually(10, what, || {
        let cron_jobs = cron_jobs.clone();
        let check = &check;
        async move {
            let cj = serde_json::to_value(cron_jobs.get_opt("image-pruner").await.ok()??).ok()?;
            check(&cj).then_some(cj)
        }
    })
    .await
}

fn args(cj: &Value) -> Vec<String> {
    serde_json::from_value(
        cj.pointer("/spec/jobTemplate/spec/template/spec/containers/0/args")
            .cloned()
            .unwrap_or_default(),
    )
    .unwrap_or_default()
}

#[tokio::test]
async fn the_pruner_becomes_a_cron_job_whose_args_follow_the_spec_and_the_registry() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;

    // The seeded registry is Removed: no internal hostname, so API objects only.
    let cj = wait_cron_job(&client, "the pruner CronJob", |_| true).await;
    assert_eq!(
        cj["spec"]["schedule"], "0 0 * * *",
        "an empty schedule is midnight"
    );
    assert_eq!(cj["spec"]["suspend"], false);
    let a = args(&cj);
    assert!(a.contains(&"--prune-registry=false".into()), "{a:?}");
    assert!(a.contains(&"--keep-tag-revisions=3".into()), "{a:?}");
    assert!(a.contains(&"--ignore-invalid-refs=true".into()), "{a:?}");
    wait_for::<ImagePruner>(&client, "Available", "True", "AsExpected").await;
    wait_for::<ImagePruner>(&client, "Degraded", "False", "AsExpected").await;

    patch_pruner(
        &client,
        json!({"spec": {"schedule": "*/30 2 * * *", "suspend": true, "keepTagRevisions": 5,
            "keepYoungerThanDuration": "90m", "successfulJobsHistoryLimit": 1, "logLevel": "Debug"}}),
    )
    .await;
    let cj = wait_cron_job(&client, "the new schedule", |cj| {
        cj["spec"]["schedule"] == "*/30 2 * * *"
    })
    .await;
    assert_eq!(cj["spec"]["suspend"], true);
    assert_eq!(cj["spec"]["successfulJobsHistoryLimit"], 1);
    let a = args(&cj);
    for want in [
        "--keep-tag-revisions=5",
        "--keep-younger-than=1h30m0s",
        "--loglevel=4",
    ] {
        assert!(a.contains(&want.into()), "{want}: {a:?}");
    }
    wait_for::<ImagePruner>(&client, "Scheduled", "False", "Suspended").await;

    // Managed: the Service exists, images.config names it, the pruner prunes blobs too.
    patch_config(
        &client,
        json!({"spec": {"managementState": "Managed", "storage": {"emptyDir": {}}}}),
    )
    .await;
    let cj = wait_cron_job(&client, "--prune-registry=true", |cj| {
        args(cj).contains(&"--prune-registry=true".into())
    })
    .await;
    assert!(
        args(&cj).contains(
            &"--registry-url=https://image-registry.openshift-image-registry.svc:5000".into()
        ),
        "{:?}",
        args(&cj)
    );

    // An invalid schedule passes the pruner's schema; the CronJob refuses it.
    patch_pruner(&client, json!({"spec": {"schedule": "61 * * * *"}})).await;
    let message = wait_for::<ImagePruner>(&client, "Degraded", "True", "SyncError").await;
    assert!(message.contains("spec.schedule"), "{message}");
    // The pruner's conditions are part of the ClusterOperator's, prefixed ImagePruner.
    eventually(5, "ClusterOperator Degraded by the pruner", || async {
        let (status, reason) = cluster_operator(&client, "Degraded").await;
        (status == "True" && reason.split("::").any(|r| r == "ImagePrunerSyncError")).then_some(())
    })
    .await;
    let cj = wait_cron_job(&client, "the CronJob", |_| true).await;
    assert_eq!(
        cj["spec"]["schedule"], "*/30 2 * * *",
        "the CronJob keeps its last valid schedule"
    );
    wait_for::<ImagePruner>(&client, "Available", "True", "AsExpected").await;
    patch_pruner(&client, json!({"spec": {"schedule": "0 1 * * *"}})).await;
    wait_for::<ImagePruner>(&client, "Degraded", "False", "AsExpected").await;
    eventually(
        5,
        "ClusterOperator no longer Degraded by the pruner",
        || async {
            let (_, reason) = cluster_operator(&client, "Degraded").await;
            (!reason.contains("ImagePruner")).then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_from_the_pruner_cron_job_completes_and_history_is_limited() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    patch_pruner(&client, json!({"spec": {"successfulJobsHistoryLimit": 1}})).await;
    wait_cron_job(&client, "history limit 1", |cj| {
        cj["spec"]["successfulJobsHistoryLimit"] == 1
    })
    .await;
    let kubeconfig = tc.cluster.kubeconfig_path();
    // kubectl builds the Job from the CronJob as `oc create job --from` does, and sends it
    // as protobuf.
    let create = |name: &'static str| {
        let kubeconfig = kubeconfig.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("kubectl")
                .arg("--kubeconfig")
                .arg(&kubeconfig)
                .args([
                    "create",
                    "job",
                    name,
                    "--from=cronjob/image-pruner",
                    "-n",
                    NS,
                ])
                .output()
                .unwrap()
        })
    };
    let out = create("image-pruner-manual-1").await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let jobs: Api<Job> = Api::namespaced(client.clone(), NS);
    let job = eventually(10, "the job to complete", || async {
        let job = jobs.get("image-pruner-manual-1").await.ok()?;
        (job.status.as_ref()?.succeeded == Some(1)).then_some(job)
    })
    .await;
    let annotations = job.metadata.annotations.clone().unwrap_or_default();
    assert_eq!(
        annotations
            .get("cronjob.kubernetes.io/instantiate")
            .map(String::as_str),
        Some("manual")
    );
    let status = job.status.unwrap();
    assert!(status.completion_time.is_some() && status.start_time.is_some());
    let pods = Api::<Pod>::namespaced(client.clone(), NS)
        .list(&ListParams::default().labels("job-name=image-pruner-manual-1"))
        .await
        .unwrap();
    assert_eq!(pods.items.len(), 1);
    let pod = &pods.items[0];
    assert_eq!(
        pod.status.as_ref().unwrap().phase.as_deref(),
        Some("Succeeded")
    );
    let log = Api::<Pod>::namespaced(client.clone(), NS)
        .logs(&pod.metadata.name.clone().unwrap(), &Default::default())
        .await
        .unwrap();
    assert!(log.contains("oc adm prune images"), "{log}");
    assert!(log.contains("--prune-registry=false"), "{log}");
    wait_for::<ImagePruner>(&client, "Failed", "False", "Complete").await;
    let table = {
        let kubeconfig = kubeconfig.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("kubectl")
                .arg("--kubeconfig")
                .arg(kubeconfig)
                .args(["get", "cronjobs,jobs", "-n", NS])
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("0 0 * * *")
            && table.contains("image-pruner-manual-1")
            && table.contains("1/1"),
        "{table}"
    );

    let out = create("image-pruner-manual-2").await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eventually(10, "only the newest finished job kept", || async {
        let names: Vec<String> = jobs
            .list(&ListParams::default())
            .await
            .ok()?
            .items
            .into_iter()
            .filter_map(|j| j.metadata.name)
            .collect();
        (names == ["image-pruner-manual-2"]).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cron_job_starts_its_run_at_the_scheduled_time_and_records_it() {
    let tc = TestCluster::start(true).await;
    let client = tc.admin().await;
    patch_pruner(&client, json!({"spec": {"schedule": "*/5 * * * *"}})).await;
    wait_cron_job(&client, "the schedule", |cj| {
        cj["spec"]["schedule"] == "*/5 * * * *"
    })
    .await;
    let cron_jobs: Api<CronJob> = Api::namespaced(client.clone(), NS);
    last_scheduled_an_hour_ago(&cron_jobs).await;
    let jobs: Api<Job> = Api::namespaced(client.clone(), NS);
    let job = eventually(10, "a scheduled job", || async {
        jobs.list(&ListParams::default())
            .await
            .ok()?
            .items
            .into_iter()
            .find(|j| {
                j.metadata.annotations.as_ref().is_some_and(|a| {
                    a.contains_key("batch.kubernetes.io/cronjob-scheduled-timestamp")
                })
            })
    })
    .await;
    let scheduled = chrono::DateTime::parse_from_rfc3339(
        &job.metadata.annotations.as_ref().unwrap()["batch.kubernetes.io/cronjob-scheduled-timestamp"],
    )
    .unwrap();
    assert_eq!(scheduled.timestamp() % 300, 0, "on a five-minute mark");
    assert!(scheduled <= chrono::Utc::now());
    // Named as the real controller names it, owned by the CronJob, from its template.
    assert_eq!(
        job.metadata.name.as_deref(),
        Some(format!("image-pruner-{}", scheduled.timestamp() / 60).as_str())
    );
    let owner = &job.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("CronJob", "image-pruner")
    );
    assert!(
        !job.metadata
            .annotations
            .as_ref()
            .unwrap()
            .contains_key("cronjob.kubernetes.io/instantiate"),
        "a scheduled run, not a manual one"
    );
    let recorded = eventually(10, "lastScheduleTime", || async {
        let cj = cron_jobs.get("image-pruner").await.ok()?;
        let at = cj.status?.last_schedule_time?;
        (at.0.as_second() == scheduled.timestamp()).then_some(())
    })
    .await;
    let () = recorded;
    eventually(10, "the scheduled run to complete", || async {
        let job = jobs.get(job.metadata.name.as_deref().unwrap()).await.ok()?;
        (job.status.as_ref()?.succeeded == Some(1)).then_some(())
    })
    .await;

    // Suspended, nothing more starts even when a time is due.
    patch_pruner(&client, json!({"spec": {"suspend": true}})).await;
    wait_cron_job(&client, "suspended", |cj| cj["spec"]["suspend"] == true).await;
    last_scheduled_an_hour_ago(&cron_jobs).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let scheduled_jobs =
        jobs.list(&ListParams::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .filter(|j| {
                j.metadata.annotations.as_ref().is_some_and(|a| {
                    a.contains_key("batch.kubernetes.io/cronjob-scheduled-timestamp")
                })
            })
            .count();
    assert_eq!(scheduled_jobs, 1, "a suspended CronJob starts nothing");
}
