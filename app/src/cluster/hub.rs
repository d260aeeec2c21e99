//! One watch per resource for the whole console, shared by every page and user.
//!
//! A watch starts when the first page needs it and stops when the last one lets go; a
//! server-side render keeps what it used warm for [`Hub::LINGER`], so the next render
//! reads memory instead of the API server. The watches run with the console's own
//! identity (its service account or kubeconfig user), which therefore needs `list` and
//! `watch` on what [`Topic`] names; where it may not, each page watches with its user's
//! token instead, as before the hub.
//!
//! Nothing here decides who sees what: every read from the hub goes through the
//! [`Gate`](crate::cluster::gate::Gate) first, with the reading user's token.

use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use k8s_openapi::ByteString;
use k8s_openapi::api::authorization::v1::ResourceAttributes;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret};
use kube::api::{Api, ObjectMeta};
use kube::runtime::watcher;
use registry_model::names::{
    CLUSTER_CREDENTIALS_SECRET, CLUSTER_OPERATOR, CREDENTIALS_SECRET, REGISTRY_NAMESPACE,
    REGISTRY_POD_LABEL, SINGLETON,
};
use registry_model::{ClusterOperator, Config, Image, Route};

use crate::cluster::watch::{Phase, Watched};

/// What the hub can watch: each is one watch request on the API server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// `configs.imageregistry.operator.openshift.io/cluster`.
    Config,
    /// `clusteroperators.config.openshift.io/image-registry`.
    Operator,
    /// `images.config.openshift.io/cluster`.
    Image,
    /// The registry's pods (label `docker-registry=default`) in its namespace.
    Pods,
    /// The routes in the registry's namespace.
    Routes,
    /// The claims in the registry's namespace.
    Claims,
    /// `image-registry-private-configuration-user`, reduced to its key names.
    Credentials,
    /// `installer-cloud-credentials`, reduced to its key names.
    ClusterCredentials,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::Config,
        Topic::Operator,
        Topic::Image,
        Topic::Pods,
        Topic::Routes,
        Topic::Claims,
        Topic::Credentials,
        Topic::ClusterCredentials,
    ];

    /// The read a user must be allowed to see this topic from the hub: the same read the
    /// console would otherwise make with their token (`get` of a named object, `list` of a
    /// collection).
    pub fn access(self) -> ResourceAttributes {
        let (group, resource, namespace, name) = match self {
            Topic::Config => (
                "imageregistry.operator.openshift.io",
                "configs",
                None,
                Some(SINGLETON),
            ),
            Topic::Operator => (
                "config.openshift.io",
                "clusteroperators",
                None,
                Some(CLUSTER_OPERATOR),
            ),
            Topic::Image => ("config.openshift.io", "images", None, Some(SINGLETON)),
            Topic::Pods => ("", "pods", Some(REGISTRY_NAMESPACE), None),
            Topic::Routes => (
                "route.openshift.io",
                "routes",
                Some(REGISTRY_NAMESPACE),
                None,
            ),
            Topic::Claims => ("", "persistentvolumeclaims", Some(REGISTRY_NAMESPACE), None),
            Topic::Credentials => (
                "",
                "secrets",
                Some(REGISTRY_NAMESPACE),
                Some(CREDENTIALS_SECRET),
            ),
            Topic::ClusterCredentials => (
                "",
                "secrets",
                Some(REGISTRY_NAMESPACE),
                Some(CLUSTER_CREDENTIALS_SECRET),
            ),
        };
        ResourceAttributes {
            verb: Some(if name.is_some() { "get" } else { "list" }.into()),
            group: Some(group.into()),
            resource: Some(resource.into()),
            namespace: namespace.map(Into::into),
            name: name.map(Into::into),
            ..ResourceAttributes::default()
        }
    }
}

/// A topic's watch: shared from the hub, or the page's own.
pub type Shared<K> = Arc<Watched<K>>;

