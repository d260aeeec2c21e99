//! The live overview: kube-runtime watches made with the signed-in user's identity,
//! turned into overview snapshots for the page (the server sends them as server-sent
//! events; `live` is the browser's end).
//!
//! Each open page gets its own watches, so a user never sees what their own token could
//! not read. Bursts of events are coalesced; a watch that fails marks the page stale
//! (with the time it happened) until every watch has listed again.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::overview::view::Overview;
use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Secret};
use kube::api::Api;
use kube::runtime::reflector::{self, Store};
use kube::runtime::utils::Backoff;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Resource, ResourceExt};
use registry_model::names::{
    CLUSTER_CREDENTIALS_SECRET, CLUSTER_OPERATOR, CREDENTIALS_SECRET, REGISTRY_NAMESPACE, SINGLETON,
};
use registry_model::{ClusterOperator, Config, Image, Route};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::cluster::credentials::stored_keys;
use crate::metrics::Metrics;
use crate::overview::assemble::assemble;
use crate::overview::snapshot::{Part, Snapshot, pod_selector};

/// How long to wait for more events before sending, so a burst becomes one update.
const COALESCE: Duration = Duration::from_millis(60);

/// What the page is told.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveEvent {
    /// The current overview (also ends a stale period).
    Overview(Box<Overview>),
    /// The cluster stopped answering at this time; the page keeps its last state.
    Stale(DateTime<Utc>),
}

/// The watched kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Source {
    Config,
    Operator,
    Image,
    Pods,
    Routes,
    /// The claims in the registry's namespace, for the doctor.
    Claims,
    /// The credentials secret, for the doctor.
    Credentials,
    /// The cluster's own cloud credentials, for the doctor.
    ClusterCredentials,
}

/// What a watch said.
#[derive(Debug)]
enum Signal {
    /// A full list finished: the store is complete.
    Listed,
    /// An object changed.
    Changed,
    /// Mid-list; the store still shows the previous list.
    Listing,
    /// The user may not read this kind.
    Forbidden(String),
    /// The API did not answer or the watch broke.
    Failed(String),
}

/// What one watch has shown so far.
#[derive(Clone, Debug, Default)]
struct Health {
    listed: bool,
    forbidden: Option<String>,
}

/// Retries quickly, because a person is looking at the page: 250 ms doubling to 2 s.
struct QuickBackoff {
    next: Duration,
}

impl QuickBackoff {
    const FIRST: Duration = Duration::from_millis(250);
    const MAX: Duration = Duration::from_secs(2);

    fn new() -> Self {
        Self { next: Self::FIRST }
    }
}

impl Iterator for QuickBackoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let delay = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        Some(delay)
    }
}

impl Backoff for QuickBackoff {
    fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

/// The stores the watches keep.
struct Stores {
    config: Store<Config>,
    operator: Store<ClusterOperator>,
    image: Store<Image>,
    pods: Store<Pod>,
    routes: Store<Route>,
    claims: Store<PersistentVolumeClaim>,
    credentials: KeyStore,
    cluster_credentials: KeyStore,
}

/// The key names of the credentials secret, as its watch last listed or changed them;
/// `None` while it does not exist. Unlike a reflector store it never holds a value: each
/// event's secret is reduced to its key names and dropped.
#[derive(Clone, Default)]
struct KeyStore(Arc<Mutex<Option<BTreeSet<String>>>>);

impl KeyStore {
    fn set(&self, keys: Option<BTreeSet<String>>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = keys;
    }

