//! The live overview: the console's shared watches (or the user's own, where the console
//! may not stand in for them), read through the access gate, turned into overviews for the
//! page (the server sends them as server-sent events; `live` is the browser's end).
//!
//! Bursts of events are coalesced; a watch that loses the cluster marks the page stale
//! (with the time it happened) until every watch is back. A closed page releases its
//! watches at once.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt};
use kube::Resource;
use kube::ResourceExt;
use kube::runtime::reflector::Store;
use tokio::sync::mpsc;
use tokio_stream::wrappers::{ReceiverStream, WatchStream};

use crate::cluster::gate::Access;
use crate::cluster::hub::{self, Topic, Watches, key_names};
use crate::cluster::watch::Phase;
use crate::console::Console;
use crate::overview::assemble::assemble;
use crate::overview::snapshot::{Part, Snapshot};
use crate::overview::view::Overview;
use crate::session::Session;

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

/// The overview events for one page of `session`'s user. Everything the page holds (its
/// share of the watches, its own watches) is released when the returned stream is
/// dropped (the page closed) or `until` resolves.
pub fn overview_events(
    console: Arc<Console>,
    session: Session,
    until: impl Future<Output = ()> + Send + 'static,
) -> impl Stream<Item = LiveEvent> + Send + 'static {
    let (sender, receiver) = mpsc::channel(8);
    tokio::spawn(async move {
        tokio::select! {
            () = run(&console, &session, &sender) => {},
            () = until => {},
            // Without this the page's watches would outlive it until their next event.
            () = sender.closed() => {},
        }
    });
    ReceiverStream::new(receiver)
}

/// What a page has been told so far.
#[derive(Default)]
struct Told {
    stale_since: Option<DateTime<Utc>>,
    last: Option<Overview>,
}

async fn run(console: &Console, session: &Session, sender: &mpsc::Sender<LiveEvent>) {
    let Ok(client) = console.cluster.client_for(&session.token) else {
        return;
    };
    let (mut watches, mut own) = match console.hub.shared() {
        Some(shared) => (shared, HashSet::new()),
        None => (hub::own_watches(&client), HashSet::from(Topic::ALL)),
    };
    let mut changes = phase_changes(&watches);
    let mut told = Told::default();

    while let Some(first) = changes.next().await {
        let _ = first;
        // Coalesce a burst: take whatever else arrives within a short window.
        while let Ok(Some(_)) = tokio::time::timeout(COALESCE, changes.next()).await {}

        // Where the console's own identity may not read a topic, watch it as the user.
        let refused: Vec<Topic> = Topic::ALL
            .into_iter()
            .filter(|topic| !own.contains(topic))
            .filter(|&topic| matches!(*watches.phase(topic).borrow(), Phase::Forbidden(_)))
            .collect();
        if !refused.is_empty() {
            for topic in refused {
                tracing::info!(
                    ?topic,
                    "the console may not watch this itself; watching as the user"
                );
                hub::own_watch(&client, topic, &mut watches);
                own.insert(topic);
            }
            changes = phase_changes(&watches);
            continue;
        }

        let denied = match gate(console, session, &client, &own).await {
            Ok(denied) => denied,
            Err(error) => {
                tracing::warn!(%error, "the access review for the live page failed");
                if stale(&mut told, sender, Utc::now()).await.is_err() {
                    return;
                }
                continue;
            }
        };
        let phases: BTreeMap<Topic, Phase> = Topic::ALL
            .into_iter()
            .filter(|topic| !denied.contains_key(topic))
            .map(|topic| (topic, watches.phase(topic).borrow().clone()))
            .collect();
        if let Some(since) = phases.values().find_map(|phase| match phase {
            Phase::Lost(since) => Some(*since),
            _ => None,
        }) {
            console.metrics.watch_failed();
            if stale(&mut told, sender, since).await.is_err() {
                return;
            }
            continue;
        }
        if phases.values().any(|phase| *phase == Phase::Listing) {
            continue;
        }
        let overview = assemble(&snapshot(&watches, &denied), Utc::now());
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
            return;
        }
    }
}

