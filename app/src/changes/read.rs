//! A page's recent changes by the console, read from the Events [`super::record`] wrote,
//! with the user's own token: where the cluster does not let them list events, the page
//! says which namespace it could not read instead of failing.

use chrono::{DateTime, Utc};
use futures::future::join_all;
use k8s_openapi::api::core::v1::{ConfigMap, Event, PersistentVolumeClaim, Secret};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleBinding};
use kube::Api;
use kube::Resource;
use kube::api::ListParams;
use registry_model::names::{CONFIG_NAMESPACE, REGISTRY_NAMESPACE, SINGLETON};
use registry_model::{Config, Image, ImagePruner};

use super::record::{
    CLUSTER_EVENTS_NAMESPACE, COMPONENT, FIELDS_ANNOTATION, REQUEST_ANNOTATION, USER_ANNOTATION,
    split_fields,
};
use super::view::{ChangeView, RecentChangesView, Subject, Verb};
use crate::console::SignedIn;
use crate::error::ConsoleError;
use crate::i18n::said;

/// How many changes a page lists.
pub const SHOWN: usize = 20;

/// The events of one kind of object (of one name, or any) in one namespace (or all).
#[derive(Debug, PartialEq)]
struct Query {
    namespace: Option<&'static str>,
    api_version: String,
    kind: String,
    name: Option<&'static str>,
}

impl Query {
    fn of<K: Resource<DynamicType = ()>>(
        namespace: Option<&'static str>,
        name: Option<&'static str>,
    ) -> Self {
        Self {
            namespace,
            api_version: K::api_version(&()).into_owned(),
            kind: K::kind(&()).into_owned(),
            name,
        }
    }

    /// An object of the whole cluster: its events are in `default`.
    fn cluster<K: Resource<DynamicType = ()>>(name: Option<&'static str>) -> Self {
        Self::of::<K>(Some(CLUSTER_EVENTS_NAMESPACE), name)
    }

    /// kube-apiserver's field selectors for events (`involvedObject.*`); the console's own
    /// are picked from them by their source, which not every version can select on.
    fn fields(&self) -> String {
        let mut fields = format!(
            "involvedObject.apiVersion={},involvedObject.kind={}",
            self.api_version, self.kind
        );
        if let Some(name) = self.name {
            fields.push_str(&format!(",involvedObject.name={name}"));
        }
        fields
    }
}

/// The objects whose changes `subject`'s page lists: those its form writes.
fn queries(subject: Subject) -> Vec<Query> {
    let registry = Some(REGISTRY_NAMESPACE);
    match subject {
        Subject::Config => vec![
            Query::cluster::<Config>(Some(SINGLETON)),
            Query::of::<Secret>(registry, None),
            Query::of::<PersistentVolumeClaim>(registry, None),
        ],
        Subject::Pruner => vec![Query::cluster::<ImagePruner>(Some(SINGLETON))],
        Subject::Trust => vec![
            Query::cluster::<Image>(Some(SINGLETON)),
            Query::of::<ConfigMap>(Some(CONFIG_NAMESPACE), None),
        ],
        Subject::Routes => vec![
            Query::cluster::<Config>(Some(SINGLETON)),
            Query::of::<Secret>(registry, None),
        ],
        Subject::Access => vec![
            Query::of::<RoleBinding>(None, None),
            Query::cluster::<ClusterRoleBinding>(None),
            Query::cluster::<ClusterRole>(None),
        ],
    }
}

/// The recent changes by the console to `subject`'s objects, newest first, as `user`
/// may read them.
pub async fn read_as(user: &SignedIn, subject: Subject) -> Result<RecentChangesView, ConsoleError> {
    let lists = join_all(queries(subject).into_iter().map(|query| async move {
        let events: Api<Event> = match query.namespace {
            Some(namespace) => Api::namespaced(user.client.clone(), namespace),
            None => Api::all(user.client.clone()),
        };
        let listed = events
            .list(&ListParams::default().fields(&query.fields()))
            .await;
        (query, listed)
    }))
    .await;
    let mut view = RecentChangesView::default();
    for (query, listed) in lists {
        match listed {
            Ok(list) => view.changes.extend(list.items.iter().filter_map(change_of)),
            Err(kube::Error::Api(status)) if status.code == 403 => {
                let namespace = query.namespace.unwrap_or_default().to_owned();
                if !view.hidden.contains(&namespace) {
                    view.hidden.push(namespace);
                }
            }
            Err(error) => return Err(user.explain(error, said::errors::to_read_changes())),
        }
    }
    view.changes
        .sort_by_key(|change| std::cmp::Reverse(change.at));
    view.changes.truncate(SHOWN);
    Ok(view)
}

/// The change an Event records, if the console wrote it.
fn change_of(event: &Event) -> Option<ChangeView> {
    let by_console = event.reporting_component.as_deref() == Some(COMPONENT)
        || event.source.as_ref().and_then(|s| s.component.as_deref()) == Some(COMPONENT);
    if !by_console {
        return None;
    }
    let annotations = event.metadata.annotations.as_ref()?;
    let annotation = |key: &str| annotations.get(key).cloned().unwrap_or_default();
    let object = &event.involved_object;
    Some(ChangeView {
        at: at(event),
        user: annotation(USER_ANNOTATION),
        verb: Verb::parse(event.action.as_deref()?)?,
        kind: object.kind.clone().unwrap_or_default(),
        namespace: object.namespace.clone().unwrap_or_default(),
        name: object.name.clone().unwrap_or_default(),
        fields: split_fields(&annotation(FIELDS_ANNOTATION)),
        request_id: annotation(REQUEST_ANNOTATION),
    })
}

/// When the change was made: the Event's last time, else its creation.
fn at(event: &Event) -> Option<DateTime<Utc>> {
    let time = event
        .last_timestamp
        .as_ref()
        .or(event.first_timestamp.as_ref())
        .or(event.metadata.creation_timestamp.as_ref())
        .map(|t| t.0)
        .or_else(|| event.event_time.as_ref().map(|t| t.0))?;
    crate::time::from_k8s(time)
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