    fn get(&self) -> Option<BTreeSet<String>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Watches a secret by name, keeping only its key names.
fn watch_keys(
    source: Source,
    api: Api<Secret>,
    name: &str,
) -> (KeyStore, BoxStream<'static, (Source, Signal)>) {
    let store = KeyStore::default();
    let writer = store.clone();
    // The keys seen during a (re)list, committed when it completes, as a reflector would.
    let mut listing: Option<BTreeSet<String>> = None;
    let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let events = watcher(api, config)
        .backoff(QuickBackoff::new())
        .map(move |event| {
            match &event {
                Ok(watcher::Event::Init) => listing = None,
                Ok(watcher::Event::InitApply(secret)) => listing = Some(stored_keys(secret)),
                Ok(watcher::Event::InitDone) => writer.set(listing.take()),
                Ok(watcher::Event::Apply(secret)) => writer.set(Some(stored_keys(secret))),
                Ok(watcher::Event::Delete(_)) => writer.set(None),
                Err(_) => {}
            }
            (source, signal(event))
        })
        .boxed();
    (store, events)
}

fn watch<K>(
    source: Source,
    api: Api<K>,
    config: watcher::Config,
) -> (Store<K>, BoxStream<'static, (Source, Signal)>)
where
    K: Resource + Clone + std::fmt::Debug + serde::de::DeserializeOwned + Send + Sync + 'static,
    K::DynamicType: Default + Eq + std::hash::Hash + Clone + Send + Sync,
{
    let (store, writer) = reflector::store::<K>();
    let events = watcher(api, config)
        .backoff(QuickBackoff::new())
        .reflect(writer)
        .map(move |event| (source, signal(event)))
        .boxed();
    (store, events)
}

/// Stops a watch once it says the user may not read its kind. The watcher would retry at
/// once, forever (each retry starts a new list, which resets its backoff), with a warning
/// in the log each time, and a 403 does not heal by retrying: the part stays unreadable
/// until the page is opened again. The stream then stays open, so the other watches go on.
fn until_forbidden(
    events: BoxStream<'static, (Source, Signal)>,
) -> BoxStream<'static, (Source, Signal)> {
    let mut stopped = false;
    events
        .take_while(move |(_, signal)| {
            let go_on = !stopped;
            stopped |= matches!(signal, Signal::Forbidden(_));
            std::future::ready(go_on)
        })
        .chain(stream::pending())
        .boxed()
}

fn signal<K>(event: Result<watcher::Event<K>, watcher::Error>) -> Signal {
    match event {
        Ok(watcher::Event::InitDone) => Signal::Listed,
        Ok(watcher::Event::Init | watcher::Event::InitApply(_)) => Signal::Listing,
        Ok(watcher::Event::Apply(_) | watcher::Event::Delete(_)) => Signal::Changed,
        // An expired resourceVersion is routine: the watcher lists again by itself.
        Err(watcher::Error::WatchError(status)) if status.code == 410 => Signal::Listing,
        Err(error) => match forbidden(&error) {
            Some(message) => Signal::Forbidden(message),
            None => Signal::Failed(error.to_string()),
        },
    }
}

fn forbidden(error: &watcher::Error) -> Option<String> {
    let status = match error {
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status)) => status,
        watcher::Error::WatchError(status) => status,
        _ => return None,
    };
    (status.code == 403).then(|| status.message.clone())
}

/// The overview events for one page, watched with `client`'s identity. The watches stop
/// when the returned stream is dropped (the page closed) or `until` resolves.
pub fn overview_events(
    client: kube::Client,
    metrics: Metrics,
    until: impl Future<Output = ()> + Send + 'static,
) -> impl Stream<Item = LiveEvent> + Send + 'static {
    let (sender, receiver) = mpsc::channel(8);
    tokio::spawn(async move {
        tokio::select! {
            () = run(client, sender, metrics) => {},
            () = until => {},
        }
    });
    ReceiverStream::new(receiver)
}

/// Why a round of watching ended.
enum Ended {
    /// The page went away.
    Closed,
    /// The cluster stopped answering.
    Lost,
}

/// What a page has been told so far; kept across rounds of watching.
#[derive(Default)]
struct Told {
    stale_since: Option<DateTime<Utc>>,
    last: Option<Overview>,
}

async fn run(client: kube::Client, sender: mpsc::Sender<LiveEvent>, metrics: Metrics) {
    let mut told = Told::default();
    loop {
        match watch_round(&client, &sender, &metrics, &mut told).await {
            Ended::Closed => return,
            Ended::Lost => {
                // A watch that restarts quietly says nothing, so recovery cannot be read
                // from the old watches: wait until the API answers, then list afresh.
                let mut backoff = QuickBackoff::new();
                loop {
                    if sender.is_closed() {
                        return;
                    }
                    tokio::time::sleep(backoff.next().unwrap_or(QuickBackoff::MAX)).await;
                    match client.apiserver_version().await {
                        Ok(_) | Err(kube::Error::Api(_)) => break,
                        Err(_) => continue,
                    }
                }
            }
        }
    }
}

