//! When the object changed under a form: a three-way merge of what the form showed (`saw`),
//! what the user made of it (`mine`) and what the cluster holds now (`now`). An edit that
//! does not touch what changed is kept; a field changed on both sides to different values
//! is a [`Clash`] the user decides, with the three values in front of them.
//!
//! It works on any form's values through their serde form, leaf by leaf (objects are
//! walked, everything else, lists included, is one leaf), so every form gets it for free.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::outcome::{Object, Outcome};
use super::review::field_link;
use crate::i18n::tr;

/// Where a value sits in a form's values: the keys from the top. A map's key may hold dots
/// (`fields["s3.bucket"]`), so it is not one dotted string.
pub type Path = Vec<String>;

/// A field that the user and someone else both changed, to different values.
#[derive(Clone, Debug, PartialEq)]
pub struct Clash {
    pub path: Path,
    pub saw: Value,
    pub mine: Value,
    pub now: Value,
}

/// The values a merge made, and what the user should know about them.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged<V> {
    /// `now` with the user's edits on top; each clash holds the user's value until they
    /// choose.
    pub values: V,
    /// The user's edits that went on top untouched.
    pub kept: Vec<Path>,
    /// The fields changed on both sides.
    pub clashes: Vec<Clash>,
}

/// What a form held when the object changed under it: carried to the form that shows the
/// object as it is now.
#[derive(Clone, Debug, PartialEq)]
pub struct Carried<V> {
    pub saw: V,
    pub mine: V,
}

impl<V: Serialize + DeserializeOwned + Clone> Carried<V> {
    /// The user's edits on top of `now`.
    pub fn onto(&self, now: &V) -> Merged<V> {
        merge(&self.saw, &self.mine, now)
    }
}

fn to_value<V: Serialize>(values: &V) -> Value {
    serde_json::to_value(values).unwrap_or(Value::Null)
}

/// The three-way merge of a form's values.
pub fn merge<V: Serialize + DeserializeOwned + Clone>(saw: &V, mine: &V, now: &V) -> Merged<V> {
    let mut kept = Vec::new();
    let mut clashes = Vec::new();
    let merged = walk(
        &to_value(saw),
        &to_value(mine),
        &to_value(now),
        &mut Vec::new(),
        &mut kept,
        &mut clashes,
    );
    match serde_json::from_value(merged) {
        Ok(values) => Merged {
            values,
            kept,
            clashes,
        },
        // Cannot happen for values that came from the same type; if it did, the form shows
        // the cluster as it is, and nothing of the user's is presented as kept.
        Err(_) => Merged {
            values: now.clone(),
            kept: Vec::new(),
            clashes: Vec::new(),
        },
    }
}

fn walk(
    saw: &Value,
    mine: &Value,
    now: &Value,
    at: &mut Path,
    kept: &mut Vec<Path>,
    clashes: &mut Vec<Clash>,
) -> Value {
    if let (Value::Object(s), Value::Object(m), Value::Object(n)) = (saw, mine, now) {
        let mut keys: Vec<&String> = s.keys().chain(m.keys()).chain(n.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut out = Map::new();
        for key in keys {
            let get = |map: &Map<String, Value>| map.get(key).cloned().unwrap_or(Value::Null);
            at.push(key.clone());
            let value = walk(&get(s), &get(m), &get(n), at, kept, clashes);
            at.pop();
            if !value.is_null() || m.contains_key(key) || n.contains_key(key) {
                out.insert(key.clone(), value);
            }
        }
        return Value::Object(out);
    }
    if mine == saw || mine == now {
        now.clone()
    } else if now == saw {
        kept.push(at.clone());
        mine.clone()
    } else {
        clashes.push(Clash {
            path: at.clone(),
            saw: saw.clone(),
            mine: mine.clone(),
            now: now.clone(),
        });
        mine.clone()
    }
}

/// The leaves that differ between two versions of a form's values: what changed. (The
/// merge's walk, with `after` as the only edit of `before`: every leaf it keeps differs.)
pub fn differing<V: Serialize>(before: &V, after: &V) -> Vec<Path> {
    let mut changed = Vec::new();
    let before = to_value(before);
    walk(
        &before,
        &to_value(after),
        &before,
        &mut Vec::new(),
        &mut changed,
        &mut Vec::new(),
    );
    changed
}

/// The names (`name`: a path as the form calls its field, `spec.replicas`) of `paths`,
/// each once, in order: several places in a form's values may edit one field.
fn field_names(paths: &[Path], name: fn(&[String]) -> String) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for path in paths {
        let field = name(path);
        if !names.contains(&field) {
            names.push(field);
        }
    }
    names
}