/// Tells the page once that the cluster stopped answering.
async fn stale(
    told: &mut Told,
    sender: &mpsc::Sender<LiveEvent>,
    since: DateTime<Utc>,
) -> Result<(), mpsc::error::SendError<LiveEvent>> {
    if told.stale_since.is_some() {
        return Ok(());
    }
    told.stale_since = Some(since);
    sender.send(LiveEvent::Stale(since)).await
}

/// The topics the user may not see from the shared watches, with the reason. A topic
/// watched with the user's own token needs no review: the cluster judges that watch.
async fn gate(
    console: &Console,
    session: &Session,
    client: &kube::Client,
    own: &HashSet<Topic>,
) -> Result<BTreeMap<Topic, String>, kube::Error> {
    let checks = Topic::ALL
        .into_iter()
        .filter(|topic| !own.contains(topic))
        .map(|topic| async move {
            let access = console
                .gate
                .check(client, &session.token, &session.user, topic.access())
                .await?;
            Ok::<_, kube::Error>((topic, access))
        });
    let mut denied = BTreeMap::new();
    for answer in futures::future::join_all(checks).await {
        if let (topic, Access::Denied(reason)) = answer? {
            denied.insert(topic, reason);
        }
    }
    Ok(denied)
}

/// Wakes at every phase change of every topic's watch.
fn phase_changes(watches: &Watches) -> BoxStream<'static, Topic> {
    stream::select_all(Topic::ALL.map(|topic| {
        WatchStream::new(watches.phase(topic))
            .map(move |_| topic)
            .boxed()
    }))
    .boxed()
}

/// Equal but for when it was assembled.
fn same_content(a: &Overview, b: &Overview) -> bool {
    a == &Overview {
        generated_at: a.generated_at,
        ..b.clone()
    }
}

/// The snapshot the watches hold, as far as the user may see it.
pub fn snapshot(watches: &Watches, denied: &BTreeMap<Topic, String>) -> Snapshot {
    fn part<K, T>(
        denied: &BTreeMap<Topic, String>,
        topic: Topic,
        watched: &hub::Shared<K>,
        read: impl FnOnce(&Store<K>) -> Option<T>,
    ) -> Part<T>
    where
        K: Resource + Clone + std::fmt::Debug + serde::de::DeserializeOwned + Send + Sync + 'static,
        K::DynamicType: Default + Eq + std::hash::Hash + Clone + Send + Sync,
    {
        if let Some(reason) = denied.get(&topic) {
            return Part::Forbidden(reason.clone());
        }
        if let Phase::Forbidden(message) = &*watched.phase().borrow() {
            return Part::Forbidden(message.clone());
        }
        read(watched.store()).map_or(Part::Missing, Part::Found)
    }
    fn one<K: Resource<DynamicType = ()> + Clone>(store: &Store<K>) -> Option<K> {
        // The watch selects the object by name: it is the only one.
        store.state().first().map(|object| (**object).clone())
    }
    fn all<K: Resource<DynamicType = ()> + Clone>(store: &Store<K>) -> Option<Vec<K>> {
        let mut objects: Vec<K> = store
            .state()
            .iter()
            .map(|object| (**object).clone())
            .collect();
        // The store's order is a hash map's; the page's is by name, as a list returns it.
        objects.sort_by_key(|object| object.name_any());
        Some(objects)
    }
    Snapshot {
        config: part(denied, Topic::Config, &watches.config, one),
        operator: part(denied, Topic::Operator, &watches.operator, one),
        image: part(denied, Topic::Image, &watches.image, one),
        pods: part(denied, Topic::Pods, &watches.pods, all),
        routes: part(denied, Topic::Routes, &watches.routes, all),
        claims: part(denied, Topic::Claims, &watches.claims, all),
        credentials: part(denied, Topic::Credentials, &watches.credentials, |store| {
            one(store).map(|secret| key_names(&secret))
        }),
        cluster_credentials: part(
            denied,
            Topic::ClusterCredentials,
            &watches.cluster_credentials,
            |store| one(store).map(|secret| key_names(&secret)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