/// Watches until the page closes or the cluster is lost, sending overviews as they change.
async fn watch_round(
    client: &kube::Client,
    sender: &mpsc::Sender<LiveEvent>,
    metrics: &Metrics,
    told: &mut Told,
) -> Ended {
    let everything = watcher::Config::default;
    let (config, config_events) = watch(
        Source::Config,
        Api::<Config>::all(client.clone()),
        everything(),
    );
    let (operator, operator_events) = watch(
        Source::Operator,
        Api::<ClusterOperator>::all(client.clone()),
        everything(),
    );
    let (image, image_events) = watch(
        Source::Image,
        Api::<Image>::all(client.clone()),
        everything(),
    );
    let (pods, pod_events) = watch(
        Source::Pods,
        Api::<Pod>::namespaced(client.clone(), REGISTRY_NAMESPACE),
        everything().labels(&pod_selector()),
    );
    let (routes, route_events) = watch(
        Source::Routes,
        Api::<Route>::namespaced(client.clone(), REGISTRY_NAMESPACE),
        everything(),
    );
    let (claims, claim_events) = watch(
        Source::Claims,
        Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE),
        everything(),
    );
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let (credentials, credential_events) =
        watch_keys(Source::Credentials, secrets.clone(), CREDENTIALS_SECRET);
    let (cluster_credentials, cluster_credential_events) = watch_keys(
        Source::ClusterCredentials,
        secrets,
        CLUSTER_CREDENTIALS_SECRET,
    );
    let stores = Stores {
        config,
        operator,
        image,
        pods,
        routes,
        claims,
        credentials,
        cluster_credentials,
    };
    let mut events = stream::select_all(
        [
            config_events,
            operator_events,
            image_events,
            pod_events,
            route_events,
            claim_events,
            credential_events,
            cluster_credential_events,
        ]
        .map(until_forbidden),
    );
    let mut health: HashMap<Source, Health> = HashMap::new();

    while let Some(first) = events.next().await {
        let mut batch = vec![first];
        // Coalesce a burst: take whatever else arrives within a short window.
        while let Ok(Some(more)) = tokio::time::timeout(COALESCE, events.next()).await {
            batch.push(more);
        }
        for (source, signal) in batch {
            let entry = health.entry(source).or_default();
            match signal {
                Signal::Listed => {
                    entry.listed = true;
                    entry.forbidden = None;
                }
                Signal::Changed | Signal::Listing => {}
                Signal::Forbidden(message) => {
                    entry.listed = true;
                    entry.forbidden = Some(message);
                }
                Signal::Failed(message) => {
                    tracing::warn!(?source, error = %message, "live watch lost the cluster");
                    metrics.watch_failed();
                    if told.stale_since.is_none() {
                        let since = Utc::now();
                        told.stale_since = Some(since);
                        if sender.send(LiveEvent::Stale(since)).await.is_err() {
                            return Ended::Closed;
                        }
                    }
                    return Ended::Lost;
                }
            }
        }
        let all_listed = SOURCES
            .iter()
            .all(|source| health.get(source).is_some_and(|h| h.listed));
        if !all_listed {
            continue;
        }
        let overview = assemble(&snapshot(&stores, &health), Utc::now());
        let unchanged = told
            .last
            .as_ref()
            .is_some_and(|last| same_content(last, &overview));
        if unchanged && told.stale_since.is_none() {
            continue;
        }
        told.stale_since = None;
        told.last = Some(overview.clone());
        if sender
            .send(LiveEvent::Overview(Box::new(overview)))
            .await
            .is_err()
        {
            return Ended::Closed;
        }
    }
    Ended::Closed
}

const SOURCES: [Source; 8] = [
    Source::Config,
    Source::Operator,
    Source::Image,
    Source::Pods,
    Source::Routes,
    Source::Claims,
    Source::Credentials,
    Source::ClusterCredentials,
];

/// Equal but for when it was assembled.
fn same_content(a: &Overview, b: &Overview) -> bool {
    a == &Overview {
        generated_at: a.generated_at,
        ..b.clone()
    }
}

