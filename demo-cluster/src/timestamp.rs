//! Timestamps as the Kubernetes API writes them: RFC 3339, UTC, whole seconds.

/// Now, as `2026-01-02T03:04:05Z`.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
