//! A change, as the review step shows it before anything is applied: the merge patch of
//! only the fields the user changed, the diff of the resource as YAML, and the `oc`
//! commands that would do the same from a terminal.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The JSON merge patch (RFC 7386) that turns `before` into `after`, touching only what
/// differs; `None` when nothing does. Lists are replaced whole, as merge patch requires.
pub fn merge_patch(before: &Value, after: &Value) -> Option<Value> {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut patch = Map::new();
            for (k, av) in a {
                match b.get(k) {
                    Some(bv) => {
                        if let Some(p) = merge_patch(bv, av) {
                            patch.insert(k.clone(), p);
                        }
                    }
                    None => {
                        patch.insert(k.clone(), av.clone());
                    }
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                patch.insert(k.clone(), Value::Null);
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        (b, a) if b == a => None,
        (_, a) => Some(a.clone()),
    }
}

/// Quotes a string for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@,".contains(&b))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `oc patch RESOURCE/NAME [-n NS] --type merge -p 'PATCH'`.
pub fn oc_patch(resource: &str, name: &str, namespace: Option<&str>, patch: &Value) -> String {
    let ns = namespace
        .map(|n| format!(" -n {}", shell_quote(n)))
        .unwrap_or_default();
    format!(
        "oc patch {resource}/{}{ns} --type merge -p {}",
        shell_quote(name),
        shell_quote(&patch.to_string())
    )
}

/// Where a secret value comes from in the `oc` command (values are never printed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretSource {
    /// Typed in: shown as `--from-literal=KEY=<redacted>`.
    Literal,
    /// Uploaded: shown as `--from-file=KEY=<the file's name>`.
    File(String),
}

/// The command that writes secret keys: `oc create secret generic` for a new secret, or
/// `oc set data` to change keys of an existing one. Values are redacted.
pub fn oc_secret(
    namespace: &str,
    name: &str,
    exists: bool,
    keys: &[(String, SecretSource)],
) -> String {
    let args: Vec<String> = keys
        .iter()
        .map(|(k, source)| match (source, exists) {
            (SecretSource::Literal, false) => format!("--from-literal={k}=<redacted>"),
            (SecretSource::File(f), false) => format!("--from-file={k}={}", shell_quote(f)),
            (SecretSource::Literal, true) => format!("{k}=<redacted>"),
            (SecretSource::File(f), true) => format!("--from-file={k}={}", shell_quote(f)),
        })
        .collect();
    if exists {
        format!(
            "oc set data secret/{name} -n {namespace} {}",
            args.join(" ")
        )
    } else {
        format!(
            "oc create secret generic {name} -n {namespace} {}",
            args.join(" ")
        )
    }
}

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// The line diff of two values rendered as YAML.
pub fn yaml_diff(before: &Value, after: &Value) -> Vec<DiffLine> {
    let (b, a) = (to_yaml(before), to_yaml(after));
    similar::TextDiff::from_lines(&b, &a)
        .iter_all_changes()
        .map(|c| {
            let line = c.value().trim_end_matches('\n').to_string();
            match c.tag() {
                similar::ChangeTag::Equal => DiffLine::Same(line),
                similar::ChangeTag::Delete => DiffLine::Removed(line),
                similar::ChangeTag::Insert => DiffLine::Added(line),
            }
        })
        .collect()
}

fn to_yaml(v: &Value) -> String {
    serde_yaml::to_string(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_merge_patch_carries_only_what_changed() {
        let before = json!({"spec": {"managementState": "Removed", "replicas": 1, "httpSecret": "s", "storage": {}}});
        let after = json!({"spec": {"managementState": "Managed", "replicas": 1, "httpSecret": "s", "storage": {"pvc": {"claim": ""}}}});
        assert_eq!(
            merge_patch(&before, &after),
            Some(
                json!({"spec": {"managementState": "Managed", "storage": {"pvc": {"claim": ""}}}})
            )
        );
        assert_eq!(merge_patch(&before, &before), None);
        let removed = merge_patch(
            &json!({"spec": {"a": 1, "b": 2}}),
            &json!({"spec": {"a": 1}}),
        );
        assert_eq!(removed, Some(json!({"spec": {"b": null}})));
    }

    #[test]
    fn applying_the_patch_gives_the_after_state() {
        let before =
            json!({"spec": {"routes": [{"name": "a"}], "proxy": {"http": "x"}, "keep": true}});
        let after = json!({"spec": {"routes": [{"name": "a"}, {"name": "b"}], "keep": true}});
        let patch = merge_patch(&before, &after).unwrap();
        let mut applied = before.clone();
        json_merge(&mut applied, &patch);
        assert_eq!(applied, after);
    }

    fn json_merge(target: &mut Value, patch: &Value) {
        if let Value::Object(p) = patch {
            if !target.is_object() {
                *target = json!({});
            }
            let t = target.as_object_mut().unwrap();
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    json_merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        } else {
            *target = patch.clone();
        }
    }

    #[test]
    fn oc_commands_quote_and_redact() {
        let cmd = oc_patch(
            "configs.imageregistry.operator.openshift.io",
            "cluster",
            None,
            &json!({"spec": {"managementState": "Managed"}}),
        );
        assert_eq!(
            cmd,
            r#"oc patch configs.imageregistry.operator.openshift.io/cluster --type merge -p '{"spec":{"managementState":"Managed"}}'"#
        );
        assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
        let keys = vec![
            (
                "REGISTRY_STORAGE_S3_ACCESSKEY".to_string(),
                SecretSource::Literal,
            ),
            (
                "REGISTRY_STORAGE_S3_SECRETKEY".to_string(),
                SecretSource::Literal,
            ),
        ];
        let create = oc_secret(
            "openshift-image-registry",
            "image-registry-private-configuration-user",
            false,
            &keys,
        );
        assert_eq!(
            create,
            "oc create secret generic image-registry-private-configuration-user -n openshift-image-registry --from-literal=REGISTRY_STORAGE_S3_ACCESSKEY=<redacted> --from-literal=REGISTRY_STORAGE_S3_SECRETKEY=<redacted>"
        );
        let update = oc_secret(
            "openshift-image-registry",
            "s",
            true,
            &[(
                "REGISTRY_STORAGE_GCS_KEYFILE".into(),
                SecretSource::File("key.json".into()),
            )],
        );
        assert_eq!(
            update,
            "oc set data secret/s -n openshift-image-registry --from-file=REGISTRY_STORAGE_GCS_KEYFILE=key.json"
        );
    }

    #[test]
    fn yaml_diffs_mark_changed_lines() {
        let d = yaml_diff(
            &json!({"spec": {"replicas": 1, "x": "a"}}),
            &json!({"spec": {"replicas": 2, "x": "a"}}),
        );
        assert!(
            d.contains(&DiffLine::Removed("  replicas: 1".into())),
            "{d:?}"
        );
        assert!(
            d.contains(&DiffLine::Added("  replicas: 2".into())),
            "{d:?}"
        );
        assert!(d.contains(&DiffLine::Same("  x: a".into())), "{d:?}");
    }
}
