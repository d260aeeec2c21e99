//! What the PersistentVolume controller and a volume provisioner do in a real cluster,
//! simulated: a claim binds to an Available volume that fits it (its class, access modes
//! and size; the smallest such volume, or the one it names), or, when its class has a
//! provisioner, to a volume made for it; a volume whose claim is gone is deleted (reclaim
//! policy Delete) or Released (Retain). Guide 3.4.6 provisions a volume by hand and claims
//! it; the operator's `image-registry-storage` claim is provisioned.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Client, ResourceExt};
use registry_model::quantity::quantity_bytes;
use serde_json::json;

use crate::workloads::retry;

/// The class a claim without one gets: the seeded default StorageClass.
const DEFAULT_CLASS: &str = "standard";

/// Runs the simulation until the API goes away.
pub async fn run(client: Client) {
    let ctx = Arc::new(client.clone());
    let claims = Controller::new(
        Api::<PersistentVolumeClaim>::all(client.clone()),
        watcher::Config::default(),
    )
    .run(bind_claim, |_, e, _| retry(e), ctx.clone())
    .for_each(|_| async {});
    let volumes = Controller::new(
        Api::<PersistentVolume>::all(client.clone()),
        watcher::Config::default(),
    )
    // A claim deleted releases its volume.
    .watches(
        Api::<PersistentVolumeClaim>::all(client.clone()),
        watcher::Config::default(),
        |pvc: PersistentVolumeClaim| {
            pvc.spec
                .and_then(|s| s.volume_name)
                .map(|v| ObjectRef::<PersistentVolume>::new(&v))
        },
    )
    .run(reclaim_volume, |_, e, _| retry(e), ctx)
    .for_each(|_| async {});
    futures::join!(claims, volumes);
}

fn phase_of(status: Option<&str>) -> &str {
    status.unwrap_or("")
}

fn size(q: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>) -> u64 {
    q.and_then(|q| quantity_bytes(&q.0)).unwrap_or(0)
}

/// Whether a volume may hold a claim: its class, every access mode asked for, enough room,
/// and not promised to another claim.
fn fits(pv: &PersistentVolume, pvc: &PersistentVolumeClaim, class: &str) -> bool {
    let (Some(spec), Some(want)) = (pv.spec.as_ref(), pvc.spec.as_ref()) else {
        return false;
    };
    let modes = spec.access_modes.clone().unwrap_or_default();
    let requested = size(
        want.resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage")),
    );
    let capacity = size(spec.capacity.as_ref().and_then(|c| c.get("storage")));
    let claimed_by_other = spec.claim_ref.as_ref().is_some_and(|r| {
        r.name.as_deref() != Some(&pvc.name_any())
            || r.namespace.as_deref() != pvc.namespace().as_deref()
    });
    spec.storage_class_name.as_deref().unwrap_or("") == class
        && want
            .access_modes
            .iter()
            .flatten()
            .all(|m| modes.contains(m))
        && capacity >= requested
        && !claimed_by_other
}

async fn bind_claim(
    pvc: Arc<PersistentVolumeClaim>,
    client: Arc<Client>,
) -> Result<Action, kube::Error> {
    let client = (*client).clone();
    let phase = pvc.status.as_ref().and_then(|s| s.phase.as_deref());
    if phase_of(phase) == "Bound" {
        return Ok(Action::await_change());
    }
    let ns = pvc.namespace().unwrap_or_default();
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), &ns);
    let volumes: Api<PersistentVolume> = Api::all(client.clone());
    let spec = pvc.spec.clone().unwrap_or_default();
    // The default class, as the admission plugin gives it to a claim that names none.
    let class = spec
        .storage_class_name
        .clone()
        .unwrap_or_else(|| DEFAULT_CLASS.into());
    let chosen = match spec.volume_name.as_deref() {
        Some(name) => volumes.get_opt(name).await?,
        None => {
            let mut candidates: Vec<PersistentVolume> = volumes
                .list(&ListParams::default())
                .await?
                .items
                .into_iter()
                .filter(|pv| {
                    phase_of(pv.status.as_ref().and_then(|s| s.phase.as_deref())) == "Available"
                        && fits(pv, &pvc, &class)
                })
                .collect();
            candidates.sort_by_key(|pv| {
                size(
                    pv.spec
                        .as_ref()
                        .and_then(|s| s.capacity.as_ref())
                        .and_then(|c| c.get("storage")),
                )
            });
            candidates.into_iter().next()
        }
    };
    let volume = match chosen {
        Some(pv) if fits(&pv, &pvc, &class) => pv,
        // A volume it names that is not there, or no volume that fits: the class's
        // provisioner makes one; without a provisioner the claim waits, Pending.
        _ => match provision(&client, &pvc, &class).await? {
            Some(pv) => pv,
            None => return Ok(Action::requeue(Duration::from_secs(5))),
        },
    };
    let name = volume.name_any();
    volumes
        .patch(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "spec": { "claimRef": {
                "kind": "PersistentVolumeClaim", "apiVersion": "v1",
                "namespace": ns, "name": pvc.name_any(), "uid": pvc.uid()
            } } })),
        )
        .await?;
    volumes
        .patch_status(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": { "phase": "Bound" } })),
        )
        .await?;
    claims
        .patch(
            &pvc.name_any(),
            &PatchParams::default(),
            &Patch::Merge(json!({
                "metadata": { "annotations": { "pv.kubernetes.io/bind-completed": "yes" } },
                "spec": { "volumeName": name, "storageClassName": class }
            })),
        )
        .await?;
    let pv_spec = volume.spec.unwrap_or_default();
    claims
        .patch_status(
            &pvc.name_any(),
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": {
                "phase": "Bound",
                "accessModes": pv_spec.access_modes,
                "capacity": pv_spec.capacity
            } })),
        )
        .await?;
    Ok(Action::await_change())
}

