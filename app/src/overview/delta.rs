//! The live stream's updates: the first is the whole overview, each later one only the
//! overview's fields that changed (a field is replaced whole), so a pod's restart sends
//! the pods and not the page. Both ends are here, so they cannot drift apart.
//!
//! The browser reads both into typed values ([`Overview`], [`Changes`]), never into a
//! `serde_json::Value`: `Value`'s readers and writers (and the float tables they bring)
//! would be tens of kilobytes of the overview's first load.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use registry_model::registry_config::ManagementState;

use super::view::{
    ConditionView, Doctor, Guidance, Overview, PodView, ReplicaSummary, RouteView, StorageSummary,
};

/// What one server-sent event carries.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// The whole overview (event `overview`).
    Whole(Map<String, Value>),
    /// Only the fields that changed since the last update (event `changed`).
    Changed(Map<String, Value>),
}

/// The server's end: remembers what the page was sent.
#[derive(Default)]
pub struct Sent {
    last: Option<Map<String, Value>>,
}

impl Sent {
    /// The update that takes the page from what it was sent to `overview`.
    pub fn update(&mut self, overview: &super::view::Overview) -> Update {
        let Ok(Value::Object(now)) = serde_json::to_value(overview) else {
            unreachable!("an overview serializes to an object")
        };
        let update = match &self.last {
            None => Update::Whole(now.clone()),
            Some(last) => Update::Changed(
                now.iter()
                    .filter(|(field, value)| last.get(*field) != Some(value))
                    .map(|(field, value)| (field.clone(), value.clone()))
                    .collect(),
            ),
        };
        self.last = Some(now);
        update
    }
}

/// The browser's end: a `changed` event, read field by field. A field that is absent did
/// not change; one of the overview's optional fields that became empty arrives as `null`,
/// which reads as `Some(None)`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Changes {
    #[serde(with = "chrono::serde::ts_milliseconds_option")]
    generated_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "present")]
    management_state: Option<Option<ManagementState>>,
    #[serde(deserialize_with = "present")]
    resource_version: Option<Option<String>>,
    storage: Option<StorageSummary>,
    replicas: Option<ReplicaSummary>,
    operator_conditions: Option<Vec<ConditionView>>,
    config_conditions: Option<Vec<ConditionView>>,
    pods: Option<Vec<PodView>>,
    #[serde(deserialize_with = "present")]
    internal_hostname: Option<Option<String>>,
    routes: Option<Vec<RouteView>>,
    guidance: Option<Vec<Guidance>>,
    doctor: Option<Doctor>,
    unreadable: Option<Vec<crate::i18n::Phrase>>,
}

/// A field that is present, even as `null` (absent fields take the default, `None`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

impl Changes {
    /// Applies the changed fields to the overview the page holds.
    pub fn apply(self, held: &mut Overview) {
        // Destructured whole, so a field added to `Overview` without its line here is a
        // compile error, not an update the page silently never shows.
        let Changes {
            generated_at,
            management_state,
            resource_version,
            storage,
            replicas,
            operator_conditions,
            config_conditions,
            pods,
            internal_hostname,
            routes,
            guidance,
            doctor,
            unreadable,
        } = self;
        let Overview {
            generated_at: held_generated_at,
            management_state: held_management_state,
            resource_version: held_resource_version,
            storage: held_storage,
            replicas: held_replicas,
            operator_conditions: held_operator_conditions,
            config_conditions: held_config_conditions,
            pods: held_pods,
            internal_hostname: held_internal_hostname,
            routes: held_routes,
            guidance: held_guidance,
            doctor: held_doctor,
            unreadable: held_unreadable,
        } = held;
        replace(held_generated_at, generated_at);
        replace(held_management_state, management_state);
        replace(held_resource_version, resource_version);
        replace(held_storage, storage);
        replace(held_replicas, replicas);
        replace(held_operator_conditions, operator_conditions);
        replace(held_config_conditions, config_conditions);
        replace(held_pods, pods);
        replace(held_internal_hostname, internal_hostname);
        replace(held_routes, routes);
        replace(held_guidance, guidance);
        replace(held_doctor, doctor);
        replace(held_unreadable, unreadable);
    }
}

