//! What the DaemonSet controller and the kubelet do in a real cluster, simulated: one pod on
//! every node the pod template's node selector matches, ready after a short delay, replaced
//! when the template changes. The operator's `node-ca` DaemonSet is the one the console
//! shows (guide 5.3 lists its pods).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::watcher;
use kube::{Client, ResourceExt};
use serde_json::json;

use crate::workloads::{
    READY_AT, STARTUP, mark_running, owned_pods, pod_from_template, pod_ready, retry, template_hash,
};

/// The label a DaemonSet's pods carry with their template's hash.
const REVISION: &str = "controller-revision-hash";

/// Runs the simulation until the API goes away.
pub async fn run(client: Client) {
    Controller::new(
        Api::<DaemonSet>::all(client.clone()),
        watcher::Config::default(),
    )
    .owns(Api::<Pod>::all(client.clone()), watcher::Config::default())
    .run(reconcile, |_, e, _| retry(e), Arc::new(client))
    .for_each(|_| async {})
    .await;
}

/// Whether a node's labels satisfy a node selector.
fn selects(selector: &BTreeMap<String, String>, node: &Node) -> bool {
    let labels = node.labels();
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

async fn reconcile(ds: Arc<DaemonSet>, client: Arc<Client>) -> Result<Action, kube::Error> {
    let client = (*client).clone();
    let ns = ds.namespace().unwrap_or_default();
    let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let spec = ds.spec.clone();
    let hash = template_hash(&spec.template);
    let selector = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.node_selector.clone())
        .unwrap_or_default();
    let nodes: Vec<String> = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await?
        .items
        .iter()
        .filter(|n| selects(&selector, n))
        .map(ResourceExt::name_any)
        .collect();
    let owned = owned_pods(&pods, &ds.uid().unwrap_or_default()).await?;
    let mut next_check: Option<Duration> = None;
    let mut placed: Vec<String> = Vec::new();
    for p in &owned {
        let node = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        let current = p.labels().get(REVISION) == Some(&hash);
        if !current || !nodes.contains(&node) || placed.contains(&node) {
            pods.delete(&p.name_any(), &DeleteParams::default()).await?;
            continue;
        }
        placed.push(node);
        if !pod_ready(p) {
            let ready_at = p
                .annotations()
                .get(READY_AT)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc));
            match ready_at {
                Some(at) if at > Utc::now() => {
                    next_check = Some((at - Utc::now()).to_std().unwrap_or(STARTUP));
                }
                _ => mark_running(&pods, p).await?,
            }
        }
    }
    for node in nodes.iter().filter(|n| !placed.contains(n)) {
        pods.create(&PostParams::default(), &new_pod(&ds, &hash, node))
            .await?;
        next_check = Some(STARTUP);
    }
    let now_owned = owned_pods(&pods, &ds.uid().unwrap_or_default()).await?;
    let ready = now_owned.iter().filter(|p| pod_ready(p)).count();
    let status = json!({
        "observedGeneration": ds.metadata.generation,
        "desiredNumberScheduled": nodes.len(),
        "currentNumberScheduled": now_owned.len(),
        "updatedNumberScheduled": now_owned.iter().filter(|p| p.labels().get(REVISION) == Some(&hash)).count(),
        "numberReady": ready,
        "numberAvailable": ready,
        "numberUnavailable": nodes.len().saturating_sub(ready),
        "numberMisscheduled": 0
    });
    if serde_json::to_value(&ds.status).ok().as_ref() != Some(&status) {
        Api::<DaemonSet>::namespaced(client, &ns)
            .patch_status(
                &ds.name_any(),
                &PatchParams::default(),
                &Patch::Merge(json!({ "status": status })),
            )
            .await?;
    }
    Ok(match next_check {
        Some(wait) => Action::requeue(wait),
        None => Action::requeue(Duration::from_secs(60)),
    })
}

fn new_pod(ds: &DaemonSet, hash: &str, node: &str) -> Pod {
    pod_from_template(
        ds,
        ds.spec.template.clone(),
        &ds.name_any(),
        &[(REVISION, hash.to_string())],
        node,
        STARTUP,
        "Pending",
    )
}
