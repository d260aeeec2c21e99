//! What kube-controller-manager, the kubelet, a volume provisioner and the OpenShift router
//! do in a real cluster, simulated: Deployments get pods that become ready after a short
//! delay and write registry-like logs, Jobs get a pod that completes after a short delay
//! (and a CronJob keeps only as many finished Jobs as its history limits say), CronJobs
//! start Jobs at their scheduled times (`cron_jobs`), DaemonSets get a pod per node
//! (`daemon_sets`), claims get bound to volumes (`volumes`), routes get admitted. Runs only in the embedded demo cluster; a real cluster has the real components.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Client, Resource, ResourceExt};
use registry_model::Route;
use serde_json::{Value, json};

use registry_model::names::REGISTRY_DEPLOYMENT;

use crate::logs::PodLogs;
use crate::operator::APPS_DOMAIN;
use crate::registry::config::Settings;
use crate::registry::{Registries, Volume};
use crate::timestamp;

/// How long a new pod takes to become ready.
pub(crate) const STARTUP: Duration = Duration::from_millis(1500);
/// How often a starting registry process is probed.
const PROBE: Duration = Duration::from_millis(300);
/// How long a Job's pod runs before it succeeds.
const JOB_RUN: Duration = Duration::from_millis(2000);
pub(crate) const READY_AT: &str = "demo.registry-console/ready-at";
const NODES: [&str; 2] = ["worker-0", "worker-1"];
const MASTERS: [&str; 3] = ["master-0", "master-1", "master-2"];

struct Ctx {
    client: Client,
    logs: PodLogs,
    /// The registry pods' real processes (when `docker-registry` is installed).
    registries: Registries,
}

#[derive(Debug, thiserror::Error)]
#[error("Kubernetes API: {0}")]
struct Error(#[from] kube::Error);

/// Runs the simulation until the API goes away.
pub async fn run(client: Client, logs: PodLogs, registries: Registries) -> Result<(), kube::Error> {
    if let Err(why) = registries.available() {
        tracing::warn!("the registry's pods run no registry: {why}");
    }
    let reaper = reap(client.clone(), registries.clone());
    let ctx = Arc::new(Ctx {
        client: client.clone(),
        logs,
        registries,
    });
    let deployments = Controller::new(
        Api::<Deployment>::all(client.clone()),
        watcher::Config::default(),
    )
    .watches(
        Api::<Pod>::all(client.clone()),
        watcher::Config::default(),
        |pod: Pod| {
            let ns = pod.namespace().unwrap_or_default();
            pod.owner_references()
                .iter()
                .filter(|o| o.kind == "Deployment")
                .map(|o| ObjectRef::<Deployment>::new(&o.name).within(&ns))
                .collect::<Vec<_>>()
        },
    )
    .run(reconcile_deployment, |_, e, _| retry(e), ctx.clone())
    .for_each(|_| async {});
    let routes = Controller::new(
        Api::<Route>::all(client.clone()),
        watcher::Config::default(),
    )
    .run(admit_route, |_, e, _| retry(e), ctx.clone())
    .for_each(|_| async {});
    let jobs = Controller::new(Api::<Job>::all(client.clone()), watcher::Config::default())
        .run(run_job, |_, e, _| retry(e), ctx)
        .for_each(|_| async {});
    let cron_jobs = crate::cron_jobs::run(client.clone());
    let daemon_sets = crate::daemon_sets::run(client.clone());
    let volumes = crate::volumes::run(client.clone());
    futures::join!(
        deployments,
        routes,
        jobs,
        cron_jobs,
        daemon_sets,
        volumes,
        reaper
    );
    Ok(())
}

/// Stops the registry processes of pods that are gone, whoever deleted them (a scale down,
/// `kubectl delete pod`, the operator removing the Deployment), as a kubelet would.
async fn reap(client: Client, registries: Registries) {
    let pods: Api<Pod> = Api::all(client);
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        if let Ok(list) = pods.list(&ListParams::default()).await {
            let live: std::collections::HashSet<String> = list
                .items
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter_map(|p| p.uid())
                .collect();
            registries.retain(|uid| live.contains(uid));
        }
    }
}

