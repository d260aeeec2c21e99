//! Structural schemas of custom resources: pruning, defaulting and validation, in the
//! order a real API server applies them.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value};

use crate::api_error::Cause;

/// A custom resource's OpenAPI v3 schema, ready to prune, default and validate.
pub struct Schema {
    raw: Value,
    validator: jsonschema::Validator,
    rules: crate::rules::Rules,
}

impl Schema {
    /// Compiles a structural schema (the `openAPIV3Schema` of a CRD version).
    pub fn new(raw: Value) -> Self {
        let json_schema = to_json_schema(&raw);
        let validator = jsonschema::draft4::options()
            .should_validate_formats(false)
            .build(&json_schema)
            .expect("the model's derived schema compiles");
        let rules = crate::rules::Rules::compile(&raw);
        Schema {
            raw,
            validator,
            rules,
        }
    }

    /// The schema as served.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// Drops fields the schema does not know (unless it preserves unknown fields) and
    /// nulls where null is not allowed. Returns the dotted paths of dropped fields.
    pub fn prune(&self, object: &mut Value) -> Vec<String> {
        let mut dropped = Vec::new();
        if let Value::Object(map) = object {
            let props = self.raw.get("properties").and_then(Value::as_object);
            map.retain(|key, value| {
                if matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
                    return true;
                }
                match props.and_then(|p| p.get(key)) {
                    Some(schema) => {
                        prune_value(schema, value, key, &mut dropped);
                        true
                    }
                    None => {
                        dropped.push(key.clone());
                        false
                    }
                }
            });
        }
        dropped
    }

    /// Applies schema defaults to missing fields.
    pub fn apply_defaults(&self, object: &mut Value) {
        default_value(&self.raw, object);
    }

    /// Validates the object, then evaluates its CEL rules; every violation becomes a cause
    /// with its field path.
    pub fn validate(&self, object: &Value) -> Vec<Cause> {
        let mut causes: Vec<Cause> = self
            .validator
            .iter_errors(object)
            .map(|e| to_cause(&e))
            .collect();
        self.rules.causes(&self.raw, object, "", &mut causes);
        causes
    }
}

fn preserves_unknown(schema: &Value) -> bool {
    schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true))
}

fn prune_value(schema: &Value, value: &mut Value, path: &str, dropped: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if preserves_unknown(schema) && schema.get("properties").is_none() {
                return;
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            let keep_unknown = preserves_unknown(schema);
            map.retain(|key, child| {
                let child_path = format!("{path}.{key}");
                let child_schema = props.and_then(|p| p.get(key)).or(additional);
                match child_schema {
                    Some(s) => {
                        if child.is_null() && s.get("nullable") != Some(&Value::Bool(true)) {
                            return false;
                        }
                        prune_value(s, child, &child_path, dropped);
                        true
                    }
                    None if keep_unknown => true,
                    None => {
                        dropped.push(child_path);
                        false
                    }
                }
            });
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter_mut().enumerate() {
                    prune_value(item_schema, item, &format!("{path}[{i}]"), dropped);
                }
            }
        }
        _ => {}
    }
}

fn default_value(schema: &Value, value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (key, prop) in props {
                    if !map.contains_key(key)
                        && let Some(default) = prop.get("default")
                    {
                        map.insert(key.clone(), default.clone());
                    }
                    if let Some(child) = map.get_mut(key) {
                        default_value(prop, child);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    default_value(item_schema, item);
                }
            }
        }
        _ => {}
    }
}

/// OpenAPI v3 → JSON Schema draft 4: `nullable` becomes a `null` type; the Kubernetes
/// extensions are left for the keywords that understand them (none here).
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if k == "nullable" || k == "default" || k.starts_with("x-kubernetes-") {
                    continue;
                }
                let converted = match k.as_str() {
                    "properties" | "additionalProperties" | "items" | "not" => to_json_schema(v),
                    "allOf" | "anyOf" | "oneOf" => to_json_schema(v),
                    _ => v.clone(),
                };
                out.insert(k.clone(), converted);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type") {
                    out.insert("type".into(), serde_json::json!([t, "null"]));
                }
                if let Some(Value::Array(options)) = out.get_mut("enum") {
                    options.push(Value::Null);
                }
            }
            // Properties maps: convert every child schema.
            if let Some(Value::Object(props)) = map.get("properties") {
                out.insert(
                    "properties".into(),
                    Value::Object(
                        props
                            .iter()
                            .map(|(k, v)| (k.clone(), to_json_schema(v)))
                            .collect(),
                    ),
                );
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// `/spec/routes/0/name` → `spec.routes[0].name`.
pub fn pointer_to_field(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.chars().all(|c| c.is_ascii_digit()) && !segment.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// A value as kube-apiserver quotes it in messages.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_name(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set
                .iter()
                .map(|t| t.to_string())
                .filter(|t| t != "null")
                .collect();
            names.join(",")
        }
    }
}

