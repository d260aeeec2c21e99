//! The three patch types kube-apiserver accepts: JSON merge patch (RFC 7386), JSON patch
//! (RFC 6902) and, for built-in types, strategic merge patch.

use serde_json::{Map, Value};

use crate::api_error::ApiError;

/// A patch type, from the request's Content-Type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Json,
    Strategic,
}

impl PatchType {
    /// The patch type of a Content-Type header; `None` for anything else.
    pub fn from_content_type(ct: &str) -> Option<Self> {
        match ct.split(';').next().unwrap_or("").trim() {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/json-patch+json" => Some(PatchType::Json),
            "application/strategic-merge-patch+json" => Some(PatchType::Strategic),
            _ => None,
        }
    }
}

/// Applies a patch to a copy of `target`.
pub fn apply(kind: PatchType, target: &Value, patch: &[u8]) -> Result<Value, ApiError> {
    let mut out = target.clone();
    match kind {
        PatchType::Merge => {
            let p: Value = parse(patch)?;
            json_patch::merge(&mut out, &p);
        }
        PatchType::Json => {
            let p: json_patch::Patch = serde_json::from_slice(patch).map_err(|e| {
                ApiError::bad_request(format!("json: cannot unmarshal the request body into a JSON patch (a list of operations): {e}"))
            })?;
            if p.0.len() > MAX_JSON_PATCH_OPERATIONS {
                return Err(ApiError {
                    message: format!(
                        "The allowed number of operations in a JSON patch is \
                         {MAX_JSON_PATCH_OPERATIONS}, got {}",
                        p.0.len()
                    ),
                    ..ApiError::too_large(MAX_COPY_BYTES)
                });
            }
            // On a copy, so a failed patch leaves nothing to undo: json-patch's own undo
            // panics on some patches that replace the root (found by tests/fuzz.rs).
            // One operation at a time, so what `copy` adds is counted before the next one
            // can double it again (a few dozen copies of copies would otherwise fill the
            // memory), as kube-apiserver bounds it (jsonpatch's AccumulatedCopySizeLimit).
            let mut copied = 0;
            for operation in p.0 {
                if let json_patch::PatchOperation::Copy(copy) = &operation {
                    copied += out
                        .pointer(copy.from.as_str())
                        .map_or(0, |value| serde_json::to_vec(value).map_or(0, |v| v.len()));
                    if copied > MAX_COPY_BYTES {
                        tracing::debug!(copied, "a JSON patch copies too much");
                        return Err(patch_failed());
                    }
                }
                json_patch::patch_unsafe(&mut out, &json_patch::Patch(vec![operation])).map_err(
                    |e| {
                        tracing::debug!(error = %e, "a JSON patch did not apply");
                        patch_failed()
                    },
                )?;
            }
        }
        PatchType::Strategic => {
            let p: Value = parse(patch)?;
            strategic_merge(&mut out, &p);
        }
    }
    Ok(out)
}

/// kube-apiserver's bound on a JSON patch's operations.
const MAX_JSON_PATCH_OPERATIONS: usize = 10_000;

/// What a JSON patch's `copy` operations may add in all: the request body limit.
const MAX_COPY_BYTES: usize = 3 * 1024 * 1024;

/// A JSON patch that did not apply: kube-apiserver says no more than this, with an empty
/// `details`.
fn patch_failed() -> ApiError {
    ApiError {
        code: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        reason: "Invalid",
        message: "the server rejected our request due to an error in our request".into(),
        details: Some(serde_json::json!({})),
    }
}

fn parse(patch: &[u8]) -> Result<Value, ApiError> {
    let v: Value = serde_json::from_slice(patch)
        .map_err(|e| ApiError::bad_request(format!("the patch is not valid JSON: {e}")))?;
    if !v.is_object() {
        return Err(ApiError::bad_request("a merge patch must be a JSON object"));
    }
    Ok(v)
}

/// The list fields whose items merge by a key instead of being replaced, with the key.
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers" | "initContainers" | "env" | "volumes" | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "ports" => "containerPort",
        "conditions" => "type",
        "ownerReferences" => "uid",
        _ => return None,
    })
}