/// The fields of a form (`name` as in [`field_names`]) whose values differ between
/// `before` and `after`.
pub fn changed_fields<V: Serialize>(
    before: &V,
    after: &V,
    name: fn(&[String]) -> String,
) -> Vec<String> {
    field_names(&differing(before, after), name)
}

/// `values` with the leaf at `path` set to `value`; unchanged if that does not fit.
pub fn choose<V: Serialize + DeserializeOwned>(values: &mut V, path: &[String], value: &Value) {
    let mut whole = to_value(values);
    let mut at = &mut whole;
    for key in path {
        if !at.is_object() {
            return;
        }
        at = at
            .as_object_mut()
            .expect("an object")
            .entry(key.clone())
            .or_insert(Value::Null);
    }
    *at = value.clone();
    if let Ok(chosen) = serde_json::from_value(whole) {
        *values = chosen;
    }
}

/// A value as the panel shows it: text as typed, an empty one said so, anything else as
/// compact JSON.
fn shown_value(value: &Value) -> String {
    match value {
        Value::String(text) if text.is_empty() => tr::edit::empty_value(),
        Value::String(text) => text.clone(),
        Value::Null => tr::edit::not_set(),
        other => other.to_string(),
    }
}

/// What a merge did, at the top of the form that holds it: the edits kept, and for each
/// field changed on both sides the value the user saw, theirs and the current one, with
/// the choice between the last two (theirs until they choose). `name` turns a path into
/// the field's name on the form (`spec.replicas`).
pub fn merge_panel<V>(
    merged: &Merged<V>,
    values: RwSignal<V>,
    name: fn(&[String]) -> String,
) -> impl IntoView + use<V>
where
    V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    let kept = (!merged.kept.is_empty()).then(|| {
        let fields = field_names(&merged.kept, name).join(&tr::edit::field_separator());
        view! { <p class="kept">{tr::edit::merge_kept(fields)}</p> }
    });
    let clashes = merged
        .clashes
        .iter()
        .enumerate()
        .map(|(i, clash)| {
            let field = name(&clash.path);
            let link = field_link(field.clone());
            let group = format!("clash-{i}");
            let option = |value: Value, label: String, checked: bool, which: &'static str| {
                let path = clash.path.clone();
                view! {
                    <label class="radio">
                        <input type="radio" name=group.clone() value=which checked=checked
                            on:change=move |_| values.update(|v| choose(v, &path, &value))/>
                        {label}
                    </label>
                }
            };
            view! {
                <fieldset class="clash" data-field=field>
                    <legend>{link}</legend>
                    <p class="muted">{tr::edit::merge_saw(shown_value(&clash.saw))}</p>
                    {option(clash.mine.clone(), tr::edit::merge_yours(shown_value(&clash.mine)), true, "mine")}
                    {option(clash.now.clone(), tr::edit::merge_theirs(shown_value(&clash.now)), false, "now")}
                </fieldset>
            }
        })
        .collect_view();
    let any_clash = !merged.clashes.is_empty();
    view! {
        <section class="card merge" aria-labelledby="merge-title">
            <h2 id="merge-title">{tr::edit::merge_title()}</h2>
            {kept}
            {any_clash.then(|| view! { <p>{tr::edit::merge_choose()}</p> })}
            {clashes}
        </section>
    }
}

/// How a form hands over to the one the page draws after reading the object again: what
/// it showed (`saw`), what the user made of it (`values`), where the next form finds them
/// (`carried`), and the page's reload (`on_reload`, with the outcome to show above).
pub struct Handover<V: 'static> {
    pub saw: StoredValue<V>,
    pub values: RwSignal<V>,
    pub carried: StoredValue<Option<Carried<V>>>,
    pub on_reload: Callback<Option<Outcome>>,
}

impl<V> Clone for Handover<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for Handover<V> {}

impl<V: Clone + Send + Sync + 'static> Handover<V> {
    /// Asks the page to read the object again. After a conflict, or to bring in a change
    /// made meanwhile (`None`), the user's edits go to the next form; after an apply they
    /// are in the cluster and nothing is carried.
    pub fn reload(self, outcome: Option<Outcome>) {
        let keep = outcome
            .as_ref()
            .is_none_or(|o| matches!(o, Outcome::Conflict { .. }));
        self.carried.set_value(keep.then(|| Carried {
            saw: self.saw.get_value(),
            mine: self.values.get_untracked(),
        }));
        self.on_reload.run(outcome);
    }

    /// Reloads after every answer to Apply that changed what the cluster holds or found
    /// it changed (a refusal leaves the form as it is).
    pub fn follow<A>(self, apply: ServerAction<A>)
    where
        A: leptos::server_fn::ServerFn<Output = Outcome> + Clone + Send + Sync + 'static,
        A::Error: Clone + Send + Sync + 'static,
    {
        Effect::new(move |_| {
            if let Some(Ok(outcome)) = apply.value().get()
                && outcome.is_news()
            {
                self.reload(Some(outcome));
            }
        });
    }

    /// The notice of `fields` changed meanwhile, when there are any.
    pub fn meanwhile_notice(self, object: Object, fields: Vec<String>) -> Option<impl IntoView> {
        (!fields.is_empty()).then(|| changed_meanwhile(object, fields, move || self.reload(None)))
    }
}