fn to_cause(error: &jsonschema::ValidationError<'_>) -> Cause {
    let field = pointer_to_field(error.instance_path.as_str());
    let value = show(&error.instance);
    let at = if field.is_empty() {
        "body".to_string()
    } else {
        format!("{field} in body")
    };
    let (reason, message, field) = match &error.kind {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let f = if field.is_empty() {
                name.to_string()
            } else {
                format!("{field}.{name}")
            };
            ("FieldValueRequired", "Required value".to_string(), f)
        }
        // kube-apiserver quotes the type of the value it got, not the value.
        ValidationErrorKind::Type { kind } => {
            let got = format!("{:?}", json_type(&error.instance));
            (
                "FieldValueInvalid",
                format!(
                    "Invalid value: {got}: {at} must be of type {}: {got}",
                    type_name(kind)
                ),
                field,
            )
        }
        // kube-apiserver reports a failed anyOf on the object, with a field of "<nil>".
        ValidationErrorKind::AnyOf { .. } => (
            "FieldValueInvalid",
            format!(
                "Invalid value: {value}: \"{field}\" must validate at least one schema (anyOf)"
            ),
            "<nil>".to_string(),
        ),
        ValidationErrorKind::Enum { options } => {
            let supported: Vec<String> = options
                .as_array()
                .map(|o| o.iter().filter(|v| !v.is_null()).map(show).collect())
                .unwrap_or_default();
            (
                "FieldValueNotSupported",
                format!(
                    "Unsupported value: {value}: supported values: {}",
                    supported.join(", ")
                ),
                field,
            )
        }
        ValidationErrorKind::Pattern { pattern } => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {at} should match '{pattern}'"),
            field,
        ),
        ValidationErrorKind::Minimum { limit } => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {at} should be greater than or equal to {limit}"),
            field,
        ),
        ValidationErrorKind::Maximum { limit } => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {at} should be less than or equal to {limit}"),
            field,
        ),
        ValidationErrorKind::MaxLength { limit } => (
            "FieldValueTooLong",
            format!("Too long: may not be longer than {limit}"),
            field,
        ),
        ValidationErrorKind::MinLength { limit } => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {at} should be at least {limit} chars long"),
            field,
        ),
        ValidationErrorKind::MaxItems { limit } => (
            "FieldValueTooMany",
            format!("Too many: must have at most {limit} items"),
            field,
        ),
        ValidationErrorKind::MinItems { limit } => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {at} should have at least {limit} items"),
            field,
        ),
        other => (
            "FieldValueInvalid",
            format!("Invalid value: {value}: {other:?}"),
            field,
        ),
    };
    Cause {
        reason,
        message,
        field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config_schema() -> Schema {
        let types = crate::resources::all();
        let t = types.iter().find(|t| t.plural == "configs").unwrap();
        Schema::new(t.schema.as_ref().unwrap().raw().clone())
    }

    #[test]
    fn field_paths_read_like_kubectl() {
        assert_eq!(
            pointer_to_field("/spec/routes/0/name"),
            "spec.routes[0].name"
        );
        assert_eq!(pointer_to_field(""), "");
    }

    #[test]
    fn pattern_and_required_violations_name_their_fields() {
        let schema = config_schema();
        let causes = schema.validate(&json!({"spec": {"managementState": "Bogus"}}));
        let fields: Vec<(&str, &str)> = causes
            .iter()
            .map(|c| (c.field.as_str(), c.reason))
            .collect();
        assert!(
            fields.contains(&("spec.managementState", "FieldValueInvalid")),
            "{causes:?}"
        );
        assert!(
            fields.contains(&("spec.replicas", "FieldValueRequired")),
            "{causes:?}"
        );
    }

    #[test]
    fn defaults_fill_missing_log_levels_only() {
        let schema = config_schema();
        let mut obj = json!({"spec": {"replicas": 1, "operatorLogLevel": "Debug"}});
        schema.apply_defaults(&mut obj);
        assert_eq!(obj["spec"]["logLevel"], "Normal");
        assert_eq!(obj["spec"]["operatorLogLevel"], "Debug");
    }

    #[test]
    fn unknown_fields_are_pruned_but_preserved_where_the_schema_says_so() {
        let schema = config_schema();
        let mut obj = json!({"spec": {"replicas": 1, "bogus": 1, "unsupportedConfigOverrides": {"any": {"thing": 1}}}, "extra": 2});
        let dropped = schema.prune(&mut obj);
        assert_eq!(obj["spec"].get("bogus"), None);
        assert_eq!(obj.get("extra"), None);
        assert_eq!(obj["spec"]["unsupportedConfigOverrides"]["any"]["thing"], 1);
        assert_eq!(dropped, vec!["extra".to_string(), "spec.bogus".to_string()]);
    }
}
