//! The simulated image-registry operator: a kube-runtime controller that reacts to
//! `configs.imageregistry.operator.openshift.io/cluster` as the real operator does
//! (`registry-api.md` §1, §5): Managed with valid storage creates the registry's
//! Deployment, Service, `node-ca` DaemonSet, storage claim and routes; Removed deletes them; status conditions
//! and the ClusterOperator follow with the real reasons. The image pruner has its own
//! controller ([`crate::image_pruner`]).
//!
//! It talks to the API only through kube-rs, so it runs against the embedded demo cluster
//! and against any other API server with the CRDs installed (`registry-console demo-operator`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, Secret, Service};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Client, ResourceExt};
use rand::Rng;
use registry_model::condition::{self, Condition, ConditionStatus};
use registry_model::names::*;
use registry_model::registry_config::{
    ManagementState, RolloutStrategy, Storage, StorageKind, StorageManagementState,
};
use registry_model::validation::storage::{cluster_credential_keys, credential_keys};

use crate::timestamp::now;
use registry_model::{Config, ImagePruner, Route};
use serde_json::{Value, json};

const FINALIZER: &str = "imageregistry.operator.openshift.io/finalizer";
/// The domain the simulated router gives routes without a host.
pub const APPS_DOMAIN: &str = "apps.demo.example.com";
const IMAGE: &str = "quay.io/openshift/origin-docker-registry:4.4";
const VERSION: &str = "4.4.0";
/// The DaemonSet that puts the registry's CAs on every node.
const NODE_CA: &str = "node-ca";

/// Why a reconcile failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
}

/// A problem with the configuration that stops the registry from being applied.
struct Problem {
    /// Permanent errors make the operator report Degraded at once.
    permanent: bool,
    reason: &'static str,
    message: String,
}

struct Ctx {
    client: Client,
}

/// Installs the CRDs the operator needs (for running against a cluster without them).
pub async fn install_crds(client: Client) -> Result<(), kube::Error> {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    let api: Api<CustomResourceDefinition> = Api::all(client);
    for crd in registry_model::crds::all() {
        let name = crd.name_any();
        api.patch(
            &name,
            &PatchParams::apply("registry-console-demo-operator").force(),
            &Patch::Apply(&crd),
        )
        .await?;
    }
    Ok(())
}

/// Creates what the real operator bootstraps when it is missing (its namespace, the
/// `cluster` config as on bare metal, the pruner, `images.config` and its ClusterOperator),
/// so the operator can be tried on an empty kind or minikube cluster.
pub async fn bootstrap(client: &Client) -> Result<(), kube::Error> {
    use kube::api::DynamicObject;
    use kube::discovery::ApiResource;
    for object in crate::seed::objects() {
        let kind = object["kind"].as_str().unwrap_or_default();
        if !matches!(kind, "Config" | "ImagePruner" | "Image" | "ClusterOperator")
            && object.pointer("/metadata/name") != Some(&json!(REGISTRY_NAMESPACE))
        {
            continue;
        }
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let plural = match kind {
            "Namespace" => "namespaces",
            "Config" => "configs",
            "ImagePruner" => "imagepruners",
            "Image" => "images",
            _ => "clusteroperators",
        };
        let gvk = kube::core::GroupVersionKind::gvk(group, version, kind);
        let api: Api<DynamicObject> = Api::all_with(
            client.clone(),
            &ApiResource::from_gvk_with_plural(&gvk, plural),
        );
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        if api.get_opt(name).await?.is_some() {
            continue;
        }
        let obj: DynamicObject =
            serde_json::from_value(object.clone()).map_err(kube::Error::SerdeError)?;
        api.create(&PostParams::default(), &obj).await?;
        if let Some(status) = object.get("status").filter(|_| kind != "Namespace") {
            api.patch_status(
                name,
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": status })),
            )
            .await?;
        }
    }
    Ok(())
}

/// Runs the operator until the API goes away for good (boxed for the reason
/// [`crate::DemoCluster::start`] gives).
pub fn run(client: Client) -> BoxFuture<'static, Result<(), kube::Error>> {
    Box::pin(run_here(client))
}

async fn run_here(client: Client) -> Result<(), kube::Error> {
    bootstrap(&client).await?;
    let configs: Api<Config> = Api::all(client.clone());
    let ns = REGISTRY_NAMESPACE;
    let wc = watcher::Config::default();
    let registry = Controller::new(
        configs,
        watcher::Config::default().fields(&format!("metadata.name={SINGLETON}")),
    )
    .watches(
        Api::<Deployment>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<Deployment>,
    )
    .watches(
        Api::<PersistentVolumeClaim>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<PersistentVolumeClaim>,
    )
    .watches(
        Api::<Secret>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<Secret>,
    )
    .watches(
        Api::<Route>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<Route>,
    )
    // The certificates controller's inputs: the trusted CAs' reference and ConfigMap, and
    // the ConfigMap it builds.
    .watches(
        Api::<registry_model::Image>::all(client.clone()),
        wc.clone(),
        to_cluster::<registry_model::Image>,
    )
    .watches(
        Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE),
        wc.clone(),
        to_cluster::<ConfigMap>,
    )
    .watches(
        Api::<ConfigMap>::namespaced(client.clone(), ns),
        wc.clone(),
        to_cluster::<ConfigMap>,
    )
    // The pruner's conditions are part of the ClusterOperator's.
    .watches(
        Api::<ImagePruner>::all(client.clone()),
        wc.clone(),
        to_cluster::<ImagePruner>,
    )
    .run(
        reconcile,
        error_policy,
        Arc::new(Ctx {
            client: client.clone(),
        }),
    )
    .for_each(|result| async move {
        if let Err(e) = result {
            tracing::debug!(error = %e, "simulated operator reconcile");
        }
    });
    futures::join!(registry, crate::image_pruner::run(client));
    Ok(())
}

/// Merge-patches the `cluster` config (the operator's writes into `spec` and `metadata`).
async fn merge_config(configs: &Api<Config>, patch: Value) -> Result<(), kube::Error> {
    configs
        .patch(SINGLETON, &PatchParams::default(), &Patch::Merge(patch))
        .await
        .map(|_| ())
}