/// The watches of every topic, each typed.
pub struct Watches {
    pub config: Shared<Config>,
    pub operator: Shared<ClusterOperator>,
    pub image: Shared<Image>,
    pub pods: Shared<Pod>,
    pub routes: Shared<Route>,
    pub claims: Shared<PersistentVolumeClaim>,
    pub credentials: Shared<Secret>,
    pub cluster_credentials: Shared<Secret>,
}

/// One watch per topic while anyone holds it.
struct Slot<K: kube::Resource + 'static>
where
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    current: Mutex<Weak<Watched<K>>>,
}

impl<K: kube::Resource + 'static> Default for Slot<K>
where
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    fn default() -> Self {
        Self {
            current: Mutex::new(Weak::new()),
        }
    }
}

impl<K: kube::Resource + 'static> Slot<K>
where
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    fn get_or_start(&self, start: impl FnOnce() -> Watched<K>) -> Shared<K> {
        let mut current = lock(&self.current);
        if let Some(running) = current.upgrade() {
            return running;
        }
        let started = Arc::new(start());
        *current = Arc::downgrade(&started);
        started
    }
}

/// The console's shared watches.
pub struct Hub {
    /// The console's own identity; `None` when it has none to watch with (every page then
    /// watches as its user).
    own: Option<kube::Client>,
    config: Slot<Config>,
    operator: Slot<ClusterOperator>,
    image: Slot<Image>,
    pods: Slot<Pod>,
    routes: Slot<Route>,
    claims: Slot<PersistentVolumeClaim>,
    credentials: Slot<Secret>,
    cluster_credentials: Slot<Secret>,
    /// How long a render's watches are kept after it.
    linger: Duration,
    /// The last render's watches and until when they are kept.
    warm: Arc<Mutex<Option<(Watches, Instant)>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Hub {
    /// How long a render keeps the watches it read from after it is done.
    pub const LINGER: Duration = Duration::from_secs(60);

    /// A hub that watches as `own`.
    pub fn new(own: Option<kube::Client>) -> Self {
        Self {
            own,
            config: Slot::default(),
            operator: Slot::default(),
            image: Slot::default(),
            pods: Slot::default(),
            routes: Slot::default(),
            claims: Slot::default(),
            credentials: Slot::default(),
            cluster_credentials: Slot::default(),
            linger: Self::LINGER,
            warm: Arc::default(),
        }
    }

    /// The same hub, keeping a render's watches for `linger` instead of [`Hub::LINGER`].
    pub fn with_linger(self, linger: Duration) -> Self {
        Self { linger, ..self }
    }

    /// Whether the hub has an identity of its own to watch with.
    pub fn is_shared(&self) -> bool {
        self.own.is_some()
    }

    /// The shared watches of every topic, started where none runs; `None` without an
    /// identity of its own.
    pub fn shared(&self) -> Option<Watches> {
        let own = self.own.as_ref()?;
        Some(Watches {
            config: self.config.get_or_start(|| start_config(own)),
            operator: self.operator.get_or_start(|| start_operator(own)),
            image: self.image.get_or_start(|| start_image(own)),
            pods: self.pods.get_or_start(|| start_pods(own)),
            routes: self.routes.get_or_start(|| start_routes(own)),
            claims: self.claims.get_or_start(|| start_claims(own)),
            credentials: self
                .credentials
                .get_or_start(|| start_secret_keys(own, CREDENTIALS_SECRET)),
            cluster_credentials: self
                .cluster_credentials
                .get_or_start(|| start_secret_keys(own, CLUSTER_CREDENTIALS_SECRET)),
        })
    }

    /// Keeps `watches` running for the linger time (default [`Hub::LINGER`]) after the caller is done with them: the
    /// hub holds the last render's share until then (one holder, however many renders).
    pub fn linger(&self, watches: Watches) {
        let mut warm = lock(&self.warm);
        let reaper_running = warm.is_some();
        *warm = Some((watches, Instant::now() + self.linger));
        if reaper_running {
            return;
        }
        let slot = self.warm.clone();
        tokio::spawn(async move {
            loop {
                let until = {
                    let mut warm = lock(&slot);
                    match warm.as_ref() {
                        Some((_, until)) if *until > Instant::now() => *until,
                        _ => {
                            *warm = None;
                            return;
                        }
                    }
                };
                tokio::time::sleep_until(until.into()).await;
            }
        });
    }
}

/// Watches of every topic made with `client`'s identity alone: a page's own, for a user
/// the console may not stand in for.
pub fn own_watches(client: &kube::Client) -> Watches {
    Watches {
        config: Arc::new(start_config(client)),
        operator: Arc::new(start_operator(client)),
        image: Arc::new(start_image(client)),
        pods: Arc::new(start_pods(client)),
        routes: Arc::new(start_routes(client)),
        claims: Arc::new(start_claims(client)),
        credentials: Arc::new(start_secret_keys(client, CREDENTIALS_SECRET)),
        cluster_credentials: Arc::new(start_secret_keys(client, CLUSTER_CREDENTIALS_SECRET)),
    }
}

/// Watches of one topic with `client`'s identity.
pub fn own_watch(client: &kube::Client, topic: Topic, watches: &mut Watches) {
    match topic {
        Topic::Config => watches.config = Arc::new(start_config(client)),
        Topic::Operator => watches.operator = Arc::new(start_operator(client)),
        Topic::Image => watches.image = Arc::new(start_image(client)),
        Topic::Pods => watches.pods = Arc::new(start_pods(client)),
        Topic::Routes => watches.routes = Arc::new(start_routes(client)),
        Topic::Claims => watches.claims = Arc::new(start_claims(client)),
        Topic::Credentials => {
            watches.credentials = Arc::new(start_secret_keys(client, CREDENTIALS_SECRET));
        }
        Topic::ClusterCredentials => {
            watches.cluster_credentials =
                Arc::new(start_secret_keys(client, CLUSTER_CREDENTIALS_SECRET));
        }
    }
}

impl Watches {
    /// Waits (up to `patience`) until the first list of `topic` is done or its watch cannot
    /// go on, and says how it stands.
    pub async fn settled(&self, topic: Topic, patience: Duration) -> Phase {
        let mut phase = self.phase(topic);
        let settled = phase.wait_for(|phase| *phase != Phase::Listing);
        if let Ok(Ok(settled)) = tokio::time::timeout(patience, settled).await {
            return settled.clone();
        }
        self.phase(topic).borrow().clone()
    }

