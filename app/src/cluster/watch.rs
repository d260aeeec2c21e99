//! One watch of one kind of object, kept in a reflector store, that says what it has seen.
//!
//! The [`Hub`](crate::cluster::hub::Hub) keeps one of these per resource for the whole
//! console; a page whose user the console may not stand in for keeps its own. Dropping the
//! last handle stops the watch and closes its request.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use kube::Resource;
use kube::api::Api;
use kube::runtime::reflector::{self, Store};
use kube::runtime::utils::Backoff;
use kube::runtime::{WatchStreamExt, watcher};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What a watch has seen so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The first list has not finished: the store is not complete yet.
    Listing,
    /// The store is complete. Every event sends this again, so a receiver sees each change.
    Listed,
    /// The identity watching may not read the kind; the cluster's message. The watch has
    /// stopped: a 403 does not heal by retrying.
    Forbidden(String),
    /// The watch lost the cluster at this time; the store keeps the last state. Back to
    /// `Listed` once the API server answers again (the watch resumes from its
    /// resourceVersion, and lists again only when that has expired).
    Lost(DateTime<Utc>),
}

/// A running watch. Cheap to share behind an `Arc`; dropped, it stops.
pub struct Watched<K: Resource + 'static>
where
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    store: Store<K>,
    phase: watch::Receiver<Phase>,
    task: JoinHandle<()>,
}

impl<K: Resource + 'static> Drop for Watched<K>
where
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<K> Watched<K>
where
    K: Resource + Clone + std::fmt::Debug + serde::de::DeserializeOwned + Send + Sync + 'static,
    K::DynamicType: Default + Eq + std::hash::Hash + Clone + Send + Sync,
{
    /// Starts watching `api` with `config`, passing each object through `reduce` before it
    /// is stored (the secrets' values never reach a store). `client` is asked whether the
    /// API server answers again after a loss.
    pub fn start(
        client: kube::Client,
        api: Api<K>,
        config: watcher::Config,
        reduce: fn(&mut K),
    ) -> Self {
        let (store, writer) = reflector::store::<K>();
        let (phase_sender, phase) = watch::channel(Phase::Listing);
        let events = watcher(api, config)
            .backoff(QuickBackoff::new())
            .modify(reduce)
            .reflect(writer)
            .boxed();
        let task = tokio::spawn(run(client, events, phase_sender));
        Self { store, phase, task }
    }

    /// The objects as last listed and changed.
    pub fn store(&self) -> &Store<K> {
        &self.store
    }

    /// What the watch has seen; `changed()` on it wakes at each event.
    pub fn phase(&self) -> watch::Receiver<Phase> {
        self.phase.clone()
    }
}

async fn run<K>(
    client: kube::Client,
    mut events: futures::stream::BoxStream<'static, Result<watcher::Event<K>, watcher::Error>>,
    phase: watch::Sender<Phase>,
) {
    let mut probe = QuickBackoff::new();
    loop {
        let lost = matches!(*phase.borrow(), Phase::Lost(_));
        let delay = if lost {
            probe.next().unwrap_or(QuickBackoff::MAX)
        } else {
            probe.reset();
            Duration::MAX
        };
        tokio::select! {
            event = events.next() => match event {
                None => return,
                Some(Ok(watcher::Event::InitDone | watcher::Event::Apply(_) | watcher::Event::Delete(_))) => {
                    phase.send_replace(Phase::Listed);
                }
                // Mid-list: the store keeps showing the previous list until it completes.
                Some(Ok(watcher::Event::Init | watcher::Event::InitApply(_))) => {}
                // An expired resourceVersion is routine: the watcher lists again by itself.
                Some(Err(watcher::Error::WatchError(status))) if status.code == 410 => {}
                Some(Err(error)) => {
                    if let Some(message) = forbidden(&error) {
                        phase.send_replace(Phase::Forbidden(message));
                        return;
                    }
                    if !lost {
                        tracing::warn!(%error, "a watch lost the cluster");
                        phase.send_replace(Phase::Lost(Utc::now()));
                    }
                }
            },
            // The watcher resumes quietly, so whether the cluster is back is asked here.
            () = tokio::time::sleep(delay), if lost => {
                if matches!(client.apiserver_version().await, Ok(_) | Err(kube::Error::Api(_))) {
                    phase.send_replace(Phase::Listed);
                }
            }
        }
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

/// Retries quickly, because a person is looking at the page: 250 ms doubling to 2 s.
pub struct QuickBackoff {
    next: Duration,
}

impl QuickBackoff {
    pub const FIRST: Duration = Duration::from_millis(250);
    pub const MAX: Duration = Duration::from_secs(2);

    pub fn new() -> Self {
        Self { next: Self::FIRST }
    }
}

impl Default for QuickBackoff {
    fn default() -> Self {
        Self::new()
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
    fn a_403_from_a_watch_means_forbidden_not_lost() {
        let mut status = kube::core::Status::failure("pods is forbidden", "Forbidden");
        status.code = 403;
        let error = watcher::Error::InitialListFailed(kube::Error::Api(Box::new(status)));
        assert_eq!(forbidden(&error).as_deref(), Some("pods is forbidden"));
        let lost = watcher::Error::NoResourceVersion;
        assert_eq!(forbidden(&lost), None);
    }
}