/// Everything the operator watches maps to the one config it reconciles.
fn to_cluster<K>(_: K) -> Option<ObjectRef<Config>> {
    Some(ObjectRef::new(SINGLETON))
}

/// Runs the operator, logging a failure.
pub async fn run_logged(client: Client) {
    if let Err(e) = run(client).await {
        tracing::error!(error = %e, "the simulated image-registry operator stopped");
    }
}

fn error_policy(_config: Arc<Config>, error: &Error, _ctx: Arc<Ctx>) -> Action {
    tracing::warn!(%error, "simulated operator: reconcile failed; retrying");
    Action::requeue(Duration::from_secs(2))
}

fn cond(type_: &str, status: bool, reason: &str, message: &str) -> Condition {
    Condition {
        type_: type_.into(),
        status: ConditionStatus::from_bool(status),
        last_transition_time: now(),
        reason: Some(reason.into()),
        message: Some(message.into()),
    }
}

async fn reconcile(config: Arc<Config>, ctx: Arc<Ctx>) -> Result<Action, Error> {
    let client = &ctx.client;
    let configs: Api<Config> = Api::all(client.clone());
    if config.metadata.deletion_timestamp.is_some() {
        remove_registry(client, &config).await?;
        let finalizers: Vec<String> = config
            .finalizers()
            .iter()
            .filter(|f| *f != FINALIZER)
            .cloned()
            .collect();
        merge_config(
            &configs,
            json!({ "metadata": { "finalizers": finalizers } }),
        )
        .await?;
        return Ok(Action::await_change());
    }
    if !config.finalizers().iter().any(|f| f == FINALIZER) {
        let mut finalizers = config.finalizers().to_vec();
        finalizers.push(FINALIZER.into());
        merge_config(
            &configs,
            json!({ "metadata": { "finalizers": finalizers } }),
        )
        .await?;
        return Ok(Action::await_change());
    }
    // The certificates controller runs whatever the state (`registry-api.md` §5.4).
    let certificates = crate::certificates::sync(client).await?;
    let mut conditions = match config.spec.management_state {
        Some(ManagementState::Removed) => {
            remove_registry(client, &config).await?;
            vec![
                cond("Available", true, "Removed", "The registry is removed"),
                cond(
                    "Progressing",
                    false,
                    "Removed",
                    "All registry resources are removed",
                ),
                cond("Degraded", false, "Removed", "The registry is removed"),
                cond("Removed", true, "Removed", "The image registry is removed"),
            ]
        }
        Some(ManagementState::Unmanaged) => vec![
            cond(
                "Available",
                true,
                "Unmanaged",
                "The registry configuration is set to unmanaged mode",
            ),
            cond(
                "Progressing",
                false,
                "Unmanaged",
                "The registry configuration is set to unmanaged mode",
            ),
            cond(
                "Degraded",
                false,
                "Unmanaged",
                "The registry configuration is set to unmanaged mode",
            ),
            cond(
                "Removed",
                false,
                "Unmanaged",
                "The registry configuration is set to unmanaged mode",
            ),
        ],
        Some(ManagementState::Managed) => match manage(client, &config).await? {
            Managed::SpecUpdated => return Ok(Action::await_change()),
            Managed::Conditions(c) => c,
        },
        // `Force` and an empty state: the real operator logs "unknown state" and does nothing.
        Some(ManagementState::Force) | None => return Ok(Action::await_change()),
    };
    conditions.push(certificates);
    write_status(client, &config, conditions).await?;
    Ok(Action::requeue(Duration::from_secs(15)))
}

enum Managed {
    /// The operator wrote into the spec; the change comes back as a new event.
    SpecUpdated,
    Conditions(Vec<Condition>),
}

async fn manage(client: &Client, config: &Config) -> Result<Managed, Error> {
    let configs: Api<Config> = Api::all(client.clone());
    let spec = &config.spec;
    if spec.http_secret.as_deref().unwrap_or("").is_empty() {
        let bytes: [u8; 64] = rand::rng().random();
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        merge_config(&configs, json!({ "spec": { "httpSecret": secret } })).await?;
        return Ok(Managed::SpecUpdated);
    }
    let storage = spec.storage.clone().unwrap_or_default();
    let mut problem = match verify(config, &storage) {
        Some(p) => Some(p),
        None => match prepare_storage(client, &storage).await? {
            StorageOutcome::SpecUpdated => return Ok(Managed::SpecUpdated),
            StorageOutcome::Problem(p) => Some(p),
            StorageOutcome::Ready => None,
        },
    };
    let mut conditions = Vec::new();
    if let Some(p) = &problem
        && p.permanent
    {
        conditions.push(cond("Available", false, p.reason, &p.message));
        conditions.push(cond("Progressing", false, "Error", &p.message));
        conditions.push(cond("Degraded", true, p.reason, &p.message));
        conditions.push(cond("Removed", false, "", ""));
        return Ok(Managed::Conditions(conditions));
    }
    if problem.is_none() {
        problem = apply_registry(client, config, &storage).await?;
    }
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let deployment = deployments.get_opt(REGISTRY_DEPLOYMENT).await?;
    let want = spec.replicas.max(0);
    let status = deployment
        .as_ref()
        .and_then(|d| d.status.clone())
        .unwrap_or_default();
    let ready = status.ready_replicas.unwrap_or(0);
    let updated = status.updated_replicas.unwrap_or(0);
    let (available, a_reason, a_message) = match (&deployment, ready) {
        (None, _) => (
            false,
            "DeploymentNotFound",
            "The deployment does not exist".to_string(),
        ),
        (Some(_), r) if r >= want && want > 0 => {
            (true, "Ready", "The registry is ready".to_string())
        }
        (Some(_), 0) => (
            false,
            "NoReplicasAvailable",
            "The deployment does not have available replicas".to_string(),
        ),
        (Some(_), _) => (
            true,
            "MinimumAvailability",
            "The registry has minimum availability".to_string(),
        ),
    };
    conditions.push(cond("Available", available, a_reason, &a_message));
    match &problem {
        Some(p) => conditions.push(cond(
            "Progressing",
            true,
            "Error",
            &format!("Unable to apply resources: {}", p.message),
        )),
        None if ready < want || updated < want => conditions.push(cond(
            "Progressing",
            true,
            "DeploymentNotCompleted",
            "The deployment has not completed",
        )),
        None => conditions.push(cond("Progressing", false, "Ready", "The registry is ready")),
    }
    let degraded = degraded_by_combination(config, &storage, client).await?;
    match (degraded, &problem, available) {
        (Some(message), _, _) => {
            conditions.push(cond("Degraded", true, "VerificationFailed", &message))
        }
        // The real operator waits five minutes before calling an unavailable registry
        // Degraded; the simulation reports it at once so a demo shows the consequence.
        (None, Some(p), false) => {
            conditions.push(cond("Degraded", true, "Unavailable", &p.message))
        }
        _ => conditions.push(Condition {
            reason: Some(String::new()),
            message: Some(String::new()),
            ..cond("Degraded", false, "", "")
        }),
    }
    conditions.push(cond("Removed", false, "", ""));
    Ok(Managed::Conditions(conditions))
}