/// A volume made for a claim by its class's provisioner, or `None` when the class has none
/// (`""`, or a class that does not exist).
async fn provision(
    client: &Client,
    pvc: &PersistentVolumeClaim,
    class: &str,
) -> Result<Option<PersistentVolume>, kube::Error> {
    let Some(sc) = (!class.is_empty())
        .then(|| Api::<StorageClass>::all(client.clone()))
        .map(|api| async move { api.get_opt(class).await })
    else {
        return Ok(None);
    };
    let Some(sc) = sc.await? else {
        return Ok(None);
    };
    let spec = pvc.spec.clone().unwrap_or_default();
    let request = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .map(|q| q.0.clone())
        .unwrap_or_else(|| "1Gi".into());
    let name = spec
        .volume_name
        .clone()
        .unwrap_or_else(|| format!("pvc-{}", pvc.uid().unwrap_or_default()));
    let pv: PersistentVolume = serde_json::from_value(json!({
        "metadata": { "name": name, "annotations": { "pv.kubernetes.io/provisioned-by": sc.provisioner } },
        "spec": {
            "capacity": { "storage": request },
            "accessModes": spec.access_modes,
            "persistentVolumeReclaimPolicy": sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
            "storageClassName": class,
            "hostPath": { "path": format!("/var/lib/demo-volumes/{name}") },
            "claimRef": { "kind": "PersistentVolumeClaim", "apiVersion": "v1", "namespace": pvc.namespace(), "name": pvc.name_any(), "uid": pvc.uid() }
        }
    }))
    .map_err(kube::Error::SerdeError)?;
    let api: Api<PersistentVolume> = Api::all(client.clone());
    match api.create(&PostParams::default(), &pv).await {
        Ok(created) => Ok(Some(created)),
        // Made on an earlier pass.
        Err(kube::Error::Api(e)) if e.code == 409 => api.get_opt(&name).await,
        Err(e) => Err(e),
    }
}

/// A new volume becomes Available; one whose claim is gone is deleted or Released, as its
/// reclaim policy says.
async fn reclaim_volume(
    pv: Arc<PersistentVolume>,
    client: Arc<Client>,
) -> Result<Action, kube::Error> {
    let client = (*client).clone();
    let volumes: Api<PersistentVolume> = Api::all(client.clone());
    let name = pv.name_any();
    let phase = phase_of(pv.status.as_ref().and_then(|s| s.phase.as_deref())).to_string();
    let spec = pv.spec.clone().unwrap_or_default();
    // At the version read: a claim's binder may have moved the volume meanwhile, and then
    // this pass is retried on what it wrote instead of overwriting it.
    let version = pv.resource_version();
    let set_phase = |phase: &'static str| {
        let volumes = volumes.clone();
        let name = name.clone();
        let patch =
            json!({ "metadata": { "resourceVersion": version }, "status": { "phase": phase } });
        async move {
            volumes
                .patch_status(&name, &PatchParams::default(), &Patch::Merge(patch))
                .await
                .map(drop)
        }
    };
    let Some(claim_ref) = spec.claim_ref else {
        if phase != "Available" && phase != "Released" {
            set_phase("Available").await?;
        }
        return Ok(Action::await_change());
    };
    let claim = Api::<PersistentVolumeClaim>::namespaced(
        client.clone(),
        claim_ref.namespace.as_deref().unwrap_or_default(),
    )
    .get_opt(claim_ref.name.as_deref().unwrap_or_default())
    .await?;
    let same_claim = claim
        .as_ref()
        .is_some_and(|c| claim_ref.uid.is_none() || c.uid() == claim_ref.uid);
    if same_claim {
        // Its claim's binder finishes what it started.
        return Ok(Action::await_change());
    }
    if phase != "Bound" {
        // Promised to a claim not made yet (a claim made after its volume, as in 3.4.6).
        if phase.is_empty() || phase == "Pending" {
            set_phase("Available").await?;
        }
        return Ok(Action::requeue(Duration::from_secs(5)));
    }
    match spec.persistent_volume_reclaim_policy.as_deref() {
        Some("Delete") => {
            volumes.delete(&name, &DeleteParams::default()).await?;
        }
        _ => set_phase("Released").await?,
    }
    Ok(Action::await_change())
}