/// Runs the simulation, logging a failure.
pub async fn run_logged(client: Client, logs: PodLogs, registries: Registries) {
    if let Err(e) = run(client, logs, registries).await {
        tracing::error!(error = %e, "the workload simulation stopped");
    }
}

pub(crate) fn retry(e: &impl std::fmt::Display) -> Action {
    tracing::debug!(error = %e, "workload simulation: retrying");
    Action::requeue(Duration::from_secs(1))
}

/// A short stable hash of a pod template: pods made from another template are replaced.
pub(crate) fn template_hash(template: &impl serde::Serialize) -> String {
    let template = serde_json::to_string(template).unwrap_or_default();
    let mut h: u64 = 0xcbf29ce484222325;
    for b in template.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:010x}", h % 0xff_ffff_ffff)
}

pub(crate) fn pod_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

async fn reconcile_deployment(d: Arc<Deployment>, ctx: Arc<Ctx>) -> Result<Action, Error> {
    let ns = d.namespace().unwrap_or_default();
    let name = d.name_any();
    let pods: Api<Pod> = Api::namespaced(ctx.client.clone(), &ns);
    let uid = d.uid().unwrap_or_default();
    let hash = template_hash(&d.spec.template);
    let want = d.spec.replicas.unwrap_or(1).max(0) as usize;
    let recreate = d.spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let owned: Vec<Pod> = owned_pods(&pods, &uid).await?;
    let (current, old): (Vec<Pod>, Vec<Pod>) = owned
        .into_iter()
        .partition(|p| p.labels().get("pod-template-hash") == Some(&hash));
    let mut next_check: Option<Duration> = None;
    // Old pods go first with Recreate, and once the new ones are ready with RollingUpdate.
    let current_ready = current.iter().filter(|p| pod_ready(p)).count();
    if recreate || current_ready >= want {
        for p in &old {
            pods.delete(&p.name_any(), &DeleteParams::default()).await?;
        }
    }
    // The registry's pods run the real registry when it is installed.
    let real = name == REGISTRY_DEPLOYMENT && ctx.registries.available().is_ok();
    let may_start = !recreate || old.is_empty();
    if may_start {
        for _ in current.len()..want {
            let pod = new_pod(&d, &hash, current.len());
            let created = pods.create(&PostParams::default(), &pod).await?;
            if !real {
                ctx.logs.append(
                    &ns,
                    &created.name_any(),
                    &log_line("info", "container created, pulling image", &d),
                );
            }
            next_check = Some(STARTUP);
        }
        for p in current.iter().skip(want) {
            pods.delete(&p.name_any(), &DeleteParams::default()).await?;
        }
    }
    if real {
        for p in current.iter().take(want) {
            if !ctx.registries.running(&p.uid().unwrap_or_default()) {
                start_registry(&ctx, p).await?;
                next_check = Some(PROBE);
            }
        }
    }
    for p in current.iter().take(want).filter(|p| !pod_ready(p)) {
        let ready_at = p
            .annotations()
            .get(READY_AT)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let now = Utc::now();
        match ready_at {
            Some(at) if at > now => {
                let wait = (at - now).to_std().unwrap_or(STARTUP);
                next_check = Some(next_check.map_or(wait, |n| n.min(wait)));
            }
            // The readiness probe: the process answers its health check.
            _ if real && !ctx.registries.healthy(&p.uid().unwrap_or_default()).await => {
                next_check = Some(PROBE);
            }
            _ => start_pod(&ctx, &pods, p, &d).await?,
        }
    }
    // Status from what the pods say now.
    let refreshed: Vec<Pod> = owned_pods(&pods, &uid).await?;
    let ready = refreshed.iter().filter(|p| pod_ready(p)).count() as i32;
    let updated = refreshed
        .iter()
        .filter(|p| p.labels().get("pod-template-hash") == Some(&hash))
        .count() as i32;
    let total = refreshed.len() as i32;
    let complete = ready as usize >= want && updated as usize >= want && total as usize == want;
    let now = timestamp::now();
    let status = json!({
        "observedGeneration": d.metadata.generation,
        "replicas": total,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": ready,
        "unavailableReplicas": (want as i32 - ready).max(0),
        "conditions": [
            { "type": "Available", "status": if ready > 0 || want == 0 { "True" } else { "False" }, "reason": if ready > 0 { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" }, "message": format!("{ready} of {want} replicas available"), "lastUpdateTime": now, "lastTransitionTime": now },
            { "type": "Progressing", "status": "True", "reason": if complete { "NewReplicaSetAvailable" } else { "ReplicaSetUpdated" }, "message": if complete { format!("Deployment \"{name}\" has successfully progressed.") } else { format!("Deployment \"{name}\" is progressing.") }, "lastUpdateTime": now, "lastTransitionTime": now }
        ]
    });
    let old_status = serde_json::to_value(&d.status).unwrap_or(Value::Null);
    let same = [
        "observedGeneration",
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
    ]
    .iter()
    .all(|k| {
        old_status.get(*k).cloned().unwrap_or(json!(0))
            == status.get(*k).cloned().unwrap_or(json!(0))
    });
    if !same {
        let deployments: Api<Deployment> = Api::namespaced(ctx.client.clone(), &ns);
        deployments
            .patch_status(
                &name,
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": status })),
            )
            .await?;
    }
    Ok(match next_check {
        Some(wait) => Action::requeue(wait),
        None if !complete => Action::requeue(Duration::from_millis(500)),
        None => Action::requeue(Duration::from_secs(60)),
    })
}

/// Starts the registry process of a registry pod, with the pod's settings and volume: its
/// claim's volume (kept across pods) or an emptyDir of its own.
async fn start_registry(ctx: &Ctx, p: &Pod) -> Result<(), Error> {
    let ns = p.namespace().unwrap_or_default();
    let spec = p.spec.clone().unwrap_or_default();
    let env = spec
        .containers
        .first()
        .and_then(|c| c.env.clone())
        .unwrap_or_default();
    let claim = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name == "registry-storage")
        .and_then(|v| v.persistent_volume_claim.as_ref())
        .map(|c| c.claim_name.clone());
    let volume = match claim {
        Some(claim) => {
            let pvc = Api::<k8s_openapi::api::core::v1::PersistentVolumeClaim>::namespaced(
                ctx.client.clone(),
                &ns,
            )
            .get_opt(&claim)
            .await?;
            let bound = pvc.and_then(|c| c.spec).and_then(|s| s.volume_name);
            Volume::Persistent(bound.unwrap_or_else(|| format!("{ns}-{claim}")))
        }
        None => Volume::Scratch,
    };
    let uid = p.uid().unwrap_or_default();
    if let Err(e) =
        ctx.registries
            .start(&ns, &p.name_any(), &uid, &Settings::from_env(&env), volume)
    {
        ctx.logs.append(
            &ns,
            &p.name_any(),
            &format!("demo: the registry process did not start: {e}"),
        );
    }
    Ok(())
}

/// The pods a deployment owns that are not being deleted.
pub(crate) async fn owned_pods(pods: &Api<Pod>, uid: &str) -> Result<Vec<Pod>, kube::Error> {
    Ok(pods
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter(|p| {
            p.owner_references().iter().any(|o| o.uid == uid)
                && p.metadata.deletion_timestamp.is_none()
        })
        .collect())
}

fn new_pod(d: &Deployment, hash: &str, index: usize) -> Pod {
    let template = d.spec.template.clone();
    // Control-plane workloads (the operator) run on masters, as their node selector says.
    let on_masters = template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.as_ref())
        .is_some_and(|s| s.contains_key("node-role.kubernetes.io/master"));
    let node = if on_masters {
        MASTERS[index % MASTERS.len()]
    } else {
        NODES[index % NODES.len()]
    };
    pod_from_template(
        d,
        template,
        &format!("{}-{}", d.name_any(), &hash[..hash.len().min(10)]),
        &[("pod-template-hash", hash.to_string())],
        node,
        STARTUP,
        "Pending",
    )
}