/// Checks the operator makes before touching anything (its `VerificationFailed` errors).
fn verify(config: &Config, storage: &Storage) -> Option<Problem> {
    let spec = &config.spec;
    let permanent = |reason, message: String| {
        Some(Problem {
            permanent: true,
            reason,
            message,
        })
    };
    if spec.replicas < 0 {
        return permanent(
            "VerificationFailed",
            format!(
                "replicas must be greater than or equal to 0, got {}",
                spec.replicas
            ),
        );
    }
    let mut seen = Vec::new();
    for route in spec.routes.iter().flatten() {
        if route.name == DEFAULT_ROUTE {
            return permanent(
                "VerificationFailed",
                format!("route name {DEFAULT_ROUTE} is reserved for the default route"),
            );
        }
        if seen.contains(&route.name) {
            return permanent(
                "VerificationFailed",
                format!(
                    "duplication of names has been detected in the additional routes: {}",
                    route.name
                ),
            );
        }
        seen.push(route.name.clone());
    }
    for (which, limits) in [
        ("read", spec.requests.as_ref().and_then(|r| r.read.as_ref())),
        (
            "write",
            spec.requests.as_ref().and_then(|r| r.write.as_ref()),
        ),
    ] {
        if let Some(l) = limits
            && (l.max_running.unwrap_or(0) < 0 || l.max_in_queue.unwrap_or(0) < 0)
        {
            return Some(Problem {
                permanent: false,
                reason: "Error",
                message: format!(
                    "requests.{which}: maxRunning and maxInQueue must not be negative"
                ),
            });
        }
    }
    let kinds = storage.kinds();
    match kinds.len() {
        0 => permanent(
            "StorageNotConfigured",
            "storage backend not configured".into(),
        ),
        1 => None,
        n => Some(Problem {
            permanent: false,
            reason: "Error",
            message: format!(
                "unable to sync storage configuration: exactly one storage type should be configured at the same time, got {n}: {:?}",
                kinds.iter().map(|k| k.field()).collect::<Vec<_>>()
            ),
        }),
    }
}

/// The combinations the guide warns about that the real operator does not catch at sync
/// time: reported as Degraded so the console's users see them.
async fn degraded_by_combination(
    config: &Config,
    storage: &Storage,
    client: &Client,
) -> Result<Option<String>, Error> {
    let replicas = config.spec.replicas;
    if storage.empty_dir.is_some() && replicas > 1 {
        return Ok(Some(format!(
            "emptyDir storage cannot be shared: with {replicas} replicas each pod has its own images; use one replica or shared storage"
        )));
    }
    if let Some(claim) = storage
        .pvc
        .as_ref()
        .and_then(|p| p.claim.as_deref())
        .filter(|c| !c.is_empty())
    {
        let pvcs: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
        if let Some(pvc) = pvcs.get_opt(claim).await?
            && rwo_only(&pvc)
            && (replicas > 1 || rolling(config))
        {
            return Ok(Some(rwo_message(claim)));
        }
    }
    Ok(None)
}

fn rolling(config: &Config) -> bool {
    config
        .spec
        .rollout_strategy
        .unwrap_or(RolloutStrategy::RollingUpdate)
        == RolloutStrategy::RollingUpdate
}

fn rwo_only(pvc: &PersistentVolumeClaim) -> bool {
    let modes = pvc
        .spec
        .as_ref()
        .and_then(|s| s.access_modes.clone())
        .unwrap_or_default();
    !modes.iter().any(|m| m == "ReadWriteMany")
}

fn rwo_message(claim: &str) -> String {
    format!(
        "PVC {claim} is ReadWriteOnce: the registry then needs exactly one replica and the Recreate rollout strategy"
    )
}

enum StorageOutcome {
    Ready,
    SpecUpdated,
    Problem(Problem),
}

