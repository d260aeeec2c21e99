//! The logs and events as the user may read them.

use chrono::Utc;
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams, LogParams};
use registry_model::names::REGISTRY_NAMESPACE;

use super::view::{EventRow, LogLine, LogsData, PodRef, level_of};
use crate::console::SignedIn;
use crate::error::ConsoleError;
use crate::i18n::said;

/// Lines kept per pod.
const TAIL: i64 = 300;
/// Events shown, newest first.
const EVENTS: usize = 50;

pub async fn read_as(user: &SignedIn, pod: &str, previous: bool) -> Result<LogsData, ConsoleError> {
    let explained = |e| user.explain(e, said::errors::to_read_logs());
    let pods: Api<Pod> = Api::namespaced(user.client.clone(), REGISTRY_NAMESPACE);
    let listed = pods
        .list(&ListParams::default().labels("docker-registry=default"))
        .await
        .map_err(explained)?
        .items;
    let refs: Vec<PodRef> = listed
        .iter()
        .filter_map(|p| {
            Some(PodRef {
                name: p.metadata.name.clone()?,
                restarts: p
                    .status
                    .as_ref()
                    .and_then(|s| s.container_statuses.as_ref())
                    .map_or(0, |cs| cs.iter().map(|c| c.restart_count).sum()),
            })
        })
        .collect();
    let chosen: Vec<&PodRef> = refs
        .iter()
        .filter(|p| pod.is_empty() || p.name == pod)
        .collect();
    let mut lines = Vec::new();
    for p in chosen {
        let params = LogParams {
            tail_lines: Some(TAIL),
            previous: previous && !pod.is_empty(),
            ..Default::default()
        };
        let text = match pods.logs(&p.name, &params).await {
            Ok(text) => text,
            // A pod whose container has not started has no log yet; a missing previous
            // container is said by the page (no lines).
            Err(kube::Error::Api(e)) if e.code == 400 || e.code == 404 => String::new(),
            Err(e) => return Err(explained(e)),
        };
        lines.extend(text.lines().map(|line| LogLine {
            pod: p.name.clone(),
            level: level_of(line).to_string(),
            text: line.to_string(),
        }));
    }
    let events: Api<Event> = Api::namespaced(user.client.clone(), REGISTRY_NAMESPACE);
    let now = Utc::now();
    let mut events: Vec<(i64, EventRow)> = events
        .list(&ListParams::default())
        .await
        .map_err(explained)?
        .items
        .into_iter()
        .map(|e| {
            let when = e
                .last_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
                .or_else(|| e.event_time.as_ref().map(|t| t.0.as_second()))
                .or_else(|| {
                    e.metadata
                        .creation_timestamp
                        .as_ref()
                        .map(|t| t.0.as_second())
                })
                .unwrap_or(0);
            let object = format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            );
            (
                when,
                EventRow {
                    kind: e.type_.unwrap_or_else(|| "Normal".into()),
                    reason: e.reason.unwrap_or_default(),
                    object,
                    message: e.message.unwrap_or_default(),
                    count: e.count.unwrap_or(1),
                    age: (now.timestamp() - when).max(0),
                },
            )
        })
        .collect();
    events.sort_by_key(|(when, _)| -when);
    Ok(LogsData {
        viewer: user.viewer(false),
        pods: refs,
        lines,
        events: events.into_iter().take(EVENTS).map(|(_, e)| e).collect(),
    })
}
