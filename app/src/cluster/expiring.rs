//! A small map whose entries expire: what the console keeps per user (clients, access
//! answers) for a short, stated time, and never without bound.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Expiring<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    ttl: Duration,
    max: usize,
}

impl<K: Eq + Hash, V: Clone> Expiring<K, V> {
    /// Entries are kept for `ttl`; past `max` entries, the expired ones go, then all (a
    /// rare burst of users costs each of them one fresh lookup, never memory).
    pub fn new(ttl: Duration, max: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            max,
        }
    }

    /// The value kept for `key`, unless it has expired.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.lock();
        let (value, at) = entries.get(key)?;
        if at.elapsed() < self.ttl {
            return Some(value.clone());
        }
        // Dropped now, not at the next insert: a value may hold resources (a client's
        // idle connections).
        entries.remove(key);
        None
    }

    pub fn insert(&self, key: K, value: V) {
        let mut entries = self.lock();
        entries.retain(|_, (_, at)| at.elapsed() < self.ttl);
        if entries.len() >= self.max {
            entries.clear();
        }
        entries.insert(key, (value, Instant::now()));
    }

    /// Drops every expired entry (what a value holds goes with it).
    pub fn sweep(&self) {
        self.lock().retain(|_, (_, at)| at.elapsed() < self.ttl);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (V, Instant)>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_map_stays_bounded() {
        let map = Expiring::new(Duration::from_millis(40), 2);
        map.insert("a", 1);
        map.insert("b", 2);
        assert_eq!(map.get(&"a"), Some(1));
        map.insert("c", 3);
        assert!(map.lock().len() <= 2, "never more than the bound");
        assert_eq!(map.get(&"c"), Some(3));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(map.get(&"c"), None, "expired");
        assert!(map.lock().get(&"c").is_none(), "and dropped at once");
    }

    #[test]
    fn a_sweep_drops_what_expired() {
        let map = Expiring::new(Duration::from_millis(20), 10);
        map.insert("a", 1);
        std::thread::sleep(Duration::from_millis(30));
        map.insert("b", 2);
        assert_eq!(map.lock().len(), 1, "an insert sweeps too");
        std::thread::sleep(Duration::from_millis(30));
        map.sweep();
        assert!(map.lock().is_empty());
    }
}
