//! The object store: every object as JSON, one resourceVersion counter, an event log for
//! watches that resume, and durable state (a snapshot plus a write-ahead log, fsynced
//! before a write is acknowledged).

use std::collections::{BTreeMap, VecDeque};
use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::broadcast;

use crate::api_error::ApiError;

/// Where an object lives: `(group, plural, namespace, name)`; namespace is empty for
/// cluster-scoped objects.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    pub group: String,
    pub plural: String,
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(group: &str, plural: &str, namespace: &str, name: &str) -> Self {
        Key {
            group: group.into(),
            plural: plural.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

/// A watch event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// A committed change, as watches see it.
#[derive(Debug)]
pub struct Event {
    pub rv: u64,
    pub type_: EventType,
    pub key: Key,
    pub object: Value,
}

/// Events a resuming watch missed, and a receiver for the ones after them.
pub type Backlog = (Vec<Arc<Event>>, broadcast::Receiver<Arc<Event>>);

/// How many events the log keeps for watches that resume from a resourceVersion.
const EVENT_LOG: usize = 20_000;
/// Write-ahead log entries before the state is compacted into a new snapshot.
const WAL_COMPACT_AFTER: usize = 2_000;

#[derive(Default)]
struct Inner {
    objects: BTreeMap<Key, Value>,
    rv: u64,
    log: VecDeque<Arc<Event>>,
    /// Lowest resourceVersion a watch may resume from without missing events.
    log_floor: u64,
    wal: Option<File>,
    wal_entries: usize,
    /// The log's length after its last whole entry: a failed append is cut back to it, so
    /// no fragment is left for the next entry to be glued onto.
    wal_len: u64,
}

/// The store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Mutex<Inner>>,
    events: broadcast::Sender<Arc<Event>>,
    dir: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Snapshot {
    rv: u64,
    objects: Vec<(Key, Value)>,
}

#[derive(Serialize, Deserialize)]
struct WalEntry {
    rv: u64,
    puts: Vec<(Key, Value)>,
    deletes: Vec<Key>,
}

/// Why stored state could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{path}: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// A whole entry of the write-ahead log (not a torn last one) cannot be read: every
    /// acknowledged write after it would be lost, so nothing is loaded or compacted.
    #[error("line {line} of {path}: {source}")]
    CorruptLog {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
}

/// What [`repair_log`] did.
#[derive(Debug, PartialEq, Eq)]
pub struct Repaired {
    /// Entries kept, before the first unreadable one.
    pub kept: usize,
    /// Lines dropped from the first unreadable one on (a torn last one included).
    pub dropped: usize,
    /// The whole log as it was.
    pub saved_as: PathBuf,
}

/// The write-ahead log file in `dir`.
pub fn log_path(dir: &Path) -> PathBuf {
    dir.join("wal.jsonl")
}

/// The log's whole entries, in order, each with its line number; a torn last line (one
/// that never got its newline: the append of an unacknowledged write) is left out. The
/// first entry that cannot be read is an error naming its line.
fn read_log(path: &Path) -> Result<Vec<WalEntry>, LoadError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut entries = Vec::new();
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    // After the last newline: empty, or the torn fragment of an unacknowledged append.
    lines.pop();
    for (index, line) in lines.into_iter().enumerate() {
        let entry = serde_json::from_slice(line).map_err(|source| LoadError::CorruptLog {
            path: path.to_path_buf(),
            line: index + 1,
            source,
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Cuts the write-ahead log in `dir` before its first unreadable entry, knowingly: the
/// whole file is first saved beside it as `wal.jsonl.bad`. The writes after that entry
/// are lost; the demo cluster can start again.
pub fn repair_log(dir: &Path) -> Result<Repaired, std::io::Error> {
    let path = log_path(dir);
    let bytes = fs::read(&path)?;
    let saved_as = dir.join("wal.jsonl.bad");
    crate::files::write_private(&saved_as, &bytes)?;
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    // Whole, readable entries up to the first that is not (a torn last line included).
    let kept = lines
        .iter()
        .take_while(|line| {
            line.ends_with(b"\n") && serde_json::from_slice::<WalEntry>(line).is_ok()
        })
        .count();
    crate::files::write_private(&path, &lines[..kept].concat())?;
    Ok(Repaired {
        kept,
        dropped: lines.len() - kept,
        saved_as,
    })
}

impl Store {
    /// A store that keeps nothing on disk.
    #[cfg(test)]
    pub fn in_memory() -> Self {
        Self::with_inner(Inner::default(), None)
    }

    fn with_inner(inner: Inner, dir: Option<PathBuf>) -> Self {
        let (events, _) = broadcast::channel(4096);
        Store {
            inner: Arc::new(Mutex::new(inner)),
            events,
            dir,
        }
    }

    /// Opens (or creates) the state in `dir`. Returns the store and whether it was empty.
    pub fn open(dir: &Path) -> Result<(Self, bool), LoadError> {
        fs::create_dir_all(dir)?;
        let snapshot_path = dir.join("state.json");
        let wal_path = log_path(dir);
        let mut inner = Inner::default();
        if snapshot_path.exists() {
            let text = fs::read(&snapshot_path)?;
            let snap: Snapshot =
                serde_json::from_slice(&text).map_err(|source| LoadError::Corrupt {
                    path: snapshot_path.clone(),
                    source,
                })?;
            inner.rv = snap.rv;
            inner.objects = snap.objects.into_iter().collect();
        }
        for entry in read_log(&wal_path)? {
            if entry.rv <= inner.rv {
                continue;
            }
            for (k, v) in entry.puts {
                inner.objects.insert(k, v);
            }
            for k in entry.deletes {
                inner.objects.remove(&k);
            }
            inner.rv = entry.rv;
        }
        let empty = inner.objects.is_empty();
        inner.log_floor = inner.rv;
        let store = Self::with_inner(inner, Some(dir.to_path_buf()));
        store.compact().map_err(LoadError::Io)?;
        Ok((store, empty))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes a fresh snapshot (atomic replace, fsynced) and empties the write-ahead log.
    fn compact(&self) -> std::io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let mut inner = self.lock();
        let snap = Snapshot {
            rv: inner.rv,
            objects: inner
                .objects
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        // Both files hold every Secret: created owner-only, never readable in between.
        let snapshot = serde_json::to_vec(&snap).map_err(std::io::Error::other)?;
        crate::files::write_private(&dir.join("state.json"), &snapshot)?;
        let wal = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .mode(0o600)
            .open(log_path(dir))?;
        // A log left by an older version with wider permissions is narrowed too.
        wal.set_permissions(fs::Permissions::from_mode(0o600))?;
        wal.sync_all()?;
        inner.wal = Some(wal);
        inner.wal_entries = 0;
        inner.wal_len = 0;
        Ok(())
    }

    /// The current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    /// One object.
    pub fn get(&self, key: &Key) -> Option<Value> {
        self.lock().objects.get(key).cloned()
    }

    /// Objects of a type, in one namespace or all; with the list's resourceVersion.
    pub fn list(&self, group: &str, plural: &str, namespace: Option<&str>) -> (Vec<Value>, u64) {
        let inner = self.lock();
        (list_in(&inner.objects, group, plural, namespace), inner.rv)
    }

    /// Runs `f` atomically: its reads see a consistent state and its writes commit together
    /// (each gets the next resourceVersion), are made durable, then reach watchers. If `f`
    /// fails, or the state cannot be made durable, nothing changes.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Txn<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut inner = self.lock();
        let start_rv = inner.rv;
        let mut txn = Txn {
            objects: &mut inner.objects,
            rv: start_rv,
            undo: Vec::new(),
            events: Vec::new(),
        };
        let result = f(&mut txn);
        let Txn {
            rv, undo, events, ..
        } = txn;
        let rollback = |inner: &mut Inner, undo: Vec<(Key, Option<Value>)>| {
            for (k, old) in undo.into_iter().rev() {
                match old {
                    Some(v) => inner.objects.insert(k, v),
                    None => inner.objects.remove(&k),
                };
            }
            inner.rv = start_rv;
        };
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                rollback(&mut inner, undo);
                return Err(e);
            }
        };
        if events.is_empty() {
            return Ok(value);
        }
        if let Err(e) = persist(&mut inner, rv, &events) {
            rollback(&mut inner, undo);
            return Err(ApiError::internal(format!(
                "the demo cluster could not save the change to its data directory: {e}; nothing was changed"
            )));
        }
        inner.rv = rv;
        let compact_due = inner.wal_entries >= WAL_COMPACT_AFTER;
        for event in events {
            let event = Arc::new(event);
            inner.log.push_back(event.clone());
            if inner.log.len() > EVENT_LOG
                && let Some(dropped) = inner.log.pop_front()
            {
                inner.log_floor = dropped.rv;
            }
            let _ = self.events.send(event);
        }
        drop(inner);
        if compact_due && let Err(e) = self.compact() {
            tracing::warn!(error = %e, "compacting the demo cluster state failed; the write-ahead log keeps growing");
        }
        Ok(value)
    }

    /// Events after `rv` and a receiver for later ones, with no gap between them; or
    /// `Gone` when the log no longer reaches back to `rv`.
    pub fn watch_from(&self, rv: u64) -> Result<Backlog, ApiError> {
        let inner = self.lock();
        if rv < inner.log_floor {
            return Err(ApiError::gone(rv));
        }
        let backlog = inner.log.iter().filter(|e| e.rv > rv).cloned().collect();
        Ok((backlog, self.events.subscribe()))
    }

    /// The current objects of a type and a receiver for later events, with no gap.
    pub fn watch_current(
        &self,
        group: &str,
        plural: &str,
        namespace: Option<&str>,
    ) -> (Vec<Value>, u64, broadcast::Receiver<Arc<Event>>) {
        let inner = self.lock();
        (
            list_in(&inner.objects, group, plural, namespace),
            inner.rv,
            self.events.subscribe(),
        )
    }
}

fn list_in(
    objects: &BTreeMap<Key, Value>,
    group: &str,
    plural: &str,
    namespace: Option<&str>,
) -> Vec<Value> {
    let start = Key::new(group, plural, namespace.unwrap_or(""), "");
    objects
        .range(start..)
        .take_while(|(k, _)| {
            k.group == group && k.plural == plural && namespace.is_none_or(|ns| k.namespace == ns)
        })
        .map(|(_, v)| v.clone())
        .collect()
}

fn persist(inner: &mut Inner, rv: u64, events: &[Event]) -> std::io::Result<()> {
    let Some(wal) = inner.wal.as_mut() else {
        return Ok(());
    };
    let mut puts = Vec::new();
    let mut deletes = Vec::new();
    for e in events {
        match e.type_ {
            EventType::Deleted => deletes.push(e.key.clone()),
            _ => puts.push((e.key.clone(), e.object.clone())),
        }
    }
    let mut line =
        serde_json::to_vec(&WalEntry { rv, puts, deletes }).map_err(std::io::Error::other)?;
    line.push(b'\n');
    if let Err(error) = wal.write_all(&line).and_then(|()| wal.sync_data()) {
        // Cut a partial append back off, so the next entry starts on a line of its own.
        let _ = wal
            .set_len(inner.wal_len)
            .and_then(|()| wal.seek(SeekFrom::Start(inner.wal_len)).map(drop));
        return Err(error);
    }
    inner.wal_len += line.len() as u64;
    inner.wal_entries += 1;
    Ok(())
}

/// The view of the store inside [`Store::write`].
pub struct Txn<'a> {
    objects: &'a mut BTreeMap<Key, Value>,
    rv: u64,
    undo: Vec<(Key, Option<Value>)>,
    events: Vec<Event>,
}

impl Txn<'_> {
    /// One object.
    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.objects.get(key)
    }

    /// Keys of every object in a namespace (for namespace deletion).
    pub fn keys_in_namespace(&self, namespace: &str) -> Vec<Key> {
        self.objects
            .keys()
            .filter(|k| k.namespace == namespace)
            .cloned()
            .collect()
    }

    /// Keys of objects that name `uid` as an owner.
    pub fn owned_by(&self, uid: &str) -> Vec<Key> {
        self.objects
            .iter()
            .filter(|(_, v)| {
                v.pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|refs| {
                        refs.iter()
                            .any(|r| r.get("uid").and_then(Value::as_str) == Some(uid))
                    })
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Stores an object with the next resourceVersion and returns it as stored.
    pub fn put(&mut self, key: Key, mut object: Value) -> Value {
        self.rv += 1;
        object["metadata"]["resourceVersion"] = Value::String(self.rv.to_string());
        let old = self.objects.insert(key.clone(), object.clone());
        let type_ = if old.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        self.undo.push((key.clone(), old));
        self.events.push(Event {
            rv: self.rv,
            type_,
            key,
            object: object.clone(),
        });
        object
    }

    /// Deletes an object; the DELETED event carries the next resourceVersion.
    pub fn delete(&mut self, key: &Key) -> Option<Value> {
        let old = self.objects.remove(key)?;
        self.rv += 1;
        let mut last = old.clone();
        last["metadata"]["resourceVersion"] = Value::String(self.rv.to_string());
        self.undo.push((key.clone(), Some(old)));
        self.events.push(Event {
            rv: self.rv,
            type_: EventType::Deleted,
            key: key.clone(),
            object: last.clone(),
        });
        Some(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm(name: &str) -> (Key, Value) {
        (
            Key::new("", "configmaps", "default", name),
            json!({"metadata": {"name": name, "namespace": "default"}}),
        )
    }

    #[test]
    fn acknowledged_writes_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (store, empty) = Store::open(dir.path()).unwrap();
            assert!(empty);
            for n in ["a", "b", "c"] {
                let (k, v) = cm(n);
                store.write(|t| Ok(t.put(k, v))).unwrap();
            }
            store.write(|t| Ok(t.delete(&cm("b").0))).unwrap();
        }
        let (store, empty) = Store::open(dir.path()).unwrap();
        assert!(!empty);
        let (items, rv) = store.list("", "configmaps", Some("default"));
        let names: Vec<&str> = items
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a", "c"]);
        assert_eq!(rv, 4);
    }

    #[test]
    fn a_torn_last_log_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (store, _) = Store::open(dir.path()).unwrap();
            let (k, v) = cm("a");
            store.write(|t| Ok(t.put(k, v))).unwrap();
        }
        let mut wal = OpenOptions::new()
            .append(true)
            .open(dir.path().join("wal.jsonl"))
            .unwrap();
        wal.write_all(b"{\"rv\":9,\"puts\":[[").unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        assert_eq!(store.resource_version(), 1);
    }

    /// Three ConfigMaps written, then the middle entry damaged: the start stops and names
    /// the line, instead of silently dropping the acknowledged writes after it.
    #[test]
    fn a_corrupt_entry_before_the_end_stops_the_start_and_keeps_the_file() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (store, _) = Store::open(dir.path()).unwrap();
            for n in ["a", "b", "c"] {
                let (k, v) = cm(n);
                store.write(|t| Ok(t.put(k, v))).unwrap();
            }
        }
        let path = log_path(dir.path());
        let mut text = fs::read_to_string(&path).unwrap();
        let second = text.match_indices('\n').next().unwrap().0 + 1;
        text.replace_range(second..second + 1, "#");
        fs::write(&path, &text).unwrap();

        let Err(LoadError::CorruptLog {
            line, path: named, ..
        }) = Store::open(dir.path())
        else {
            panic!("a damaged entry must stop the start");
        };
        assert_eq!((line, named), (2, path.clone()));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "the log is left untouched"
        );

        let repaired = repair_log(dir.path()).unwrap();
        assert_eq!((repaired.kept, repaired.dropped), (1, 2));
        assert_eq!(fs::read_to_string(&repaired.saved_as).unwrap(), text);
        let (store, _) = Store::open(dir.path()).unwrap();
        assert_eq!(store.resource_version(), 1);
        assert!(store.get(&cm("a").0).is_some());
        assert!(store.get(&cm("c").0).is_none());
    }

    #[test]
    fn the_state_files_are_readable_by_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        let (k, v) = cm("a");
        store.write(|t| Ok(t.put(k, v))).unwrap();
        for file in ["state.json", "wal.jsonl"] {
            let mode = fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }

    #[test]
    fn a_failed_transaction_changes_nothing() {
        let store = Store::in_memory();
        let (k, v) = cm("a");
        let err = store.write(|t| {
            t.put(k.clone(), v);
            Err::<(), _>(ApiError::bad_request("no"))
        });
        assert!(err.is_err());
        assert_eq!(store.get(&k), None);
        assert_eq!(store.resource_version(), 0);
    }

    #[test]
    fn a_watch_from_before_the_event_log_is_gone() {
        let store = Store::in_memory();
        let (k, v) = cm("a");
        for _ in 0..=EVENT_LOG {
            store.write(|t| Ok(t.put(k.clone(), v.clone()))).unwrap();
        }
        let err = store.watch_from(0).expect_err("410");
        assert_eq!((err.code.as_u16(), err.reason), (410, "Expired"));
        assert!(store.watch_from(store.resource_version() - 10).is_ok());
    }

    #[test]
    fn watch_from_replays_exactly_the_later_events() {
        let store = Store::in_memory();
        for n in ["a", "b", "c"] {
            let (k, v) = cm(n);
            store.write(|t| Ok(t.put(k, v))).unwrap();
        }
        let (backlog, _rx) = store.watch_from(1).unwrap();
        let rvs: Vec<u64> = backlog.iter().map(|e| e.rv).collect();
        assert_eq!(rvs, [2, 3]);
    }
}