/// A pod a controller makes from its template: named after `prefix` with a random suffix,
/// the template's labels plus `extra`, bound to `node`, owned by `owner`, and due to be
/// ready (or done) `after` from now (the simulated kubelet reads [`READY_AT`]).
pub(crate) fn pod_from_template<K: Resource<DynamicType = ()>>(
    owner: &K,
    template: k8s_openapi::api::core::v1::PodTemplateSpec,
    prefix: &str,
    extra: &[(&str, String)],
    node: &str,
    after: Duration,
    phase: &str,
) -> Pod {
    let suffix: String = (0..5)
        .map(|_| (b'a' + rand::random::<u8>() % 26) as char)
        .collect();
    let mut labels = template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    for (k, v) in extra {
        labels.insert((*k).into(), v.clone());
    }
    let at = (Utc::now() + chrono::Duration::from_std(after).unwrap_or_default()).to_rfc3339();
    let mut spec = serde_json::to_value(template.spec.unwrap_or_default()).unwrap_or(json!({}));
    spec["nodeName"] = json!(node);
    let meta = owner.meta();
    let owner_ref = owner
        .controller_owner_ref(&())
        .map(|o| serde_json::to_value(o).unwrap_or(Value::Null));
    serde_json::from_value(json!({
        "metadata": {
            "name": format!("{prefix}-{suffix}"),
            "namespace": meta.namespace,
            "labels": labels,
            "annotations": { READY_AT: at },
            "ownerReferences": owner_ref.into_iter().collect::<Vec<_>>()
        },
        "spec": spec,
        "status": { "phase": phase }
    }))
    .expect("a valid pod")
}

