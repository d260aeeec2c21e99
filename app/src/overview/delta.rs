//! The live stream's updates: the first is the whole overview, each later one only the
//! overview's fields that changed (a field is replaced whole), so a pod's restart sends
//! the pods and not the page. Both ends are here, so they cannot drift apart.

use serde_json::{Map, Value};

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

/// The browser's end: applies `changed` to what it holds.
pub fn apply(held: &mut Map<String, Value>, changed: Map<String, Value>) {
    held.extend(changed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overview::view::{Overview, ReplicaSummary};

    #[test]
    fn the_first_update_is_whole_and_later_ones_carry_only_what_changed() {
        let mut sent = Sent::default();
        let first = Overview::default();
        let Update::Whole(mut held) = sent.update(&first) else {
            panic!("the first update is whole")
        };
        let second = Overview {
            replicas: ReplicaSummary {
                desired: Some(2),
                ready: Some(1),
            },
            ..first.clone()
        };
        let Update::Changed(changed) = sent.update(&second) else {
            panic!("later updates are changes")
        };
        assert_eq!(changed.keys().collect::<Vec<_>>(), ["replicas"]);
        apply(&mut held, changed);
        let rebuilt: Overview = serde_json::from_value(Value::Object(held)).unwrap();
        assert_eq!(rebuilt, second);
        assert_eq!(sent.update(&second), Update::Changed(Map::new()));
    }
}