fn snapshot(stores: &Stores, health: &HashMap<Source, Health>) -> Snapshot {
    fn part<T>(
        health: &HashMap<Source, Health>,
        source: Source,
        read: impl FnOnce() -> Option<T>,
    ) -> Part<T> {
        if let Some(message) = health.get(&source).and_then(|h| h.forbidden.clone()) {
            return Part::Forbidden(message);
        }
        read().map_or(Part::Missing, Part::Found)
    }
    fn named<K: Resource<DynamicType = ()> + Clone>(store: &Store<K>, name: &str) -> Option<K> {
        store
            .state()
            .into_iter()
            .find(|object| object.name_any() == name)
            .map(|object| (*object).clone())
    }
    fn all<K: Resource<DynamicType = ()> + Clone>(store: &Store<K>) -> Option<Vec<K>> {
        Some(
            store
                .state()
                .into_iter()
                .map(|object| (*object).clone())
                .collect(),
        )
    }
    Snapshot {
        config: part(health, Source::Config, || named(&stores.config, SINGLETON)),
        operator: part(health, Source::Operator, || {
            named(&stores.operator, CLUSTER_OPERATOR)
        }),
        image: part(health, Source::Image, || named(&stores.image, SINGLETON)),
        pods: part(health, Source::Pods, || all(&stores.pods)),
        routes: part(health, Source::Routes, || all(&stores.routes)),
        claims: part(health, Source::Claims, || all(&stores.claims)),
        credentials: part(health, Source::Credentials, || stores.credentials.get()),
        cluster_credentials: part(health, Source::ClusterCredentials, || {
            stores.cluster_credentials.get()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_quick_and_capped_and_resets() {
        let mut backoff = QuickBackoff::new();
        let delays: Vec<_> = (&mut backoff).take(6).collect();
        assert_eq!(delays[0], Duration::from_millis(250));
        assert_eq!(delays[1], Duration::from_millis(500));
        assert_eq!(delays[5], Duration::from_secs(2));
        backoff.reset();
        assert_eq!(backoff.next(), Some(Duration::from_millis(250)));
    }

    #[test]
    fn a_403_from_a_watch_means_forbidden_not_stale() {
        let mut status = kube::core::Status::failure("pods is forbidden", "Forbidden");
        status.code = 403;
        let error = watcher::Error::InitialListFailed(kube::Error::Api(Box::new(status)));
        assert!(
            matches!(signal::<Pod>(Err(error)), Signal::Forbidden(m) if m.contains("forbidden"))
        );
    }

    #[test]
    fn a_forbidden_watch_says_so_once_and_then_stays_quiet() {
        use futures::FutureExt;
        let events = stream::iter([
            (Source::Credentials, Signal::Listing),
            (
                Source::Credentials,
                Signal::Forbidden("secrets is forbidden".into()),
            ),
            (Source::Credentials, Signal::Listing),
            (
                Source::Credentials,
                Signal::Forbidden("secrets is forbidden".into()),
            ),
        ])
        .boxed();
        let mut stopped = until_forbidden(events);
        assert!(matches!(
            stopped.next().now_or_never(),
            Some(Some((_, Signal::Listing)))
        ));
        assert!(matches!(
            stopped.next().now_or_never(),
            Some(Some((_, Signal::Forbidden(_))))
        ));
        assert!(
            stopped.next().now_or_never().is_none(),
            "no retry, and the stream does not end"
        );
    }

    #[test]
    fn an_expired_resource_version_is_routine_not_a_lost_cluster() {
        let mut status = kube::core::Status::failure("too old resource version", "Expired");
        status.code = 410;
        let error = watcher::Error::WatchError(Box::new(status));
        assert!(matches!(signal::<Pod>(Err(error)), Signal::Listing));
    }

    #[test]
    fn overviews_differing_only_in_time_are_the_same_content() {
        let a = Overview::default();
        let b = Overview {
            generated_at: Utc::now(),
            ..Overview::default()
        };
        assert!(same_content(&a, &b));
        let c = Overview {
            management_state: Some(registry_model::registry_config::ManagementState::Managed),
            ..Overview::default()
        };
        assert!(!same_content(&a, &c));
    }
}