/// The object changed while the page was open: which of the form's fields, and the way
/// to bring the changes in while keeping the user's edits. Said at once (a live region).
fn changed_meanwhile(
    object: Object,
    fields: Vec<String>,
    bring_in: impl Fn() + 'static,
) -> impl IntoView {
    let fields = fields.join(&tr::edit::field_separator());
    view! {
        <div class="alert warning changed-meanwhile" role="status">
            <p>{tr::edit::changed_meanwhile(object.name(), fields)}</p>
            <button type="button" class="bring-in" on:click=move |_| bring_in()>
                {tr::edit::bring_in()}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Form {
        replicas: String,
        log_level: String,
        fields: BTreeMap<String, String>,
        routes: Vec<String>,
        secrets: BTreeMap<String, String>,
    }

    fn form(replicas: &str, log_level: &str) -> Form {
        Form {
            replicas: replicas.into(),
            log_level: log_level.into(),
            fields: [("s3.bucket".to_owned(), String::new())].into(),
            ..Form::default()
        }
    }

    fn path(keys: &[&str]) -> Path {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn an_edit_away_from_what_changed_is_kept_and_their_change_taken() {
        // The issue's case: replicas edited here, logLevel changed by someone else.
        let saw = form("1", "Normal");
        let mut mine = form("2", "Normal");
        mine.secrets.insert("KEY".into(), "typed".into());
        let now = form("1", "Debug");
        let merged = merge(&saw, &mine, &now);
        assert!(merged.clashes.is_empty());
        assert_eq!(merged.values.replicas, "2");
        assert_eq!(merged.values.log_level, "Debug");
        assert_eq!(
            merged.values.secrets["KEY"], "typed",
            "typed credentials stay"
        );
        assert_eq!(
            merged.kept,
            [path(&["replicas"]), path(&["secrets", "KEY"])]
        );
    }

    #[test]
    fn a_field_changed_on_both_sides_is_a_clash_holding_the_users_value_until_chosen() {
        let saw = form("1", "Normal");
        let mut mine = form("2", "Normal");
        mine.fields.insert("s3.bucket".into(), "mine".into());
        let mut now = form("3", "Normal");
        now.fields.insert("s3.bucket".into(), "mine".into());
        let merged = merge(&saw, &mine, &now);
        assert_eq!(
            merged.clashes,
            [Clash {
                path: path(&["replicas"]),
                saw: "1".into(),
                mine: "2".into(),
                now: "3".into(),
            }],
            "the same value on both sides is no clash"
        );
        assert!(merged.kept.is_empty());
        let mut values = merged.values;
        assert_eq!(values.replicas, "2");
        choose(&mut values, &merged.clashes[0].path, &merged.clashes[0].now);
        assert_eq!(values.replicas, "3");
        // A key with a dot is one step of the path.
        choose(
            &mut values,
            &path(&["fields", "s3.bucket"]),
            &"other".into(),
        );
        assert_eq!(values.fields["s3.bucket"], "other");
        // A value of the wrong shape leaves the values as they were.
        choose(&mut values, &path(&["replicas"]), &Value::Bool(true));
        assert_eq!(values.replicas, "3");
    }

    #[test]
    fn lists_are_one_field() {
        let saw = form("1", "Normal");
        let mut mine = saw.clone();
        mine.routes = vec!["a".into()];
        let mut now = saw.clone();
        now.routes = vec!["b".into()];
        let merged = merge(&saw, &mine, &now);
        assert_eq!(merged.clashes.len(), 1);
        assert_eq!(merged.clashes[0].path, path(&["routes"]));
    }

    #[test]
    fn what_differs_is_named_leaf_by_leaf() {
        let before = form("1", "Normal");
        let mut after = form("1", "Debug");
        after.fields.insert("s3.bucket".into(), "b".into());
        assert_eq!(
            differing(&before, &after),
            [path(&["fields", "s3.bucket"]), path(&["log_level"])]
        );
        assert!(differing(&before, &before).is_empty());
        // Named as the form names its fields, each field once.
        after.fields.insert("s3.region".into(), "r".into());
        assert_eq!(
            changed_fields(&before, &after, |path| path[0].clone()),
            ["fields", "log_level"]
        );
    }
}
