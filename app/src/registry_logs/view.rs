//! What the logs page receives.

use serde::{Deserialize, Serialize};

use crate::viewer::Viewer;

/// A registry pod, as the pod chooser lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PodRef {
    pub name: String,
    pub restarts: i32,
}

/// One log line, with the pod it came from and the level it says (`info` when none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub pod: String,
    pub level: String,
    pub text: String,
}

/// An event of the registry's namespace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    /// `Normal` or `Warning`.
    pub kind: String,
    pub reason: String,
    /// `Kind/name` of the object it is about.
    pub object: String,
    pub message: String,
    pub count: i32,
    /// Seconds since it last happened.
    pub age: i64,
}

/// The page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogsData {
    pub viewer: Viewer,
    pub pods: Vec<PodRef>,
    pub lines: Vec<LogLine>,
    pub events: Vec<EventRow>,
}

/// The level a registry log line says: `level=...` in logrus' text form.
pub fn level_of(line: &str) -> &str {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix("level="))
        .map(|l| l.trim_matches('"'))
        .map(|l| match l {
            "warn" => "warning",
            "fatal" | "panic" => "error",
            other => other,
        })
        .unwrap_or("info")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_from_the_registrys_log_lines() {
        assert_eq!(
            level_of(r#"time="2026-12-06T11:50:24Z" level=info msg="listening on 127.0.0.1:5000""#),
            "info"
        );
        assert_eq!(level_of("time=x level=warn msg=y"), "warning");
        assert_eq!(level_of("time=x level=error msg=\"level=info\""), "error");
        assert_eq!(level_of("127.0.0.1 - - \"GET /v2/ HTTP/1.1\" 200"), "info");
    }
}