async fn prepare_storage(client: &Client, storage: &Storage) -> Result<StorageOutcome, Error> {
    let kind = storage.kinds()[0];
    let configs: Api<Config> = Api::all(client.clone());
    let problem = |reason: &'static str, message: String| {
        Ok(StorageOutcome::Problem(Problem {
            permanent: false,
            reason,
            message,
        }))
    };
    match kind {
        StorageKind::EmptyDir => {
            if storage.management_state.is_none() {
                merge_config(
                    &configs,
                    json!({ "spec": { "storage": { "managementState": "Managed" } } }),
                )
                .await?;
                return Ok(StorageOutcome::SpecUpdated);
            }
            Ok(StorageOutcome::Ready)
        }
        StorageKind::Pvc => {
            let pvcs: Api<PersistentVolumeClaim> =
                Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
            let claim = storage
                .pvc
                .as_ref()
                .and_then(|p| p.claim.clone())
                .unwrap_or_default();
            if claim.is_empty() {
                match pvcs.get_opt(DEFAULT_CLAIM).await? {
                    Some(existing) if !existing.annotations().contains_key(OWNED_ANNOTATION) => {
                        return problem(
                            "PVC Already Exists",
                            format!(
                                "PVC {DEFAULT_CLAIM} already exists and was not created by the operator"
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        let pvc: PersistentVolumeClaim = serde_json::from_value(json!({
                            "metadata": { "name": DEFAULT_CLAIM, "namespace": REGISTRY_NAMESPACE, "annotations": { OWNED_ANNOTATION: "true" } },
                            "spec": { "accessModes": ["ReadWriteMany"], "resources": { "requests": { "storage": "100Gi" } } }
                        }))
                        .expect("a valid PVC");
                        pvcs.create(&PostParams::default(), &pvc).await?;
                    }
                }
                merge_config(&configs, json!({ "spec": { "storage": { "managementState": "Managed", "pvc": { "claim": DEFAULT_CLAIM } } } })).await?;
                return Ok(StorageOutcome::SpecUpdated);
            }
            let Some(pvc) = pvcs.get_opt(&claim).await? else {
                return problem(
                    "PVC does not exist",
                    format!(
                        "persistentvolumeclaim \"{claim}\" not found in namespace {REGISTRY_NAMESPACE}"
                    ),
                );
            };
            let modes = pvc
                .spec
                .as_ref()
                .and_then(|s| s.access_modes.clone())
                .unwrap_or_default();
            if !modes
                .iter()
                .any(|m| m == "ReadWriteMany" || m == "ReadWriteOnce")
            {
                return problem(
                    "PVC Issues Found",
                    format!("PVC {claim} must have ReadWriteMany or ReadWriteOnce access mode"),
                );
            }
            if storage.management_state.is_none() {
                let owned = pvc.annotations().contains_key(OWNED_ANNOTATION);
                let state = if owned { "Managed" } else { "Unmanaged" };
                merge_config(
                    &configs,
                    json!({ "spec": { "storage": { "managementState": state } } }),
                )
                .await?;
                return Ok(StorageOutcome::SpecUpdated);
            }
            Ok(StorageOutcome::Ready)
        }
        cloud => {
            let secrets: Api<Secret> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
            let user_secret = secrets.get_opt(CREDENTIALS_SECRET).await?;
            // Without the user secret the operator uses the cluster-minted credentials, if
            // they hold what this provider reads.
            let cluster_minted = match user_secret {
                Some(_) => false,
                None => secrets
                    .get_opt(CLUSTER_CREDENTIALS_SECRET)
                    .await?
                    .and_then(|s| s.data)
                    .is_some_and(|data| {
                        cluster_credential_keys(cloud)
                            .iter()
                            .any(|set| set.iter().all(|k| data.contains_key(*k)))
                    }),
            };
            match user_secret {
                Some(secret) => {
                    // The user secret replaces the cluster's credentials as a whole.
                    let data = secret.data.unwrap_or_default();
                    let has = |k: &str| data.get(k).is_some_and(|v| !v.0.is_empty());
                    let sets = credential_keys(cloud);
                    if !sets.iter().any(|set| set.iter().all(|k| has(k))) {
                        let missing: Vec<&str> =
                            sets[0].iter().copied().filter(|k| !has(k)).collect();
                        return problem(
                            "Error",
                            format!(
                                "secret \"{CREDENTIALS_SECRET}\" does not contain required key(s) {}",
                                missing.join(", ")
                            ),
                        );
                    }
                }
                None if cluster_minted => {}
                None => {
                    return problem(
                        "Error",
                        format!(
                            "unable to get cluster minted credentials for \"{}\": secret \"{CREDENTIALS_SECRET}\" not found in {REGISTRY_NAMESPACE}, and this cluster has no {CLUSTER_CREDENTIALS_SECRET} to fall back on",
                            cloud.field()
                        ),
                    );
                }
            }
            let named = match cloud {
                StorageKind::S3 => storage.s3.as_ref().and_then(|s| s.bucket.clone()),
                StorageKind::Gcs => storage.gcs.as_ref().and_then(|s| s.bucket.clone()),
                StorageKind::Azure => storage.azure.as_ref().and_then(|s| s.container.clone()),
                StorageKind::Swift => storage.swift.as_ref().and_then(|s| s.container.clone()),
                _ => storage.ibmcos.as_ref().and_then(|s| s.bucket.clone()),
            };
            if named.unwrap_or_default().is_empty() {
                return problem(
                    "Error",
                    format!(
                        "storage.{} names no bucket or container, and this bare-metal cluster has no cloud platform to generate one on",
                        cloud.field()
                    ),
                );
            }
            if storage.management_state.is_none() {
                merge_config(
                    &configs,
                    json!({ "spec": { "storage": { "managementState": "Unmanaged" } } }),
                )
                .await?;
                return Ok(StorageOutcome::SpecUpdated);
            }
            Ok(StorageOutcome::Ready)
        }
    }
}

/// The registry's environment, as the operator renders it from the config.
fn registry_env(config: &Config, storage: &Storage) -> Vec<Value> {
    let spec = &config.spec;
    let mut env = vec![
        ("REGISTRY_HTTP_ADDR", ":5000".to_string()),
        ("REGISTRY_HTTP_NET", "tcp".to_string()),
        (
            "REGISTRY_OPENSHIFT_SERVER_ADDR",
            INTERNAL_HOSTNAME.to_string(),
        ),
        ("REGISTRY_OPENSHIFT_METRICS_ENABLED", "true".to_string()),
    ];
    let driver = match storage.kinds().first() {
        Some(StorageKind::EmptyDir) | Some(StorageKind::Pvc) => "filesystem",
        Some(StorageKind::S3) => "s3",
        Some(StorageKind::Gcs) => "gcs",
        Some(StorageKind::Azure) => "azure",
        Some(StorageKind::Swift) => "swift",
        Some(StorageKind::IbmCos) => "s3",
        None => "",
    };
    env.push(("REGISTRY_STORAGE", driver.to_string()));
    if driver == "filesystem" {
        env.push((
            "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
            "/registry".to_string(),
        ));
    }
    if let Some(s3) = &storage.s3 {
        env.push((
            "REGISTRY_STORAGE_S3_BUCKET",
            s3.bucket.clone().unwrap_or_default(),
        ));
        env.push((
            "REGISTRY_STORAGE_S3_REGION",
            s3.region.clone().unwrap_or_default(),
        ));
        if let Some(e) = &s3.region_endpoint {
            env.push(("REGISTRY_STORAGE_S3_REGIONENDPOINT", e.clone()));
        }
        env.push((
            "REGISTRY_STORAGE_S3_ENCRYPT",
            s3.encrypt.unwrap_or(false).to_string(),
        ));
        env.push((
            "REGISTRY_STORAGE_S3_FORCEPATHSTYLE",
            (!s3.virtual_hosted_style.unwrap_or(false)).to_string(),
        ));
    }
    if spec.read_only == Some(true) {
        env.push((
            "REGISTRY_STORAGE_MAINTENANCE_READONLY",
            "{enabled: true}".to_string(),
        ));
    }
    if spec.disable_redirect == Some(true) {
        env.push(("REGISTRY_STORAGE_REDIRECT_DISABLE", "true".to_string()));
    }
    let level = match spec.log_level.map(|l| l.as_str()) {
        Some("Debug") | Some("Trace") | Some("TraceAll") => "debug",
        _ => match spec.logging {
            Some(1) => "warn",
            Some(0) | Some(2) | Some(3) | None => "info",
            Some(_) => "debug",
        },
    };
    env.push(("REGISTRY_LOG_LEVEL", level.to_string()));
    if let Some(proxy) = &spec.proxy {
        for (name, value) in [
            ("HTTP_PROXY", &proxy.http),
            ("HTTPS_PROXY", &proxy.https),
            ("NO_PROXY", &proxy.no_proxy),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                env.push((name, v.clone()));
            }
        }
    }
    let mut out: Vec<Value> = env
        .into_iter()
        .map(|(n, v)| json!({ "name": n, "value": v }))
        .collect();
    out.push(json!({ "name": "REGISTRY_HTTP_SECRET", "valueFrom": { "secretKeyRef": { "name": "image-registry-private-configuration", "key": "REGISTRY_HTTP_SECRET" } } }));
    out
}

