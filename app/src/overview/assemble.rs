//! Turning the cluster's objects into the overview: pure functions of a snapshot and `now`.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use registry_model::ClusterOperator;
use registry_model::names::{REGISTRY_DEPLOYMENT, REGISTRY_NAMESPACE};
use registry_model::registry_config::{ManagementState, Storage, StorageKind};
use registry_model::{Condition, Config, Route};

use crate::i18n::{Phrase, said};
use crate::overview::view::{
    ConditionView, Overview, PodView, ReplicaSummary, RouteView, StorageSummary,
};

use super::snapshot::{Part, Snapshot};
use super::{doctor, guidance};

/// The overview of `snapshot` as of `now`.
pub fn assemble(snapshot: &Snapshot, now: DateTime<Utc>) -> Overview {
    let config = snapshot.config.found();
    let mut overview = Overview {
        generated_at: now,
        management_state: config.and_then(Config::management_state),
        resource_version: config.and_then(|c| c.metadata.resource_version.clone()),
        storage: config
            .map(|c| storage(c, snapshot.claims.found().map(Vec::as_slice)))
            .unwrap_or_default(),
        replicas: config.map(|c| replicas(c, snapshot)).unwrap_or_default(),
        operator_conditions: snapshot
            .operator
            .found()
            .map(operator_conditions)
            .unwrap_or_default(),
        config_conditions: config
            .and_then(|c| c.status.as_ref())
            .map(|status| config_conditions(&status.conditions))
            .unwrap_or_default(),
        pods: snapshot
            .pods
            .found()
            .map(|pods| pod_views(pods))
            .unwrap_or_default(),
        internal_hostname: snapshot
            .image
            .found()
            .and_then(|image| image.status.as_ref())
            .and_then(|status| status.internal_registry_hostname.clone())
            .filter(|host| !host.is_empty()),
        routes: snapshot
            .routes
            .found()
            .map(|routes| route_views(routes))
            .unwrap_or_default(),
        guidance: Vec::new(),
        doctor: Default::default(),
        unreadable: unreadable(snapshot),
    };
    // The doctor first: the first-run guide says what it found about the storage.
    overview.doctor = doctor::examine(snapshot, &overview);
    overview.guidance = guidance::advise(&overview, matches!(snapshot.config, Part::Missing));
    overview
}

/// The storage summary; `claims` (when readable) give a claim's size, so that what Removed
/// would delete is named with how much it holds.
fn storage(config: &Config, claims: Option<&[PersistentVolumeClaim]>) -> StorageSummary {
    let spec = config.spec.storage.as_ref();
    let kinds = spec.map(Storage::kinds).unwrap_or_default();
    let location = match (spec, kinds.as_slice()) {
        (Some(storage), [kind]) => location(storage, *kind, claims),
        _ => None,
    };
    // Without a provider in the spec there is nothing the state could be about (the status
    // may still hold an earlier storage's).
    let management = spec
        .and_then(|s| s.management_state)
        .or_else(|| {
            config
                .status
                .as_ref()
                .and_then(|s| s.storage.management_state)
        })
        .filter(|_| !kinds.is_empty())
        .map(|m| m.to_string());
    StorageSummary {
        kinds: kinds.iter().map(|kind| kind.label().to_owned()).collect(),
        location,
        management,
    }
}

/// Where one provider block points, in the words its own tools use.
fn location(
    storage: &Storage,
    kind: StorageKind,
    claims: Option<&[PersistentVolumeClaim]>,
) -> Option<Phrase> {
    let non_empty = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    match kind {
        StorageKind::EmptyDir => Some(said::overview::location_empty_dir()),
        StorageKind::Pvc => Some(
            match storage.pvc.as_ref().and_then(|p| non_empty(&p.claim)) {
                Some(claim) => {
                    let size = claims
                        .into_iter()
                        .flatten()
                        .find(|c| c.metadata.name.as_deref() == Some(claim.as_str()))
                        .and_then(|c| crate::cluster::claims::claim_summary(c).size);
                    match size {
                        Some(size) => {
                            said::overview::location_claim_sized(REGISTRY_NAMESPACE, claim, size)
                        }
                        None => said::overview::location_claim(REGISTRY_NAMESPACE, claim),
                    }
                }
                None => said::overview::location_claim_to_create(),
            },
        ),
        StorageKind::S3 => storage.s3.as_ref().and_then(|s3| {
            let bucket = non_empty(&s3.bucket)?;
            let place = non_empty(&s3.region_endpoint).or_else(|| non_empty(&s3.region));
            Some(match place {
                Some(place) => said::overview::location_s3_at(bucket, place),
                None => said::overview::location_s3(bucket),
            })
        }),
        StorageKind::Gcs => storage
            .gcs
            .as_ref()
            .and_then(|gcs| non_empty(&gcs.bucket))
            .map(said::overview::location_gcs),
        StorageKind::Azure => storage.azure.as_ref().and_then(|azure| {
            let account = non_empty(&azure.account_name)?;
            let container = non_empty(&azure.container).unwrap_or_default();
            Some(said::overview::location_azure(account, container))
        }),
        StorageKind::Swift => storage
            .swift
            .as_ref()
            .and_then(|swift| non_empty(&swift.container))
            .map(said::overview::location_swift),
        StorageKind::IbmCos => storage
            .ibmcos
            .as_ref()
            .and_then(|cos| non_empty(&cos.bucket))
            .map(said::overview::location_bucket),
    }
}

