//! Each real write the console made, recorded as a Kubernetes Event on the object.
//!
//! The audit lines (`cluster::write`, target `audit`) already say what was written; the
//! request's span says who and which request. [`Recorder`] is a tracing layer that reads
//! both and hands each done, real write to [`write_events`], which creates the Event with
//! the console's own identity: the record is the console's, not something the user could
//! write or withhold, and it needs `create` on `events` for that identity (the README's
//! permissions). Dry runs, refusals, conflicts and errors stay log lines only.
//!
//! Events are written the way kube-apiserver accepts legacy (`core/v1`) events: the
//! object's namespace, or `default` for an object of the whole cluster; `source` and
//! `reportingComponent` name the console, and annotations carry the user, the request id
//! and the field paths for the page to show in the reader's language. Never a value.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::Api;
use kube::api::PostParams;
use tokio::sync::mpsc;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event as TracingEvent, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{FilterFn, Filtered, filter_fn};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

use super::view::Verb;
use crate::cluster::write::FIELD_SEPARATOR;

/// The console's name on its Events (`source.component`, `reportingComponent`).
pub const COMPONENT: &str = "registry-console";
/// Annotations of an Event the console wrote.
pub const USER_ANNOTATION: &str = "registry-console/user";
pub const FIELDS_ANNOTATION: &str = "registry-console/fields";
pub const REQUEST_ANNOTATION: &str = "registry-console/request-id";
/// Where kube-apiserver wants the events of an object of the whole cluster.
pub const CLUSTER_EVENTS_NAMESPACE: &str = "default";
/// Changes waiting for their Event; past that (the API server away for long), the
/// newest wait for room and the audit log line is their only record.
const QUEUED: usize = 1_000;

/// A write that was done, for its Event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub verb: Verb,
    pub api_version: String,
    pub kind: String,
    /// Empty for an object of the whole cluster.
    pub namespace: String,
    pub name: String,
    pub fields: String,
    pub user: String,
    pub request_id: String,
}

impl Change {
    /// The Event that records this change, at `now`.
    pub fn event(&self, now: DateTime<Utc>) -> Event {
        // Seconds, as kube-apiserver keeps these times.
        let now = k8s_openapi::jiff::Timestamp::from_second(now.timestamp())
            .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
        let namespace = if self.namespace.is_empty() {
            CLUSTER_EVENTS_NAMESPACE
        } else {
            &self.namespace
        };
        let reason = match self.verb {
            Verb::Create => "Created",
            Verb::Patch => "Changed",
            Verb::Delete => "Deleted",
        };
        let fields = if self.fields.is_empty() {
            String::new()
        } else {
            format!(": {}", self.fields)
        };
        let annotations = BTreeMap::from([
            (USER_ANNOTATION.to_owned(), self.user.clone()),
            (FIELDS_ANNOTATION.to_owned(), self.fields.clone()),
            (REQUEST_ANNOTATION.to_owned(), self.request_id.clone()),
        ]);
        Event {
            metadata: ObjectMeta {
                // kube-apiserver's own naming: the object's name and a unique suffix.
                generate_name: Some(format!("{}.", self.name)),
                namespace: Some(namespace.to_owned()),
                annotations: Some(annotations),
                ..ObjectMeta::default()
            },
            involved_object: ObjectReference {
                api_version: Some(self.api_version.clone()),
                kind: Some(self.kind.clone()),
                name: Some(self.name.clone()),
                namespace: (!self.namespace.is_empty()).then(|| self.namespace.clone()),
                ..ObjectReference::default()
            },
            reason: Some(reason.to_owned()),
            action: Some(self.verb.as_str().to_owned()),
            message: Some(format!(
                "{reason} by {} with {COMPONENT} (request {}){fields}",
                self.user, self.request_id
            )),
            type_: Some("Normal".to_owned()),
            source: Some(EventSource {
                component: Some(COMPONENT.to_owned()),
                host: None,
            }),
            reporting_component: Some(COMPONENT.to_owned()),
            first_timestamp: Some(Time(now)),
            last_timestamp: Some(Time(now)),
            count: Some(1),
            ..Event::default()
        }
    }
}

