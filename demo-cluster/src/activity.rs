//! What the API server is holding open right now (connections and watches) and how many
//! requests it has answered.
//!
//! kube-apiserver reports the same through `apiserver_longrunning_requests`; here it is
//! read in-process, so a test can prove that a client let go of everything it opened.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts of open connections and open watch streams.
#[derive(Clone, Debug, Default)]
pub struct Activity(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    connections: AtomicUsize,
    watches: AtomicUsize,
    requests: AtomicUsize,
}

impl Activity {
    /// TCP connections accepted and not yet closed.
    pub fn connections(&self) -> usize {
        self.0.connections.load(Ordering::SeqCst)
    }

    /// Watch responses still streaming.
    pub fn watches(&self) -> usize {
        self.0.watches.load(Ordering::SeqCst)
    }

    /// Requests answered since the start (probes included).
    pub fn requests(&self) -> usize {
        self.0.requests.load(Ordering::SeqCst)
    }

    pub(crate) fn request(&self) {
        self.0.requests.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn connection(&self) -> Open {
        self.0.connections.fetch_add(1, Ordering::SeqCst);
        Open {
            counts: self.0.clone(),
            kind: Kind::Connection,
        }
    }

    pub(crate) fn watch(&self) -> Open {
        self.0.watches.fetch_add(1, Ordering::SeqCst);
        Open {
            counts: self.0.clone(),
            kind: Kind::Watch,
        }
    }
}

#[derive(Debug)]
enum Kind {
    Connection,
    Watch,
}

/// One open connection or watch; counted until dropped.
#[derive(Debug)]
pub(crate) struct Open {
    counts: Arc<Counts>,
    kind: Kind,
}

impl Drop for Open {
    fn drop(&mut self) {
        let counter = match self.kind {
            Kind::Connection => &self.counts.connections,
            Kind::Watch => &self.counts.watches,
        };
        counter.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_until_dropped() {
        let activity = Activity::default();
        let connection = activity.connection();
        let watch = activity.watch();
        let second = activity.watch();
        assert_eq!((activity.connections(), activity.watches()), (1, 2));
        drop(watch);
        drop(connection);
        assert_eq!((activity.connections(), activity.watches()), (0, 1));
        drop(second);
        assert_eq!(activity.watches(), 0);
    }
}
