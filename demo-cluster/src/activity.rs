//! What the API server is holding open right now (connections and watches) and how many
//! requests it has answered.
//!
//! kube-apiserver reports the same through `apiserver_longrunning_requests`; here it is
//! read in-process, so a test can prove that a client let go of everything it opened.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::api_error::ApiError;

/// Watches and log follows one user may hold open at once by default: well above what a
/// console (one watch per resource) or a scale run (1,000 watchers) needs, and a bound on a
/// client that opens them in a loop without closing them.
pub const LONG_RUNNING_PER_USER: usize = 2_000;

/// Counts of open connections and open watch streams.
#[derive(Clone, Debug, Default)]
pub struct Activity(Arc<Counts>);

#[derive(Debug)]
struct Counts {
    connections: AtomicUsize,
    watches: AtomicUsize,
    requests: AtomicUsize,
    /// Watches and log follows open, per user.
    per_user: Mutex<HashMap<String, usize>>,
    per_user_limit: AtomicUsize,
}

impl Default for Counts {
    fn default() -> Self {
        Self {
            connections: AtomicUsize::new(0),
            watches: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            per_user: Mutex::default(),
            per_user_limit: AtomicUsize::new(LONG_RUNNING_PER_USER),
        }
    }
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

    /// The watches and log follows open now, by user (who holds what, when a test finds
    /// some left behind).
    pub fn long_running_by_user(&self) -> Vec<(String, usize)> {
        let per_user = self.0.per_user.lock().unwrap_or_else(|p| p.into_inner());
        let mut by_user: Vec<_> = per_user.iter().map(|(u, n)| (u.clone(), *n)).collect();
        by_user.sort();
        by_user
    }

    /// Sets how many watches and log follows one user may hold open at once.
    pub fn limit_long_running_per_user(&self, limit: usize) {
        self.0.per_user_limit.store(limit, Ordering::SeqCst);
    }

    /// Counts a watch or log follow of `user`, or refuses it past the user's limit.
    pub(crate) fn long_running(&self, user: &str) -> Result<Open, ApiError> {
        let limit = self.0.per_user_limit.load(Ordering::SeqCst);
        let mut per_user = self.0.per_user.lock().unwrap_or_else(|p| p.into_inner());
        let open = per_user.entry(user.to_owned()).or_default();
        if *open >= limit {
            return Err(ApiError::too_many_requests(format!(
                "Too many requests, please try again later: {user} holds {open} watches and log \
                 follows open, the most one user may"
            )));
        }
        *open += 1;
        self.0.watches.fetch_add(1, Ordering::SeqCst);
        Ok(Open {
            counts: self.0.clone(),
            kind: Kind::Watch(user.to_owned()),
        })
    }
}

#[derive(Debug)]
enum Kind {
    Connection,
    /// A watch or log follow, of this user.
    Watch(String),
}

/// One open connection or watch; counted until dropped.
#[derive(Debug)]
pub(crate) struct Open {
    counts: Arc<Counts>,
    kind: Kind,
}

impl Drop for Open {
    fn drop(&mut self) {
        let counter = match &self.kind {
            Kind::Connection => &self.counts.connections,
            Kind::Watch(user) => {
                let mut per_user = self
                    .counts
                    .per_user
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                if let Some(open) = per_user.get_mut(user) {
                    *open -= 1;
                    if *open == 0 {
                        per_user.remove(user);
                    }
                }
                &self.counts.watches
            }
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
        let watch = activity.long_running("alice").unwrap();
        let second = activity.long_running("bob").unwrap();
        assert_eq!((activity.connections(), activity.watches()), (1, 2));
        drop(watch);
        drop(connection);
        assert_eq!((activity.connections(), activity.watches()), (0, 1));
        drop(second);
        assert_eq!(activity.watches(), 0);
    }

    #[test]
    fn each_user_holds_at_most_the_limit_open_and_gets_it_back_as_they_close() {
        let activity = Activity::default();
        activity.limit_long_running_per_user(2);
        let a1 = activity.long_running("alice").unwrap();
        let _a2 = activity.long_running("alice").unwrap();
        let refused = activity.long_running("alice").unwrap_err();
        assert_eq!(refused.code.as_u16(), 429);
        assert!(
            refused.message.contains("alice holds 2"),
            "{}",
            refused.message
        );
        let _b1 = activity
            .long_running("bob")
            .expect("another user has their own share");
        drop(a1);
        let _a3 = activity.long_running("alice").unwrap();
        assert_eq!(activity.watches(), 3);
    }
}