/// Creates an Event for each change received, with `client` (the console's own), until
/// every [`Recorder`] is gone. A refusal is logged (without a value) and the next change
/// goes on: the audit line stays the change's record.
pub async fn write_events(client: kube::Client, mut changes: mpsc::Receiver<Change>) {
    while let Some(change) = changes.recv().await {
        let event = change.event(Utc::now());
        let namespace = event.metadata.namespace.clone().unwrap_or_default();
        let events = Api::<Event>::namespaced(client.clone(), &namespace);
        if let Err(error) = events.create(&PostParams::default(), &event).await {
            tracing::warn!(
                kind = %change.kind,
                name = %change.name,
                %namespace,
                %error,
                "could not record the console's change as an Event (it stays in the audit log); \
                 the console's own identity needs `create` on `events`"
            );
        }
    }
}

/// The tracing layer that turns the audit lines of done, real writes into [`Change`]s.
pub struct Recorder {
    changes: mpsc::Sender<Change>,
}

impl Recorder {
    /// A recorder, and the receiving end for [`write_events`].
    pub fn new() -> (Self, mpsc::Receiver<Change>) {
        let (changes, received) = mpsc::channel(QUEUED);
        (Self { changes }, received)
    }

    /// The layer, seeing only audit lines and the spans that name requests, whatever the
    /// log level (`RUST_LOG` decides what is printed, not what is recorded).
    pub fn layer<S>(self) -> Filtered<Self, FilterFn, S>
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        self.with_filter(filter_fn(|meta| {
            meta.target() == "audit" || (meta.is_span() && meta.fields().field("user").is_some())
        }))
    }
}

/// Who a span's request is for, as far as it has said.
#[derive(Default)]
struct Who {
    user: Option<String>,
    request_id: Option<String>,
}

impl Visit for Who {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "user" => self.user = Some(value.to_owned()),
            "request_id" => self.request_id = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // `%value` fields arrive here, printing as their Display.
        self.record_str(field, &format!("{value:?}"));
    }
}

/// The fields of one audit line, as it says them.
#[derive(Default)]
struct Line {
    verb: String,
    api_version: String,
    kind: String,
    namespace: String,
    name: String,
    fields: String,
    dry_run: bool,
    outcome: String,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        let slot = match field.name() {
            "verb" => &mut self.verb,
            "api_version" => &mut self.api_version,
            "kind" => &mut self.kind,
            "namespace" => &mut self.namespace,
            "name" => &mut self.name,
            "fields" => &mut self.fields,
            "outcome" => &mut self.outcome,
            _ => return,
        };
        *slot = value.to_owned();
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "dry_run" {
            self.dry_run = value;
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
}

impl<S> Layer<S> for Recorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut who = Who::default();
        attrs.record(&mut who);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(who);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(who) = span.extensions_mut().get_mut::<Who>()
        {
            values.record(who);
        }
    }

    fn on_event(&self, event: &TracingEvent<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "audit" {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        if line.dry_run || line.outcome != "done" {
            return;
        }
        let Some(verb) = Verb::parse(&line.verb) else {
            return;
        };
        let mut change = Change {
            verb,
            api_version: line.api_version,
            kind: line.kind,
            namespace: line.namespace,
            name: line.name,
            fields: line.fields,
            user: String::new(),
            request_id: String::new(),
        };
        for span in ctx.event_scope(event).into_iter().flatten() {
            if let Some(who) = span.extensions().get::<Who>() {
                if change.user.is_empty() {
                    change.user = who.user.clone().unwrap_or_default();
                }
                if change.request_id.is_empty() {
                    change.request_id = who.request_id.clone().unwrap_or_default();
                }
            }
        }
        // Full (the API server away for long) or the writer gone: the audit line,
        // printed beside this layer, stays the record.
        let _ = self.changes.try_send(change);
    }
}

/// The field paths of an Event's annotation, as the audit line joined them.
pub fn split_fields(text: &str) -> Vec<String> {
    text.split(FIELD_SEPARATOR)
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}