/// Applies the registry's objects; a route whose TLS Secret does not exist is not made, and
/// is the problem the operator reports (as the real one fails to sync it).
async fn apply_registry(
    client: &Client,
    config: &Config,
    storage: &Storage,
) -> Result<Option<Problem>, Error> {
    let ns = REGISTRY_NAMESPACE;
    let spec = &config.spec;
    let (label_key, label_value) = REGISTRY_POD_LABEL;
    let labels = json!({ label_key: label_value });
    let volume = match storage.kinds().first() {
        Some(StorageKind::Pvc) => {
            json!({ "name": "registry-storage", "persistentVolumeClaim": { "claimName": storage.pvc.as_ref().and_then(|p| p.claim.clone()).unwrap_or_default() } })
        }
        _ => json!({ "name": "registry-storage", "emptyDir": {} }),
    };
    let strategy = match spec
        .rollout_strategy
        .unwrap_or(RolloutStrategy::RollingUpdate)
    {
        // A merge patch keeps what it does not name: the RollingUpdate block of an earlier
        // strategy must go explicitly, or the API refuses the Deployment.
        RolloutStrategy::Recreate => json!({ "type": "Recreate", "rollingUpdate": null }),
        RolloutStrategy::RollingUpdate => {
            json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 1, "maxSurge": "25%" } })
        }
    };
    let mut node_selector: BTreeMap<String, String> =
        spec.node_selector.clone().unwrap_or_default();
    node_selector
        .entry("kubernetes.io/os".into())
        .or_insert_with(|| "linux".into());
    let resources = spec
        .resources
        .as_ref()
        .map(|r| serde_json::to_value(r).expect("resources serialize"))
        .unwrap_or_else(|| json!({ "requests": { "cpu": "100m", "memory": "256Mi" } }));
    let deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": REGISTRY_DEPLOYMENT, "namespace": ns, "labels": labels, "annotations": { "release.openshift.io/version": VERSION } },
        "spec": {
            "replicas": spec.replicas.max(0),
            "selector": { "matchLabels": labels },
            "strategy": strategy,
            "progressDeadlineSeconds": 120,
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "serviceAccountName": "registry",
                    "priorityClassName": "system-cluster-critical",
                    "nodeSelector": node_selector,
                    "tolerations": spec.tolerations.clone().unwrap_or_default(),
                    "containers": [{
                        "name": "registry",
                        "image": IMAGE,
                        "ports": [{ "containerPort": REGISTRY_PORT, "protocol": "TCP" }],
                        "env": registry_env(config, storage),
                        "resources": resources,
                        "volumeMounts": [{ "name": "registry-storage", "mountPath": "/registry" }]
                    }],
                    "volumes": [volume]
                }
            }
        }
    });
    apply(
        Api::<Deployment>::namespaced(client.clone(), ns),
        REGISTRY_DEPLOYMENT,
        deployment,
    )
    .await?;
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "name": REGISTRY_DEPLOYMENT, "namespace": ns, "labels": labels, "annotations": { "service.alpha.openshift.io/serving-cert-secret-name": "image-registry-tls" } },
        "spec": { "type": "ClusterIP", "clusterIP": "172.30.0.50", "selector": labels, "ports": [{ "name": "5000-tcp", "port": REGISTRY_PORT, "protocol": "TCP", "targetPort": REGISTRY_PORT }] }
    });
    apply(
        Api::<Service>::namespaced(client.clone(), ns),
        REGISTRY_DEPLOYMENT,
        service,
    )
    .await?;
    apply(
        Api::<DaemonSet>::namespaced(client.clone(), ns),
        NODE_CA,
        node_ca(),
    )
    .await?;
    let routes: Api<Route> = Api::namespaced(client.clone(), ns);
    let mut wanted: Vec<String> = Vec::new();
    if spec.default_route == Some(true) {
        apply(
            routes.clone(),
            DEFAULT_ROUTE,
            route_object(DEFAULT_ROUTE, None, None),
        )
        .await?;
        wanted.push(DEFAULT_ROUTE.into());
    }
    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    let mut missing = Vec::new();
    for r in spec.routes.iter().flatten() {
        let tls = match r.secret_name.as_deref().filter(|s| !s.is_empty()) {
            Some(name) => match secrets.get_opt(name).await? {
                Some(secret) => Some(secret.data.unwrap_or_default()),
                None => {
                    missing.push(format!(
                        "route {:?}: secret {name:?} not found in {ns}",
                        r.name
                    ));
                    // An existing route stays as it is, as when the real operator's sync
                    // fails; none is made without its certificate.
                    wanted.push(r.name.clone());
                    continue;
                }
            },
            None => None,
        };
        let text = |k: &str| {
            tls.as_ref()
                .and_then(|d| d.get(k))
                .map(|b| String::from_utf8_lossy(&b.0).into_owned())
        };
        let tls_fields = tls
            .as_ref()
            .map(|_| (text("tls.crt"), text("tls.key"), text("tls.cacrt")));
        apply(
            routes.clone(),
            &r.name,
            route_object(&r.name, r.hostname.as_deref(), tls_fields),
        )
        .await?;
        wanted.push(r.name.clone());
    }
    for stale in routes.list(&Default::default()).await? {
        let name = stale.name_any();
        if stale.annotations().contains_key(OWNED_ANNOTATION) && !wanted.contains(&name) {
            routes.delete(&name, &DeleteParams::default()).await?;
        }
    }
    set_hostnames(client, Some(INTERNAL_HOSTNAME)).await?;
    Ok((!missing.is_empty()).then(|| Problem {
        permanent: false,
        reason: "Error",
        message: format!("unable to sync routes: {}", missing.join("; ")),
    }))
}