fn replace<T>(held: &mut T, changed: Option<T>) {
    if let Some(value) = changed {
        *held = value;
    }
}

/// A `stale` event's data: since when the cluster has not answered, in milliseconds since
/// the epoch.
pub fn stale_data(since: DateTime<Utc>) -> String {
    since.timestamp_millis().to_string()
}

/// The browser's end of [`stale_data`].
pub fn read_stale(data: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(data.trim().parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overview::view::{Overview, ReplicaSummary};

    /// What the browser does with an event's text.
    fn read(update: Update, held: &mut Option<Overview>) {
        match update {
            Update::Whole(whole) => {
                let text = Value::Object(whole).to_string();
                *held = Some(serde_json::from_str(&text).unwrap());
            }
            Update::Changed(changed) => {
                let text = Value::Object(changed).to_string();
                let changes: Changes = serde_json::from_str(&text).unwrap();
                changes.apply(held.as_mut().unwrap());
            }
        }
    }

    #[test]
    fn the_first_update_is_whole_and_later_ones_carry_only_what_changed() {
        let mut sent = Sent::default();
        let mut held = None;
        let first = Overview {
            management_state: Some(ManagementState::Removed),
            resource_version: Some("7".into()),
            internal_hostname: Some("image-registry.openshift-image-registry.svc:5000".into()),
            ..Overview::default()
        };
        let whole = sent.update(&first);
        assert!(
            matches!(whole, Update::Whole(_)),
            "the first update is whole"
        );
        read(whole, &mut held);
        assert_eq!(held.as_ref(), Some(&first));

        let second = Overview {
            replicas: ReplicaSummary {
                desired: Some(2),
                ready: Some(1),
            },
            ..first.clone()
        };
        let changed = sent.update(&second);
        let Update::Changed(fields) = &changed else {
            panic!("later updates are changes")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["replicas"]);
        read(changed, &mut held);
        assert_eq!(held.as_ref(), Some(&second));
        assert_eq!(sent.update(&second), Update::Changed(Map::new()));
    }

    #[test]
    fn stale_events_carry_the_time_to_the_millisecond() {
        let since = DateTime::from_timestamp_millis(1_795_000_000_123).unwrap();
        assert_eq!(stale_data(since), "1795000000123");
        assert_eq!(read_stale(&stale_data(since)), Some(since));
        assert_eq!(read_stale("2026-11-25T10:11:12Z"), None);
    }

    #[test]
    fn times_travel_as_milliseconds() {
        let at = DateTime::from_timestamp_millis(1_795_000_000_123).unwrap();
        let overview = Overview {
            generated_at: at,
            ..Overview::default()
        };
        let Update::Whole(whole) = Sent::default().update(&overview) else {
            panic!("the first update is whole")
        };
        assert_eq!(
            whole["generated_at"],
            serde_json::json!(1_795_000_000_123_i64)
        );
    }

    #[test]
    fn fields_that_become_empty_are_emptied_and_absent_ones_kept() {
        let mut sent = Sent::default();
        let mut held = None;
        let first = Overview {
            management_state: Some(ManagementState::Managed),
            resource_version: Some("7".into()),
            internal_hostname: Some("registry.example:5000".into()),
            pods: vec![PodView {
                name: "image-registry-1".into(),
                ready: "1/1".into(),
                status: "Running".into(),
                restarts: 0,
                created: None,
            }],
            ..Overview::default()
        };
        read(sent.update(&first), &mut held);
        let second = Overview {
            management_state: None,
            internal_hostname: None,
            pods: vec![],
            ..first.clone()
        };
        read(sent.update(&second), &mut held);
        assert_eq!(held.as_ref(), Some(&second));
        assert_eq!(held.unwrap().resource_version.as_deref(), Some("7"));
    }
}
