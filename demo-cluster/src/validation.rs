//! Admission of writes: names for every type, and for custom resources the schema's
//! pruning, defaulting and validation, and its CEL rules.

use serde_json::Value;

use crate::api_error::{ApiError, Cause};
use crate::resources::ResourceType;
use registry_model::validation::names::{is_dns1123_label, is_dns1123_subdomain};
use registry_model::validation::pruner::cron_problem;

/// Checks (and for custom resources prunes and defaults) an object about to be stored.
pub fn admit(rt: &ResourceType, obj: &mut Value, _current: Option<&Value>) -> Result<(), ApiError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut causes = Vec::new();
    if name.is_empty() {
        causes.push(Cause {
            reason: "FieldValueRequired",
            message: "Required value: name or generateName is required".into(),
            field: "metadata.name".into(),
        });
    } else if let Some(why) = invalid_name(rt, &name) {
        causes.push(Cause {
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {name:?}: {why}"),
            field: "metadata.name".into(),
        });
    }
    if rt.group == "batch" && rt.plural == "cronjobs" {
        causes.extend(cron_job_causes(obj));
    }
    if rt.group == "apps" && rt.plural == "deployments" {
        causes.extend(deployment_causes(obj));
    }
    if rt.group.is_empty() && rt.plural == "events" {
        causes.extend(event_causes(obj));
    }
    if rt.group == "rbac.authorization.k8s.io" && matches!(rt.plural, "roles" | "clusterroles") {
        causes.extend(rule_causes(obj));
    }
    if let Some(schema) = &rt.schema {
        schema.prune(obj);
        schema.apply_defaults(obj);
        causes.extend(schema.validate(obj));
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(rt.group, rt.kind, &name, causes))
    }
}

/// A `core/v1` Event without `eventTime` (the legacy form, what `oc describe` and the console
/// write) lives beside its object: in the object's namespace, or for an object of the whole
/// cluster in `default` (kube-apiserver's `legacyValidateEvent`).
fn event_causes(obj: &Value) -> Vec<Cause> {
    let has_event_time = obj
        .get("eventTime")
        .is_some_and(|t| !t.is_null() && t != "");
    if has_event_time {
        return Vec::new();
    }
    let text = |pointer: &str| obj.pointer(pointer).and_then(Value::as_str).unwrap_or("");
    let namespace = text("/metadata/namespace");
    let involved = text("/involvedObject/namespace");
    let agrees = if involved.is_empty() {
        namespace.is_empty() || namespace == "default"
    } else {
        namespace == involved
    };
    if agrees {
        return Vec::new();
    }
    vec![Cause {
        reason: "FieldValueInvalid",
        message: format!("Invalid value: {involved:?}: does not match event.namespace"),
        field: "involvedObject.namespace".into(),
    }]
}

/// A CronJob's schedule must parse as cron, as kube-apiserver checks it (this is where
/// the operator first meets an image pruner's invalid schedule, `registry-api.md` §2).
fn cron_job_causes(obj: &Value) -> Vec<Cause> {
    match obj.pointer("/spec/schedule").and_then(Value::as_str) {
        None | Some("") => vec![Cause {
            reason: "FieldValueRequired",
            message: "Required value".into(),
            field: "spec.schedule".into(),
        }],
        Some(schedule) => cron_problem(schedule)
            .map(|why| Cause {
                reason: "FieldValueInvalid",
                message: format!("Invalid value: {schedule:?}: {why}"),
                field: "spec.schedule".into(),
            })
            .into_iter()
            .collect(),
    }
}

/// A Recreate Deployment may not say how to roll (kube-apiserver's apps validation): what a
/// merge patch from RollingUpdate to Recreate leaves behind unless it removes the block.
fn deployment_causes(obj: &Value) -> Vec<Cause> {
    let strategy = obj.pointer("/spec/strategy");
    let recreate = strategy.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("Recreate");
    let rolling = strategy
        .and_then(|s| s.get("rollingUpdate"))
        .is_some_and(|r| !r.is_null());
    if recreate && rolling {
        vec![Cause {
            reason: "FieldValueForbidden",
            message: "Forbidden: may not be specified when strategy `type` is 'Recreate'".into(),
            field: "spec.strategy.rollingUpdate".into(),
        }]
    } else {
        Vec::new()
    }
}

/// Every rule of a Role or ClusterRole names at least one verb (kube-apiserver's RBAC
/// validation; the guide's 5.5 YAML, as printed, has none).
fn rule_causes(obj: &Value) -> Vec<Cause> {
    obj.get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, rule)| {
            rule.get("verbs")
                .and_then(Value::as_array)
                .is_none_or(|verbs| verbs.is_empty())
        })
        .map(|(i, _)| Cause {
            reason: "FieldValueRequired",
            message: "Required value: verbs must contain at least one value".into(),
            field: format!("rules[{i}].verbs"),
        })
        .collect()
}

/// Why a name is not valid for the type, in kube-apiserver's words.
fn invalid_name(rt: &ResourceType, name: &str) -> Option<String> {
    let label_only = matches!(rt.plural, "namespaces" | "services");
    if label_only {
        if !is_dns1123_label(name) {
            return Some("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".into());
        }
        return None;
    }
    if rt.group == "rbac.authorization.k8s.io" {
        // RBAC names are path segments: anything but "/" and "%" (system:masters etc.).
        return (name.contains('/') || name.contains('%'))
            .then(|| "may not contain '/' or '%'".into());
    }
    if !is_dns1123_subdomain(name) {
        return Some("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into());
    }
    None
}