fn replicas(config: &Config, snapshot: &Snapshot) -> ReplicaSummary {
    // Removed means the operator wants no pods, whatever `spec.replicas` says.
    let desired = match config.management_state() {
        Some(ManagementState::Removed) => 0,
        _ => config.spec.replicas,
    };
    let ready_pods = snapshot.pods.found().map(|pods| {
        let ready = pods.iter().filter(|pod| pod_is_ready(pod)).count();
        i32::try_from(ready).unwrap_or(i32::MAX)
    });
    let reported = config.status.as_ref().and_then(|s| s.ready_replicas);
    ReplicaSummary {
        desired: Some(desired),
        ready: reported.or(ready_pods),
    }
}

/// Sorts conditions the way people read them: the three that matter first.
fn order(type_: &str) -> (usize, String) {
    let rank = ["Available", "Progressing", "Degraded", "Removed"]
        .iter()
        .position(|t| *t == type_)
        .unwrap_or(usize::MAX);
    (rank, type_.to_owned())
}

fn operator_conditions(operator: &ClusterOperator) -> Vec<ConditionView> {
    let mut views: Vec<_> = operator
        .status
        .iter()
        .flat_map(|status| &status.conditions)
        .map(ConditionView::from)
        .collect();
    views.sort_by_key(|c| order(&c.type_));
    views
}

fn config_conditions(conditions: &[Condition]) -> Vec<ConditionView> {
    let mut views: Vec<_> = conditions.iter().map(ConditionView::from).collect();
    views.sort_by_key(|c| order(&c.type_));
    views
}

fn pod_is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|conditions| {
            conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
}

fn pod_views(pods: &[Pod]) -> Vec<PodView> {
    let mut views: Vec<_> = pods.iter().map(pod_view).collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));
    views
}

/// One pod as `oc get pods` prints it.
fn pod_view(pod: &Pod) -> PodView {
    let status = pod.status.as_ref();
    let containers = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or_default();
    let total = pod
        .spec
        .as_ref()
        .map_or(containers.len(), |spec| spec.containers.len());
    let ready = containers.iter().filter(|c| c.ready).count();
    let restarts = containers.iter().map(|c| c.restart_count).sum();
    let waiting = containers.iter().find_map(|c| {
        c.state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
    });
    let shown_status = if pod.metadata.deletion_timestamp.is_some() {
        "Terminating".to_owned()
    } else if let Some(reason) = waiting {
        reason
    } else {
        status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into())
    };
    PodView {
        name: pod.metadata.name.clone().unwrap_or_default(),
        ready: format!("{ready}/{total}"),
        status: shown_status,
        restarts,
        created: pod
            .metadata
            .creation_timestamp
            .as_ref()
            .and_then(|t| crate::time::from_k8s(t.0)),
    }
}

fn route_views(routes: &[Route]) -> Vec<RouteView> {
    let mut views: Vec<_> = routes
        .iter()
        .filter(|route| route.spec.to.name == REGISTRY_DEPLOYMENT)
        .map(|route| RouteView {
            name: route.metadata.name.clone().unwrap_or_default(),
            host: route
                .status
                .as_ref()
                .and_then(|s| s.ingress.iter().find_map(|i| i.host.clone()))
                .or_else(|| route.spec.host.clone())
                .filter(|h| !h.is_empty()),
            custom_certificate: route
                .spec
                .tls
                .as_ref()
                .and_then(|tls| tls.certificate.as_deref())
                .is_some_and(|cert| !cert.trim().is_empty()),
        })
        .collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));
    views
}

fn unreadable(snapshot: &Snapshot) -> Vec<Phrase> {
    // Each with the API's own words, as it said them.
    type Says = fn(&str) -> Phrase;
    let parts: [(Says, Option<&str>); 5] = [
        (
            |m| said::overview::unreadable_config(m),
            forbidden(&snapshot.config),
        ),
        (
            |m| said::overview::unreadable_operator(m),
            forbidden(&snapshot.operator),
        ),
        (
            |m| said::overview::unreadable_image(m),
            forbidden(&snapshot.image),
        ),
        (
            |m| said::overview::unreadable_pods(m),
            forbidden(&snapshot.pods),
        ),
        (
            |m| said::overview::unreadable_routes(m),
            forbidden(&snapshot.routes),
        ),
    ];
    parts
        .into_iter()
        .filter_map(|(says, message)| message.map(says))
        .collect()
}

fn forbidden<T>(part: &Part<T>) -> Option<&str> {
    match part {
        Part::Forbidden(message) => Some(message),
        Part::Found(_) | Part::Missing => None,
    }
}

#[cfg(test)]
#[path = "assemble_tests.rs"]
mod tests;