fn log_line(level: &str, msg: &str, d: &Deployment) -> String {
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    format!(
        "time=\"{now}\" level={level} msg=\"{msg}\" go.version=go1.13.4 deployment={}",
        d.name_any()
    )
}

fn env_value(d: &Deployment, name: &str) -> Option<String> {
    let containers = d.spec.template.spec.as_ref()?.containers.clone();
    containers
        .iter()
        .flat_map(|c| c.env.clone().unwrap_or_default())
        .find(|e| e.name == name)
        .and_then(|e| e.value)
}

/// The kubelet's report once a pod's containers run: Running, ready, an IP.
pub(crate) async fn mark_running(pods: &Api<Pod>, p: &Pod) -> Result<(), kube::Error> {
    let now = timestamp::now();
    let containers = p
        .spec
        .as_ref()
        .map(|s| s.containers.clone())
        .unwrap_or_default();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| json!({ "name": c.name, "ready": true, "restartCount": 0, "image": c.image, "imageID": format!("{}@sha256:demo", c.image.clone().unwrap_or_default()), "started": true, "state": { "running": { "startedAt": now } } }))
        .collect();
    let status = json!({
        "status": {
            "phase": "Running",
            "podIP": format!("10.128.0.{}", rand::random::<u8>() % 200 + 10),
            "startTime": now,
            "conditions": [
                { "type": "Initialized", "status": "True", "lastTransitionTime": now },
                { "type": "Ready", "status": "True", "lastTransitionTime": now },
                { "type": "ContainersReady", "status": "True", "lastTransitionTime": now },
                { "type": "PodScheduled", "status": "True", "lastTransitionTime": now }
            ],
            "containerStatuses": statuses
        }
    });
    pods.patch_status(
        &p.name_any(),
        &PatchParams::default(),
        &Patch::Merge(status),
    )
    .await?;
    Ok(())
}

