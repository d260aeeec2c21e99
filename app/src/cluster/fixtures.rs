//! Cluster objects for tests, built rather than copied: each builder starts from what a
//! fresh bare-metal install has and changes one thing.

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateWaiting, ContainerStatus, PersistentVolumeClaim, Pod,
    PodCondition, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use registry_model::cluster_operator::{ClusterOperatorCondition, ClusterOperatorStatus};
use registry_model::image_config::{ImageSpec, ImageStatus};
use registry_model::registry_config::{
    ConfigSpec, ConfigStatus, EmptyDir, ManagementState, PvcStorage, Storage,
};
use registry_model::route::{RouteIngress, RouteSpec, RouteStatus, RouteTargetReference};
use registry_model::{ClusterOperator, Condition, ConditionStatus, Config, Image, Route};

use crate::overview::snapshot::{Part, Snapshot};

pub const T0: &str = "2026-11-25T10:00:00Z";

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        resource_version: Some("7".into()),
        ..ObjectMeta::default()
    }
}

fn condition(type_: &str, status: ConditionStatus, reason: &str, message: &str) -> Condition {
    Condition {
        type_: type_.into(),
        status,
        last_transition_time: T0.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
    }
}

/// `configs.imageregistry/cluster` as the installer leaves it on bare metal.
pub fn removed_config() -> Config {
    let mut config = Config::new(
        "cluster",
        ConfigSpec {
            management_state: Some(ManagementState::Removed),
            replicas: 1,
            ..ConfigSpec::default()
        },
    );
    config.metadata = meta("cluster");
    config.status = Some(ConfigStatus {
        conditions: vec![
            condition(
                "Removed",
                ConditionStatus::True,
                "Removed",
                "The registry is removed",
            ),
            condition(
                "Available",
                ConditionStatus::True,
                "Removed",
                "The registry is removed",
            ),
            condition(
                "Progressing",
                ConditionStatus::False,
                "Removed",
                "All registry resources are removed",
            ),
            condition(
                "Degraded",
                ConditionStatus::False,
                "Removed",
                "The registry is removed",
            ),
        ],
        ..ConfigStatus::default()
    });
    config
}

/// Changes to a fixture config, one thing each: `removed_config().managed().on(storage)`.
pub trait ConfigFixture {
    fn state(self, state: ManagementState) -> Self;
    fn on(self, storage: Storage) -> Self;
    fn replicas(self, replicas: i32) -> Self;
    /// Managed: the operator runs the registry.
    fn managed(self) -> Self;
}

impl ConfigFixture for Config {
    fn state(mut self, state: ManagementState) -> Self {
        self.spec.management_state = Some(state);
        self
    }

    fn on(mut self, storage: Storage) -> Self {
        self.spec.storage = Some(storage);
        self
    }

    fn replicas(mut self, replicas: i32) -> Self {
        self.spec.replicas = replicas;
        self
    }

    fn managed(self) -> Self {
        self.state(ManagementState::Managed)
    }
}

pub fn pvc_storage(claim: &str) -> Storage {
    Storage {
        pvc: Some(PvcStorage {
            claim: Some(claim.into()),
        }),
        ..Storage::default()
    }
}

pub fn empty_dir_storage() -> Storage {
    Storage {
        empty_dir: Some(EmptyDir {}),
        ..Storage::default()
    }
}

/// `clusteroperator/image-registry` with the given `(type, status, reason)` conditions.
pub fn operator(conditions: &[(&str, &str, &str)]) -> ClusterOperator {
    let mut operator = ClusterOperator::new("image-registry", Default::default());
    operator.metadata = meta("image-registry");
    operator.status = Some(ClusterOperatorStatus {
        conditions: conditions
            .iter()
            .map(|(type_, status, reason)| ClusterOperatorCondition {
                type_: (*type_).into(),
                status: (*status).into(),
                last_transition_time: T0.into(),
                reason: Some((*reason).into()),
                message: Some(format!("{type_} is {status} because {reason}")),
            })
            .collect(),
        ..ClusterOperatorStatus::default()
    });
    operator
}

