//! CEL validation rules (`x-kubernetes-validations`) of custom resources, evaluated as
//! kube-apiserver evaluates them since 1.25: each rule with `self` bound to the value at
//! its schema node, a false result refused with the rule's message on that field. The
//! real `images.config.openshift.io` CRD carries such rules (allowed and blocked
//! registries are mutually exclusive; each entry a registry scope); an API server that
//! dropped them would let the console store what OpenShift refuses.
//!
//! Transition rules (those reading `oldSelf`) are not evaluated: none of the rules the
//! model declares is one.

use std::collections::HashMap;

use cel_interpreter::{Context, Program};
use serde_json::Value;

use crate::api_error::Cause;

/// The rules of one schema, compiled once when the type is registered (the parser panics
/// on some malformed rules, and the rules are the model's, so a bad one fails at start).
pub struct Rules(HashMap<String, Program>);

impl Rules {
    /// Compiles every rule under `schema`.
    pub fn compile(schema: &Value) -> Self {
        let mut programs = HashMap::new();
        collect(schema, &mut programs);
        Rules(programs)
    }

    /// The causes for every rule under `schema` that `value` breaks; `path` is the dotted
    /// path of `value` (empty at the object's root).
    pub fn causes(&self, schema: &Value, value: &Value, path: &str, out: &mut Vec<Cause>) {
        for rule in rules_of(schema) {
            if let Some(cause) = self.broken(rule, value, path) {
                out.push(cause);
            }
        }
        match value {
            Value::Object(map) => {
                let props = schema.get("properties").and_then(Value::as_object);
                let additional = schema.get("additionalProperties").filter(|a| a.is_object());
                for (key, child) in map {
                    if let Some(child_schema) = props.and_then(|p| p.get(key)).or(additional) {
                        let child_path = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        self.causes(child_schema, child, &child_path, out);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.causes(item_schema, item, &format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The cause when `value` breaks `rule` (`{rule, message}`), in kube-apiserver's
    /// words: `Invalid value: "object": <message>`, the value named by its type.
    fn broken(&self, rule: &Value, value: &Value, path: &str) -> Option<Cause> {
        let source = rule.get("rule").and_then(Value::as_str)?;
        let program = self.0.get(source)?;
        let message = rule
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("failed rule: {source}"));
        let invalid = |message: String| Cause {
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {:?}: {message}", type_name(value)),
            field: path.to_owned(),
        };
        let mut context = Context::default();
        match cel_interpreter::to_value(value) {
            Ok(bound) => context.add_variable_from_value("self", bound),
            Err(error) => return Some(invalid(format!("cannot evaluate: {error}"))),
        }
        match program.execute(&context) {
            Ok(cel_interpreter::Value::Bool(true)) => None,
            Ok(cel_interpreter::Value::Bool(false)) => Some(invalid(message)),
            Ok(other) => Some(invalid(format!(
                "rule did not evaluate to a bool: {other:?}"
            ))),
            Err(error) => Some(invalid(format!("evaluation failed: {error}"))),
        }
    }
}

fn rules_of(schema: &Value) -> impl Iterator<Item = &Value> {
    schema
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Every rule under `schema` but transition rules, compiled.
fn collect(schema: &Value, programs: &mut HashMap<String, Program>) {
    for rule in rules_of(schema) {
        if let Some(source) = rule.get("rule").and_then(Value::as_str)
            && !source.contains("oldSelf")
            && !programs.contains_key(source)
        {
            let program = Program::compile(source)
                .unwrap_or_else(|e| panic!("the model's CEL rule {source:?} compiles: {e}"));
            programs.insert(source.to_owned(), program);
        }
    }
    for key in ["properties", "additionalProperties", "items"] {
        match schema.get(key) {
            Some(Value::Object(children)) if key == "properties" => {
                children.values().for_each(|c| collect(c, programs));
            }
            Some(child @ Value::Object(_)) => collect(child, programs),
            _ => {}
        }
    }
}

fn type_name(value: &Value) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sources_schema() -> Value {
        let crd = registry_model::crds::all()
            .into_iter()
            .find(|c| c.spec.names.kind == "Image")
            .unwrap();
        serde_json::to_value(
            crd.spec.versions[0]
                .schema
                .as_ref()
                .unwrap()
                .open_api_v3_schema
                .as_ref()
                .unwrap(),
        )
        .unwrap()
    }

    fn check(object: Value) -> Vec<(String, String)> {
        let schema = sources_schema();
        let mut out = Vec::new();
        Rules::compile(&schema).causes(&schema, &object, "", &mut out);
        out.into_iter().map(|c| (c.field, c.message)).collect()
    }

    #[test]
    fn allowed_and_blocked_registries_together_are_refused() {
        let both = json!({"spec": {"registrySources": {
            "allowedRegistries": ["quay.io"], "blockedRegistries": ["docker.io"]}}});
        assert_eq!(
            check(both),
            vec![(
                "spec.registrySources".to_owned(),
                "Invalid value: \"object\": Only one of blockedRegistries or allowedRegistries may be set".to_owned()
            )]
        );
        let one = json!({"spec": {"registrySources": {
            "blockedRegistries": ["docker.io"], "insecureRegistries": ["r.example.com:5000"]}}});
        assert_eq!(check(one), vec![]);
    }

    #[test]
    fn each_entry_must_be_a_registry_scope() {
        let entries = json!({"spec": {"registrySources": {"insecureRegistries": [
            "registry.example.com:5000/team", "*.example.com", "quay.io/app:latest",
            "quay.io@sha256:abc", "-bad.example.com"]}}});
        let fields: Vec<String> = check(entries).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "spec.registrySources.insecureRegistries[2]",
                "spec.registrySources.insecureRegistries[3]",
                "spec.registrySources.insecureRegistries[4]",
            ]
        );
    }

    /// The model's registry-scope check (what the form says as the user types) agrees with
    /// the CRD's CEL rule as evaluated here.
    #[test]
    fn the_models_scope_check_is_the_crds_rule() {
        use registry_model::image_config::REGISTRY_SCOPE_RULE;
        use registry_model::validation::sources::is_registry_scope;
        let schema = json!({ "x-kubernetes-validations": [{ "rule": REGISTRY_SCOPE_RULE, "message": "m" }] });
        let rules = Rules::compile(&schema);
        for text in [
            "quay.io",
            "registry.example.com:5000",
            "registry.example.com:5000/team/app",
            "Registry.Example.com",
            "*.example.com",
            "localhost",
            "r.io/a__b/c-d/e.f/g---h",
            "",
            "quay.io/app:latest",
            "quay.io@sha256:abc",
            "-bad.example.com",
            "*.",
            "*example.com",
            "quay.io/",
            "quay.io/App",
            "host:",
            "host:port",
            "r.io/a..b",
            "r.io/a_-b",
            "a b",
            "a-.io",
            "1.2.3.4:80",
            "x/y_z",
            "x/y___z",
            "*.a.b-c",
            "*.a:1",
            "x:1/y",
            "x/-y",
        ] {
            let mut out = Vec::new();
            rules.causes(&schema, &json!(text), "", &mut out);
            assert_eq!(out.is_empty(), is_registry_scope(text), "{text:?}");
        }
    }
}