type TlsFields = (Option<String>, Option<String>, Option<String>);

/// The `node-ca` DaemonSet: on every Linux node, it copies `image-registry-certificates` (the
/// trusted CAs and the service CA) into `/etc/docker/certs.d`, so that nodes pull from the
/// registry and from the registries the cluster trusts.
fn node_ca() -> Value {
    let labels = json!({ "name": NODE_CA });
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": { "name": NODE_CA, "namespace": REGISTRY_NAMESPACE, "annotations": { "release.openshift.io/version": VERSION } },
        "spec": {
            "selector": { "matchLabels": labels },
            "updateStrategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": "10%" } },
            "template": {
                "metadata": { "labels": labels },
                "spec": {
                    "serviceAccountName": NODE_CA,
                    "priorityClassName": "system-cluster-critical",
                    "nodeSelector": { "kubernetes.io/os": "linux" },
                    "tolerations": [{ "operator": "Exists" }],
                    "containers": [{
                        "name": NODE_CA,
                        "image": IMAGE,
                        "command": ["/bin/sh", "-c", "while true; do copy /tmp/serviceca/* to /etc/docker/certs.d; sleep 60; done"],
                        "resources": { "requests": { "cpu": "10m", "memory": "10Mi" } },
                        "volumeMounts": [
                            { "name": "serviceca", "mountPath": "/tmp/serviceca" },
                            { "name": "host", "mountPath": "/etc/docker/certs.d" }
                        ]
                    }],
                    "volumes": [
                        { "name": "host", "hostPath": { "path": "/etc/docker/certs.d" } },
                        { "name": "serviceca", "configMap": { "name": "image-registry-certificates" } }
                    ]
                }
            }
        }
    })
}

fn route_object(name: &str, host: Option<&str>, tls: Option<TlsFields>) -> Value {
    let mut tls_json = json!({ "termination": "reencrypt" });
    if let Some((cert, key, ca)) = tls {
        for (field, value) in [("certificate", cert), ("key", key), ("caCertificate", ca)] {
            if let Some(v) = value {
                tls_json[field] = json!(v);
            }
        }
    }
    let mut route = json!({
        "apiVersion": "route.openshift.io/v1",
        "kind": "Route",
        "metadata": { "name": name, "namespace": REGISTRY_NAMESPACE, "annotations": { OWNED_ANNOTATION: "true" } },
        "spec": { "to": { "kind": "Service", "name": REGISTRY_DEPLOYMENT, "weight": 100 }, "tls": tls_json, "wildcardPolicy": "None" }
    });
    if let Some(h) = host.filter(|h| !h.is_empty()) {
        route["spec"]["host"] = json!(h);
    }
    route
}