async fn start_pod(ctx: &Ctx, pods: &Api<Pod>, p: &Pod, d: &Deployment) -> Result<(), Error> {
    let ns = p.namespace().unwrap_or_default();
    let name = p.name_any();
    mark_running(pods, p).await?;
    if ctx.registries.running(&p.uid().unwrap_or_default()) {
        // The log is the process's own output.
        return Ok(());
    }
    if d.name_any() != REGISTRY_DEPLOYMENT {
        // Another workload (the operator's own Deployment): it says it started.
        ctx.logs.append(
            &ns,
            &name,
            &log_line("info", &format!("starting {}", d.name_any()), d),
        );
        return Ok(());
    }
    let storage = env_value(d, "REGISTRY_STORAGE").unwrap_or_else(|| "filesystem".into());
    let level = env_value(d, "REGISTRY_LOG_LEVEL").unwrap_or_else(|| "info".into());
    for msg in [
        "start registry".to_string(),
        "caching project quota objects with TTL 1m0s".to_string(),
        "redis not configured".to_string(),
        format!("using \"{storage}\" storage driver (log level {level})"),
        "Starting upload purge in 55m0s".to_string(),
        "using openshift blob descriptor cache".to_string(),
        "listening on :5000, tls".to_string(),
    ] {
        ctx.logs.append(&ns, &name, &log_line("info", &msg, d));
    }
    if env_value(d, "REGISTRY_STORAGE_MAINTENANCE_READONLY").is_some() {
        ctx.logs.append(
            &ns,
            &name,
            &log_line(
                "warning",
                "registry is in read-only mode: pushes and deletes are refused",
                d,
            ),
        );
    }
    Ok(())
}

async fn admit_route(route: Arc<Route>, ctx: Arc<Ctx>) -> Result<Action, Error> {
    let ns = route.namespace().unwrap_or_default();
    let name = route.name_any();
    let host = route
        .spec
        .host
        .clone()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| format!("{name}-{ns}.{APPS_DOMAIN}"));
    let admitted = route
        .status
        .as_ref()
        .and_then(|s| s.ingress.first())
        .is_some_and(|i| i.host.as_deref() == Some(host.as_str()));
    if admitted {
        return Ok(Action::await_change());
    }
    let now = timestamp::now();
    let status = json!({ "status": { "ingress": [{
        "host": host,
        "routerName": "default",
        "wildcardPolicy": "None",
        "routerCanonicalHostname": format!("router-default.{APPS_DOMAIN}"),
        "conditions": [{ "type": "Admitted", "status": "True", "lastTransitionTime": now }]
    }] } });
    let api: Api<Route> = Api::namespaced(ctx.client.clone(), &ns);
    api.patch_status(&name, &PatchParams::default(), &Patch::Merge(status))
        .await?;
    Ok(Action::await_change())
}

/// Whether a Job has finished (a `Complete` or `Failed` condition that is true).
pub(crate) fn job_finished(job: &Job) -> bool {
    job.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True")
        })
}

/// A Job runs one pod to completion: the pod is created at once, and after [`JOB_RUN`] it
/// succeeds, writes its log and the Job records its completion.
async fn run_job(job: Arc<Job>, ctx: Arc<Ctx>) -> Result<Action, Error> {
    if job_finished(&job) || job.metadata.deletion_timestamp.is_some() {
        return Ok(Action::await_change());
    }
    let ns = job.namespace().unwrap_or_default();
    let name = job.name_any();
    let uid = job.uid().unwrap_or_default();
    let pods: Api<Pod> = Api::namespaced(ctx.client.clone(), &ns);
    let jobs: Api<Job> = Api::namespaced(ctx.client.clone(), &ns);
    let Some(pod) = owned_pods(&pods, &uid).await?.into_iter().next() else {
        let pod = job_pod(&job);
        let created = pods.create(&PostParams::default(), &pod).await?;
        ctx.logs.append(
            &ns,
            &created.name_any(),
            &format!("{} running: {}", timestamp::now(), command_line(&job)),
        );
        jobs.patch_status(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": { "startTime": timestamp::now(), "active": 1 } })),
        )
        .await?;
        return Ok(Action::requeue(JOB_RUN));
    };
    let done_at = pod
        .annotations()
        .get(READY_AT)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    let now = Utc::now();
    if let Some(at) = done_at.filter(|at| *at > now) {
        return Ok(Action::requeue((at - now).to_std().unwrap_or(JOB_RUN)));
    }
    let pod_name = pod.name_any();
    let finished = timestamp::now();
    let started = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| finished.clone());
    let containers: Vec<Value> = pod
        .spec
        .as_ref()
        .map(|s| s.containers.clone())
        .unwrap_or_default()
        .iter()
        .map(|c| json!({ "name": c.name, "ready": false, "restartCount": 0, "image": c.image, "imageID": format!("{}@sha256:demo", c.image.clone().unwrap_or_default()), "started": false, "state": { "terminated": { "exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": finished } } }))
        .collect();
    pods.patch_status(
        &pod_name,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": {
            "phase": "Succeeded",
            "startTime": started,
            "conditions": [
                { "type": "Initialized", "status": "True", "lastTransitionTime": started },
                { "type": "Ready", "status": "False", "reason": "PodCompleted", "lastTransitionTime": finished },
                { "type": "PodScheduled", "status": "True", "lastTransitionTime": started }
            ],
            "containerStatuses": containers
        } })),
    )
    .await?;
    // The demo cluster holds no images, so there is nothing to prune. Without `--confirm`
    // (or with `--confirm=false`) `oc adm prune images` only says what it would delete.
    let command = command_line(&job);
    if command.contains(" adm prune ") && !command.contains("--confirm=true") {
        ctx.logs.append(
            &ns,
            &pod_name,
            "Dry run enabled - no modifications will be made. Add --confirm to remove images",
        );
        ctx.logs
            .append(&ns, &pod_name, "Summary: would delete 0 objects");
    } else {
        ctx.logs
            .append(&ns, &pod_name, "Summary: deleted 0 objects");
    }
    jobs.patch_status(
        &name,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": {
            "active": null,
            "succeeded": 1,
            "completionTime": finished,
            "conditions": [{ "type": "Complete", "status": "True", "lastProbeTime": finished, "lastTransitionTime": finished }]
        } })),
    )
    .await?;
    if let Some(owner) = job.owner_references().iter().find(|o| o.kind == "CronJob") {
        keep_history(&ctx.client, &ns, &owner.name).await?;
    }
    Ok(Action::await_change())
}

