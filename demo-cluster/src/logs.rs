//! Pod logs: the text the simulated workloads write, served at `pods/NAME/log`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

/// One appended log line.
#[derive(Clone, Debug)]
pub struct LogLine {
    pub namespace: String,
    pub pod: String,
    pub line: String,
}

/// Lines per `(namespace, pod)`.
type LogMap = HashMap<(String, String), Vec<String>>;

/// Logs of every pod, kept in memory (a restarted pod starts a new log, as in a cluster).
#[derive(Clone)]
pub struct PodLogs {
    logs: Arc<Mutex<LogMap>>,
    tx: broadcast::Sender<Arc<LogLine>>,
}

impl Default for PodLogs {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(1024);
        PodLogs {
            logs: Arc::default(),
            tx,
        }
    }
}

impl PodLogs {
    /// Appends a line (a trailing newline is added).
    pub fn append(&self, namespace: &str, pod: &str, line: &str) {
        let line = format!("{line}\n");
        self.logs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((namespace.to_string(), pod.to_string()))
            .or_default()
            .push(line.clone());
        let _ = self.tx.send(Arc::new(LogLine {
            namespace: namespace.into(),
            pod: pod.into(),
            line,
        }));
    }

    /// The log so far (the last `tail` lines if given) and a receiver for what follows.
    pub fn read(
        &self,
        namespace: &str,
        pod: &str,
        tail: Option<usize>,
    ) -> (String, broadcast::Receiver<Arc<LogLine>>) {
        let logs = self.logs.lock().unwrap_or_else(|p| p.into_inner());
        let lines = logs
            .get(&(namespace.to_string(), pod.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let start = tail.map_or(0, |t| lines.len().saturating_sub(t));
        (lines[start..].concat(), self.tx.subscribe())
    }
}