/// Creates the object, or merge-patches it to the desired state when it differs.
pub(crate) async fn apply<K>(api: Api<K>, name: &str, desired: Value) -> Result<(), Error>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    match api.get_opt(name).await? {
        None => {
            let obj: K = serde_json::from_value(desired)
                .map_err(|e| Error::Kube(kube::Error::SerdeError(e)))?;
            api.create(&PostParams::default(), &obj).await?;
        }
        Some(existing) => {
            let current = serde_json::to_value(&existing)
                .map_err(|e| Error::Kube(kube::Error::SerdeError(e)))?;
            if !contains(&current, &desired) {
                api.patch(
                    name,
                    &PatchParams::default(),
                    &Patch::Merge(
                        json!({ "metadata": desired["metadata"], "spec": desired["spec"] }),
                    ),
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Whether every field of `want` has the same value in `have` (lists compared whole).
fn contains(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Object(h), Value::Object(w)) => w.iter().all(|(k, v)| match h.get(k) {
            Some(hv) => contains(hv, v),
            None => v.is_null() || v == &json!({}) || v == &json!([]),
        }),
        (h, w) => h == w,
    }
}

async fn remove_registry(client: &Client, config: &Config) -> Result<(), Error> {
    let ns = REGISTRY_NAMESPACE;
    let dp = DeleteParams::default();
    let ignore_missing = |r: Result<_, kube::Error>| match r {
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
        Err(e) => Err(Error::Kube(e)),
        Ok(_) => Ok(()),
    };
    ignore_missing(
        Api::<Deployment>::namespaced(client.clone(), ns)
            .delete(REGISTRY_DEPLOYMENT, &dp)
            .await
            .map(|_| ()),
    )?;
    ignore_missing(
        Api::<Service>::namespaced(client.clone(), ns)
            .delete(REGISTRY_DEPLOYMENT, &dp)
            .await
            .map(|_| ()),
    )?;
    ignore_missing(
        Api::<DaemonSet>::namespaced(client.clone(), ns)
            .delete(NODE_CA, &dp)
            .await
            .map(|_| ()),
    )?;
    let routes: Api<Route> = Api::namespaced(client.clone(), ns);
    for route in routes.list(&Default::default()).await? {
        if route.annotations().contains_key(OWNED_ANNOTATION) {
            ignore_missing(routes.delete(&route.name_any(), &dp).await.map(|_| ()))?;
        }
    }
    let applied = config
        .status
        .as_ref()
        .map(|s| s.storage.clone())
        .unwrap_or_default();
    if applied.management_state == Some(StorageManagementState::Managed)
        && let Some(claim) = applied.pvc.and_then(|p| p.claim).filter(|c| !c.is_empty())
    {
        ignore_missing(
            Api::<PersistentVolumeClaim>::namespaced(client.clone(), ns)
                .delete(&claim, &dp)
                .await
                .map(|_| ()),
        )?;
    }
    set_hostnames(client, None).await
}

/// `images.config.openshift.io/cluster` status: the internal hostname while the Service
/// exists, and the hosts of the operator's admitted routes.
async fn set_hostnames(client: &Client, internal: Option<&str>) -> Result<(), Error> {
    let images: Api<registry_model::Image> = Api::all(client.clone());
    let mut external = Vec::new();
    if internal.is_some() {
        let routes: Api<Route> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
        for r in routes.list(&Default::default()).await? {
            if r.annotations().contains_key(OWNED_ANNOTATION)
                && let Some(host) = r
                    .status
                    .as_ref()
                    .and_then(|s| s.ingress.first())
                    .and_then(|i| i.host.clone())
            {
                external.push(host);
            }
        }
    }
    external.sort_by_key(|h| {
        (
            !h.starts_with("default-route-openshift-image-registry"),
            h.clone(),
        )
    });
    external.dedup();
    let status = json!({ "status": { "internalRegistryHostname": internal.unwrap_or(""), "externalRegistryHostnames": external } });
    let current = images.get_opt(SINGLETON).await?;
    if let Some(current) = current {
        let have =
            serde_json::to_value(&current).map_err(|e| Error::Kube(kube::Error::SerdeError(e)))?;
        if !contains(&have, &status)
            || (external.is_empty()
                && have
                    .pointer("/status/externalRegistryHostnames")
                    .is_some_and(|v| v != &json!([])))
        {
            images
                .patch_status(SINGLETON, &PatchParams::default(), &Patch::Merge(status))
                .await?;
        }
    }
    Ok(())
}

async fn write_status(
    client: &Client,
    config: &Config,
    wanted: Vec<Condition>,
) -> Result<(), Error> {
    let configs: Api<Config> = Api::all(client.clone());
    let before = config.status.clone().unwrap_or_default();
    let mut status = before.clone();
    let mut changed = false;
    for c in wanted.iter().cloned() {
        changed |= condition::set(&mut status.conditions, c);
    }
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let ready = match config.spec.management_state {
        Some(ManagementState::Managed) => deployments
            .get_opt(REGISTRY_DEPLOYMENT)
            .await?
            .and_then(|d| d.status)
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0),
        _ => 0,
    };
    let applied = match config.spec.management_state {
        Some(ManagementState::Removed) => Storage::default(),
        _ => config.spec.storage.clone().unwrap_or_default(),
    };
    let managed = applied.management_state == Some(StorageManagementState::Managed);
    if status.ready_replicas != Some(ready)
        || status.observed_generation != config.metadata.generation
        || status.storage != applied
        || status.storage_managed != managed
    {
        changed = true;
    }
    status.ready_replicas = Some(ready);
    status.observed_generation = config.metadata.generation;
    status.storage = applied;
    status.storage_managed = managed;
    // The patch of what changed, with nulls for what went: a merge patch of the whole
    // status would keep a storage backend the registry no longer uses.
    let to_value = |s: &registry_model::registry_config::ConfigStatus| {
        serde_json::to_value(s).map_err(|e| Error::Kube(kube::Error::SerdeError(e)))
    };
    if changed
        && let Some(patch) =
            registry_model::change::merge_patch(&to_value(&before)?, &to_value(&status)?)
    {
        configs
            .patch_status(
                SINGLETON,
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": patch })),
            )
            .await?;
    }
    write_cluster_operator(client, &status.conditions).await
}

/// One ClusterOperator condition (`registry-api.md` §5.6): the union of every condition
/// whose type ends in `kind`, the config's as they are and the pruner's prefixed
/// `ImagePruner`. Its status is the first abnormal one, else Unknown if any is, else normal;
/// its reason every contributing reason but `AsExpected`, prefixed with what precedes
/// `kind` in its type, sorted and joined with `::`; its message one line per source.
fn union(kind: &str, config: &[Condition], pruner: &[Condition]) -> (&'static str, String, String) {
    let normal = if kind == "Available" { "True" } else { "False" };
    let text = |s: &ConditionStatus| match s {
        ConditionStatus::True => "True",
        ConditionStatus::False => "False",
        ConditionStatus::Unknown => "Unknown",
    };
    let sources: Vec<(String, &Condition)> = config
        .iter()
        .map(|c| (c.type_.clone(), c))
        .chain(
            pruner
                .iter()
                .map(|c| (format!("ImagePruner{}", c.type_), c)),
        )
        .filter(|(type_, _)| type_.ends_with(kind))
        .collect();
    let statuses: Vec<&'static str> = sources.iter().map(|(_, c)| text(&c.status)).collect();
    let status = statuses
        .iter()
        .find(|s| **s != normal && **s != "Unknown")
        .copied()
        .or_else(|| statuses.contains(&"Unknown").then_some("Unknown"))
        .unwrap_or(if normal == "True" { "True" } else { "False" });
    let mut reasons: Vec<String> = sources
        .iter()
        .filter_map(|(type_, c)| {
            let reason = c
                .reason
                .as_deref()
                .filter(|r| !r.is_empty() && *r != "AsExpected")?;
            Some(format!(
                "{}{reason}",
                type_.strip_suffix(kind).unwrap_or_default()
            ))
        })
        .collect();
    reasons.sort();
    let reason = if reasons.is_empty() {
        "AsExpected".to_owned()
    } else {
        reasons.join("::")
    };
    let message = sources
        .iter()
        .filter_map(|(type_, c)| {
            c.message
                .as_deref()
                .filter(|m| !m.is_empty())
                .map(|m| format!("{type_}: {m}"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    (status, reason, message)
}

/// The ClusterOperator's Available, Progressing and Degraded, from the config's conditions
/// and the image pruner's.
async fn write_cluster_operator(client: &Client, conditions: &[Condition]) -> Result<(), Error> {
    let operators: Api<registry_model::ClusterOperator> = Api::all(client.clone());
    let Some(current) = operators.get_opt(CLUSTER_OPERATOR).await? else {
        return Ok(());
    };
    let pruner = Api::<ImagePruner>::all(client.clone())
        .get_opt(SINGLETON)
        .await?
        .and_then(|p| p.status)
        .map(|s| s.conditions)
        .unwrap_or_default();
    let existing = current.status.clone().unwrap_or_default().conditions;
    let mut out = Vec::new();
    for type_ in ["Available", "Progressing", "Degraded"] {
        if condition::find(conditions, type_).is_none() {
            continue;
        }
        let (status, reason, message) = union(type_, conditions, &pruner);
        let since = existing
            .iter()
            .find(|e| e.type_ == type_ && e.status == status)
            .map(|e| e.last_transition_time.clone())
            .unwrap_or_else(now);
        out.push(json!({ "type": type_, "status": status, "reason": reason, "message": message, "lastTransitionTime": since }));
    }
    let have = serde_json::to_value(&existing).unwrap_or(json!([]));
    if have != json!(out) {
        operators
            .patch_status(
                CLUSTER_OPERATOR,
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": { "conditions": out } })),
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry_model::registry_config::{ConfigSpec, EmptyDir, PvcStorage};

    fn c(type_: &str, status: ConditionStatus, reason: &str, message: &str) -> Condition {
        Condition {
            type_: type_.into(),
            status,
            last_transition_time: "2026-11-25T00:00:00Z".into(),
            reason: Some(reason.into()),
            message: Some(message.into()),
        }
    }

    #[test]
    fn cluster_operator_conditions_are_the_union_with_the_pruners() {
        use ConditionStatus::*;
        let config = [
            c("Available", True, "Ready", "The registry is ready"),
            c("Degraded", False, "", ""),
            c("Progressing", False, "Ready", "The registry is ready"),
            c("NodeCADaemonAvailable", True, "AsExpected", ""),
        ];
        let healthy = [
            c(
                "Available",
                True,
                "AsExpected",
                "Pruner CronJob has been created",
            ),
            c("Degraded", False, "AsExpected", ""),
        ];
        assert_eq!(
            union("Available", &config, &healthy),
            (
                "True",
                "Ready".to_string(),
                "Available: The registry is ready\nImagePrunerAvailable: Pruner CronJob has been created".to_string()
            )
        );
        assert_eq!(union("Degraded", &config, &healthy).0, "False");
        assert_eq!(union("Degraded", &config, &healthy).1, "AsExpected");
        let failed = [
            c("Available", True, "AsExpected", ""),
            c(
                "Degraded",
                True,
                "JobFailed",
                "Job has reached the specified backoff limit",
            ),
        ];
        let (status, reason, message) = union("Degraded", &config, &failed);
        assert_eq!((status, reason.as_str()), ("True", "ImagePrunerJobFailed"));
        assert!(
            message.contains("ImagePrunerDegraded: Job has reached"),
            "{message}"
        );
        let both = [c("Degraded", True, "Removing", "")];
        let degraded_config = [c("Degraded", True, "VerificationFailed", "")];
        assert_eq!(
            union("Degraded", &degraded_config, &both).1,
            "ImagePrunerRemoving::VerificationFailed",
            "sorted and joined"
        );
        let unknown = [c("Available", Unknown, "", "")];
        assert_eq!(union("Available", &[], &unknown).0, "Unknown");
    }

    fn config(storage: Storage, replicas: i32) -> Config {
        Config::new(
            SINGLETON,
            ConfigSpec {
                replicas,
                storage: Some(storage),
                ..Default::default()
            },
        )
    }

    #[test]
    fn no_storage_is_the_permanent_storage_not_configured_error() {
        let p = verify(&config(Storage::default(), 1), &Storage::default()).expect("a problem");
        assert!(p.permanent);
        assert_eq!(p.reason, "StorageNotConfigured");
    }

    #[test]
    fn two_storage_types_are_refused_with_the_operators_message() {
        let s = Storage {
            empty_dir: Some(EmptyDir {}),
            pvc: Some(PvcStorage::default()),
            ..Default::default()
        };
        let p = verify(&config(s.clone(), 1), &s).expect("a problem");
        assert!(!p.permanent);
        assert!(
            p.message
                .contains("exactly one storage type should be configured at the same time, got 2"),
            "{}",
            p.message
        );
    }

    #[test]
    fn negative_replicas_and_reserved_route_names_fail_verification() {
        let s = Storage {
            empty_dir: Some(EmptyDir {}),
            ..Default::default()
        };
        assert_eq!(
            verify(&config(s.clone(), -1), &s).map(|p| p.reason),
            Some("VerificationFailed")
        );
        let mut c = config(s.clone(), 1);
        c.spec.routes = Some(vec![
            registry_model::registry_config::ImageRegistryConfigRoute {
                name: DEFAULT_ROUTE.into(),
                ..Default::default()
            },
        ]);
        assert_eq!(verify(&c, &s).map(|p| p.reason), Some("VerificationFailed"));
    }

    #[test]
    fn contains_compares_only_the_desired_fields() {
        assert!(contains(
            &json!({"a": 1, "b": {"c": 2, "d": 3}}),
            &json!({"b": {"c": 2}})
        ));
        assert!(!contains(&json!({"a": 1}), &json!({"a": 2})));
        assert!(contains(&json!({"a": 1}), &json!({"t": []})));
    }
}