/// Strategic merge patch for the directives kubectl sends: maps merge, `null` deletes,
/// lists with a known merge key merge by it (`$patch: delete` removes an item), other
/// lists are replaced; `$setElementOrder` and `$retainKeys` hints are dropped.
pub fn strategic_merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if patch_map.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = patch_map.clone();
        replaced.remove("$patch");
        *target = Value::Object(replaced);
        return;
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let target_map = target.as_object_mut().expect("made an object above");
    for (key, value) in patch_map {
        if key.starts_with("$setElementOrder/")
            || key.starts_with("$deleteFromPrimitiveList/")
            || key == "$retainKeys"
            || key == "$patch"
        {
            continue;
        }
        match value {
            Value::Null => {
                target_map.remove(key);
            }
            Value::Object(_) => {
                strategic_merge(target_map.entry(key.clone()).or_insert(Value::Null), value)
            }
            Value::Array(items) => match (merge_key(key), target_map.get_mut(key)) {
                (Some(mk), Some(Value::Array(existing))) => merge_list(existing, items, mk),
                _ => {
                    let cleaned: Vec<Value> = items
                        .iter()
                        .filter(|i| i.get("$patch").and_then(Value::as_str) != Some("delete"))
                        .cloned()
                        .collect();
                    target_map.insert(key.clone(), Value::Array(cleaned));
                }
            },
            other => {
                target_map.insert(key.clone(), other.clone());
            }
        }
    }
}

fn merge_list(existing: &mut Vec<Value>, items: &[Value], key: &str) {
    for item in items {
        let id = item.get(key).cloned();
        let pos = id
            .as_ref()
            .and_then(|id| existing.iter().position(|e| e.get(key) == Some(id)));
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (pos, delete) {
            (Some(p), true) => {
                existing.remove(p);
            }
            (None, true) => {}
            (Some(p), false) => strategic_merge(&mut existing[p], item),
            (None, false) => {
                let mut fresh = Value::Null;
                strategic_merge(&mut fresh, item);
                existing.push(fresh);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_sets_and_deletes() {
        let t = json!({"spec": {"a": 1, "b": 2}});
        let out = apply(PatchType::Merge, &t, br#"{"spec": {"a": 3, "b": null}}"#).unwrap();
        assert_eq!(out, json!({"spec": {"a": 3}}));
    }

    #[test]
    fn json_patch_test_failure_is_refused() {
        let t = json!({"spec": {"a": 1}});
        let err = apply(
            PatchType::Json,
            &t,
            br#"[{"op": "test", "path": "/spec/a", "value": 2}]"#,
        )
        .unwrap_err();
        assert_eq!(err.code.as_u16(), 422);
        let ok = apply(
            PatchType::Json,
            &t,
            br#"[{"op": "replace", "path": "/spec/a", "value": 2}]"#,
        )
        .unwrap();
        assert_eq!(ok["spec"]["a"], 2);
    }

    #[test]
    fn json_patches_are_bounded_in_operations_and_in_what_they_copy() {
        let t = json!({"data": {"a": "x"}});
        let ops: Vec<Value> = (0..=MAX_JSON_PATCH_OPERATIONS)
            .map(|_| json!({"op": "test", "path": "/data/a", "value": "x"}))
            .collect();
        let err = apply(PatchType::Json, &t, &serde_json::to_vec(&ops).unwrap()).unwrap_err();
        assert_eq!(err.code.as_u16(), 413);
        assert!(
            err.message
                .contains("The allowed number of operations in a JSON patch is 10000, got 10001"),
            "{}",
            err.message
        );

        // Each copy doubles the object: 40 of them would make terabytes of a 1 KiB value.
        let t = json!({"data": {"a": "x".repeat(1024)}});
        let mut ops = vec![json!({"op": "add", "path": "/data/b", "value": {}})];
        ops.extend(
            (0..40).map(|i| json!({"op": "copy", "from": "/data", "path": format!("/data/b/{i}")})),
        );
        let err = apply(PatchType::Json, &t, &serde_json::to_vec(&ops).unwrap()).unwrap_err();
        assert_eq!(err.code.as_u16(), 422);
        // A few copies are fine.
        let ok = apply(
            PatchType::Json,
            &t,
            br#"[{"op": "copy", "from": "/data/a", "path": "/data/c"}]"#,
        )
        .unwrap();
        assert_eq!(ok["data"]["c"], ok["data"]["a"]);
    }

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let t = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let out = apply(
            PatchType::Strategic,
            &t,
            br#"{"spec": {"containers": [{"name": "b", "image": "z"}, {"name": "a", "$patch": "delete"}]}}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"spec": {"containers": [{"name": "b", "image": "z"}]}})
        );
    }
}