    /// How the watch of `topic` stands.
    pub fn phase(&self, topic: Topic) -> tokio::sync::watch::Receiver<Phase> {
        match topic {
            Topic::Config => self.config.phase(),
            Topic::Operator => self.operator.phase(),
            Topic::Image => self.image.phase(),
            Topic::Pods => self.pods.phase(),
            Topic::Routes => self.routes.phase(),
            Topic::Claims => self.claims.phase(),
            Topic::Credentials => self.credentials.phase(),
            Topic::ClusterCredentials => self.cluster_credentials.phase(),
        }
    }
}

fn keep<K>(_: &mut K) {}

fn named(name: &str) -> watcher::Config {
    watcher::Config::default().fields(&format!("metadata.name={name}"))
}

fn start_config(client: &kube::Client) -> Watched<Config> {
    Watched::start(
        client.clone(),
        Api::all(client.clone()),
        named(SINGLETON),
        keep,
    )
}

fn start_operator(client: &kube::Client) -> Watched<ClusterOperator> {
    Watched::start(
        client.clone(),
        Api::all(client.clone()),
        named(CLUSTER_OPERATOR),
        keep,
    )
}

fn start_image(client: &kube::Client) -> Watched<Image> {
    Watched::start(
        client.clone(),
        Api::all(client.clone()),
        named(SINGLETON),
        keep,
    )
}

fn start_pods(client: &kube::Client) -> Watched<Pod> {
    let selector = format!("{}={}", REGISTRY_POD_LABEL.0, REGISTRY_POD_LABEL.1);
    Watched::start(
        client.clone(),
        Api::namespaced(client.clone(), REGISTRY_NAMESPACE),
        watcher::Config::default().labels(&selector),
        keep,
    )
}

fn start_routes(client: &kube::Client) -> Watched<Route> {
    Watched::start(
        client.clone(),
        Api::namespaced(client.clone(), REGISTRY_NAMESPACE),
        watcher::Config::default(),
        keep,
    )
}

fn start_claims(client: &kube::Client) -> Watched<PersistentVolumeClaim> {
    Watched::start(
        client.clone(),
        Api::namespaced(client.clone(), REGISTRY_NAMESPACE),
        watcher::Config::default(),
        keep,
    )
}

fn start_secret_keys(client: &kube::Client, name: &str) -> Watched<Secret> {
    Watched::start(
        client.clone(),
        Api::namespaced(client.clone(), REGISTRY_NAMESPACE),
        named(name),
        keys_only,
    )
}

/// What a store keeps of a secret: its name and the names of the keys that hold a value.
/// Values, annotations (kubectl's last-applied copy holds the data) and managed fields are
/// dropped as each event arrives, so no store ever holds a secret value.
pub fn keys_only(secret: &mut Secret) {
    let keys = crate::cluster::credentials::stored_keys(secret);
    *secret = Secret {
        metadata: ObjectMeta {
            name: secret.metadata.name.take(),
            namespace: secret.metadata.namespace.take(),
            uid: secret.metadata.uid.take(),
            resource_version: secret.metadata.resource_version.take(),
            ..ObjectMeta::default()
        },
        data: Some(
            keys.into_iter()
                .map(|key| (key, ByteString(Vec::new())))
                .collect(),
        ),
        ..Secret::default()
    };
}

/// The key names a reduced secret holds.
pub fn key_names(secret: &Secret) -> std::collections::BTreeSet<String> {
    secret
        .data
        .iter()
        .flatten()
        .map(|(key, _)| key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_stored_secret_keeps_key_names_and_nothing_else() {
        let mut secret = Secret {
            metadata: ObjectMeta {
                name: Some("image-registry-private-configuration-user".into()),
                annotations: Some(BTreeMap::from([(
                    "kubectl.kubernetes.io/last-applied-configuration".into(),
                    "{\"data\":{\"KEY\":\"c2VjcmV0\"}}".into(),
                )])),
                ..ObjectMeta::default()
            },
            data: Some(BTreeMap::from([
                ("KEY".into(), ByteString(b"secret".to_vec())),
                ("EMPTY".into(), ByteString(Vec::new())),
            ])),
            string_data: Some(BTreeMap::from([("OTHER".into(), "plain".into())])),
            ..Secret::default()
        };
        keys_only(&mut secret);
        assert_eq!(key_names(&secret), ["KEY".to_string()].into());
        let kept = serde_json::to_string(&secret).unwrap();
        assert!(
            !kept.contains("c2VjcmV0") && !kept.contains("plain"),
            "{kept}"
        );
        assert!(!kept.contains("last-applied"), "{kept}");
    }

    #[test]
    fn a_named_object_is_gated_by_get_and_a_collection_by_list() {
        let config = Topic::Config.access();
        assert_eq!(config.verb.as_deref(), Some("get"));
        assert_eq!(config.name.as_deref(), Some("cluster"));
        let pods = Topic::Pods.access();
        assert_eq!(pods.verb.as_deref(), Some("list"));
        assert_eq!(pods.namespace.as_deref(), Some(REGISTRY_NAMESPACE));
        assert_eq!(pods.name, None);
    }
}