/// The pod of a Job: its template, on a node, due to finish after [`JOB_RUN`].
fn job_pod(job: &Job) -> Pod {
    pod_from_template(
        job,
        job.spec.clone().unwrap_or_default().template,
        &job.name_any(),
        &[
            ("job-name", job.name_any()),
            ("controller-uid", job.uid().unwrap_or_default()),
        ],
        NODES[0],
        JOB_RUN,
        "Running",
    )
}

/// The first container's command line, as its log's first line.
fn command_line(job: &Job) -> String {
    let container = job
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers.first());
    let Some(container) = container else {
        return String::new();
    };
    // A `sh -c SCRIPT NAME` wrapper runs NAME with the args: show that command.
    let command = container.command.clone().unwrap_or_default();
    let program = match command.as_slice() {
        [sh, c, _script, name] if sh.ends_with("sh") && c == "-c" => vec![name.clone()],
        other => other.to_vec(),
    };
    program
        .into_iter()
        .chain(container.args.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the CronJob controller does after a Job of it finishes: only the newest finished
/// Jobs, as many as `successfulJobsHistoryLimit` and `failedJobsHistoryLimit` say, are kept.
async fn keep_history(client: &Client, ns: &str, cron_job: &str) -> Result<(), Error> {
    let Some(cj) = Api::<CronJob>::namespaced(client.clone(), ns)
        .get_opt(cron_job)
        .await?
    else {
        return Ok(());
    };
    let spec = cj.spec.clone();
    let uid = cj.uid().unwrap_or_default();
    let jobs: Api<Job> = Api::namespaced(client.clone(), ns);
    let mut finished: Vec<Job> = jobs
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter(|j| j.owner_references().iter().any(|o| o.uid == uid) && job_finished(j))
        .collect();
    finished.sort_by_key(|j| std::cmp::Reverse(j.creation_timestamp().map(|t| t.0)));
    let failed = |j: &Job| {
        j.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Failed" && c.status == "True"))
    };
    let (bad, good): (Vec<Job>, Vec<Job>) = finished.into_iter().partition(failed);
    let limit = |l: Option<i32>, default: i32| l.unwrap_or(default).max(0) as usize;
    let surplus = good
        .iter()
        .skip(limit(spec.successful_jobs_history_limit, 3))
        .chain(bad.iter().skip(limit(spec.failed_jobs_history_limit, 1)));
    for job in surplus {
        match jobs
            .delete(&job.name_any(), &DeleteParams::background())
            .await
        {
            Ok(_) | Err(kube::Error::Api(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