pub fn removed_operator() -> ClusterOperator {
    operator(&[
        ("Available", "True", "Removed"),
        ("Progressing", "False", "Removed"),
        ("Degraded", "False", "Removed"),
    ])
}

pub fn image(internal_hostname: Option<&str>) -> Image {
    let mut image = Image::new("cluster", ImageSpec::default());
    image.metadata = meta("cluster");
    image.status = Some(ImageStatus {
        internal_registry_hostname: internal_hostname.map(str::to_owned),
        ..ImageStatus::default()
    });
    image
}

/// A registry pod that is running and ready, created at [`T0`]; [`PodFixture`] changes it.
pub fn pod(name: &str) -> Pod {
    let created: Time = serde_json::from_value(serde_json::json!(T0)).unwrap();
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            creation_timestamp: Some(created),
            ..ObjectMeta::default()
        },
        spec: None,
        status: Some(PodStatus {
            phase: Some("Running".into()),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..PodCondition::default()
            }]),
            container_statuses: Some(vec![ContainerStatus {
                name: "registry".into(),
                ready: true,
                ..ContainerStatus::default()
            }]),
            ..PodStatus::default()
        }),
    }
}

/// Changes to a fixture pod: `pod("a").waiting("ContainerCreating").restarts(3)`.
pub trait PodFixture {
    /// Not ready: Pending, its container waiting for `reason`.
    fn waiting(self, reason: &str) -> Self;
    fn restarts(self, restarts: i32) -> Self;
    /// Ready or not; a pod that is not is Pending.
    fn ready_if(self, ready: bool) -> Self;
}

impl PodFixture for Pod {
    fn waiting(self, reason: &str) -> Self {
        let mut pod = self.ready_if(false);
        let container = &mut pod
            .status
            .as_mut()
            .unwrap()
            .container_statuses
            .as_mut()
            .unwrap()[0];
        container.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.into()),
                message: None,
            }),
            ..ContainerState::default()
        });
        pod
    }

    fn restarts(mut self, restarts: i32) -> Self {
        let status = self.status.as_mut().unwrap();
        status.container_statuses.as_mut().unwrap()[0].restart_count = restarts;
        self
    }

    fn ready_if(mut self, ready: bool) -> Self {
        let status = self.status.as_mut().unwrap();
        status.phase = Some(if ready { "Running" } else { "Pending" }.into());
        status.conditions.as_mut().unwrap()[0].status = if ready { "True" } else { "False" }.into();
        status.container_statuses.as_mut().unwrap()[0].ready = ready;
        self
    }
}

pub fn route(name: &str, service: &str, host: &str) -> Route {
    let mut route = Route::new(
        name,
        RouteSpec {
            to: RouteTargetReference {
                kind: "Service".into(),
                name: service.into(),
                weight: None,
            },
            ..RouteSpec::default()
        },
    );
    route.metadata = meta(name);
    route.status = Some(RouteStatus {
        ingress: vec![RouteIngress {
            host: Some(host.into()),
            ..RouteIngress::default()
        }],
    });
    route
}

/// What a fresh bare-metal cluster shows: Removed, no storage, no pods, no routes.
pub fn fresh_install() -> Snapshot {
    Snapshot {
        config: Part::Found(removed_config()),
        operator: Part::Found(removed_operator()),
        image: Part::Found(image(None)),
        pods: Part::Found(vec![]),
        routes: Part::Found(vec![]),
        claims: Part::Found(vec![]),
        credentials: Part::Missing,
        cluster_credentials: Part::Missing,
    }
}

/// A claim in `openshift-image-registry` with the given access modes and requested size.
pub fn claim(name: &str, modes: &[&str], size: &str) -> PersistentVolumeClaim {
    serde_json::from_value(serde_json::json!({
        "metadata": { "name": name, "namespace": "openshift-image-registry" },
        "spec": { "accessModes": modes, "resources": { "requests": { "storage": size } } }
    }))
    .unwrap()
}
