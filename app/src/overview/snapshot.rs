//! The cluster objects the overview is made of, read with one user's identity.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret};
use kube::Api;
use kube::api::ListParams;
use registry_model::names::{
    CLUSTER_CREDENTIALS_SECRET, CLUSTER_OPERATOR, CREDENTIALS_SECRET, REGISTRY_NAMESPACE,
    REGISTRY_POD_LABEL, SINGLETON,
};
use registry_model::{ClusterOperator, Config, Image, Route};

use crate::cluster::credentials::stored_keys;

/// One piece of the snapshot, as far as the user could read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Part<T> {
    Found(T),
    /// The object does not exist.
    Missing,
    /// The cluster does not let this user read it; the cluster's message.
    Forbidden(String),
}

impl<T> Part<T> {
    /// The value, if it was read.
    pub fn found(&self) -> Option<&T> {
        match self {
            Part::Found(value) => Some(value),
            Part::Missing | Part::Forbidden(_) => None,
        }
    }
}

/// Everything the overview shows, as API objects.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub config: Part<Config>,
    pub operator: Part<ClusterOperator>,
    pub image: Part<Image>,
    pub pods: Part<Vec<Pod>>,
    pub routes: Part<Vec<Route>>,
    /// The claims in `openshift-image-registry`, for the doctor.
    pub claims: Part<Vec<PersistentVolumeClaim>>,
    /// The keys (never the values) of `image-registry-private-configuration-user`.
    pub credentials: Part<BTreeSet<String>>,
    /// The keys (never the values) of the cluster's `installer-cloud-credentials`.
    pub cluster_credentials: Part<BTreeSet<String>>,
}

/// The label selector of the registry's pods.
pub fn pod_selector() -> String {
    format!("{}={}", REGISTRY_POD_LABEL.0, REGISTRY_POD_LABEL.1)
}

/// Reads the snapshot; fails only when the cluster cannot be reached or errs, not when
/// the user may not read a part.
pub async fn fetch(client: &kube::Client) -> Result<Snapshot, kube::Error> {
    let configs = Api::<Config>::all(client.clone());
    let operators = Api::<ClusterOperator>::all(client.clone());
    let images = Api::<Image>::all(client.clone());
    let pods = Api::<Pod>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let routes = Api::<Route>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let selector = pod_selector();
    let pod_list = ListParams::default().labels(&selector);
    let all = ListParams::default();
    let (config, operator, image, pods, routes, claims, secret, cluster_secret) = tokio::join!(
        configs.get_opt(SINGLETON),
        operators.get_opt(CLUSTER_OPERATOR),
        images.get_opt(SINGLETON),
        pods.list(&pod_list),
        routes.list(&all),
        claims.list(&all),
        secrets.get_opt(CREDENTIALS_SECRET),
        secrets.get_opt(CLUSTER_CREDENTIALS_SECRET),
    );
    Ok(Snapshot {
        config: part(config.map(|c| c.map_or(Part::Missing, Part::Found)))?,
        operator: part(operator.map(|o| o.map_or(Part::Missing, Part::Found)))?,
        image: part(image.map(|i| i.map_or(Part::Missing, Part::Found)))?,
        pods: part(pods.map(|list| Part::Found(list.items)))?,
        routes: part(routes.map(|list| Part::Found(list.items)))?,
        claims: part(claims.map(|list| Part::Found(list.items)))?,
        // The secret's values are dropped here; only its key names are kept.
        credentials: part(
            secret.map(|s| s.map_or(Part::Missing, |s| Part::Found(stored_keys(&s)))),
        )?,
        cluster_credentials: part(
            cluster_secret.map(|s| s.map_or(Part::Missing, |s| Part::Found(stored_keys(&s)))),
        )?,
    })
}

fn part<T>(result: Result<Part<T>, kube::Error>) -> Result<Part<T>, kube::Error> {
    match result {
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(Part::Forbidden(status.message)),
        // Routes are an OpenShift API; a plain Kubernetes cluster has none to show.
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(Part::Missing),
        other => other,
    }
}
