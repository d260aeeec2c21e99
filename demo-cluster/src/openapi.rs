//! OpenAPI v3 documents, enough for kubectl: it reads them to learn that the server does
//! field validation (so `kubectl create -f` validates on the server) and for `explain`.

use serde_json::{Value, json};

use crate::resources::{Registry, ResourceType};

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// `/openapi/v3`: where each group version's document is.
pub fn root(registry: &Registry) -> Value {
    let mut paths = serde_json::Map::new();
    let mut gvs = vec![("", "v1")];
    gvs.extend(registry.groups());
    for (g, v) in gvs {
        let p = gv_path(g, v);
        paths.insert(
            p.clone(),
            json!({ "serverRelativeURL": format!("/openapi/v3/{p}") }),
        );
    }
    json!({ "paths": paths })
}

fn operation(t: &ResourceType, action: &str) -> Value {
    json!({
        "operationId": format!("{action}{}", t.kind),
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": { "group": t.group, "version": t.version, "kind": t.kind },
        "parameters": [
            { "name": "dryRun", "in": "query", "schema": { "type": "string", "uniqueItems": true } },
            { "name": "fieldValidation", "in": "query", "schema": { "type": "string", "uniqueItems": true } }
        ],
        "responses": { "200": { "description": "OK" } }
    })
}

fn schema_name(t: &ResourceType) -> String {
    let group = if t.group.is_empty() {
        "core".to_string()
    } else {
        t.group.split('.').rev().collect::<Vec<_>>().join(".")
    };
    format!("{group}.{}.{}", t.version, t.kind)
}

/// The document of one group version; `None` when it is not served.
pub fn group_version(registry: &Registry, group: &str, version: &str) -> Option<Value> {
    let types: Vec<&ResourceType> = registry
        .types()
        .iter()
        .filter(|t| t.group == group && t.version == version && !t.create_only)
        .collect();
    if types.is_empty() {
        return None;
    }
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for t in types {
        let base = format!("/{}", gv_path(group, version));
        let collection = if t.namespaced {
            format!("{base}/namespaces/{{namespace}}/{}", t.plural)
        } else {
            format!("{base}/{}", t.plural)
        };
        paths.insert(
            collection.clone(),
            json!({ "post": operation(t, "post"), "get": operation(t, "list") }),
        );
        paths.insert(
            format!("{collection}/{{name}}"),
            json!({ "get": operation(t, "get"), "put": operation(t, "put"), "patch": operation(t, "patch"), "delete": operation(t, "delete") }),
        );
        let mut schema = t.schema.as_ref().map(|s| s.raw().clone()).unwrap_or_else(
            || json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true }),
        );
        schema["x-kubernetes-group-version-kind"] =
            json!([{ "group": t.group, "version": t.version, "kind": t.kind }]);
        schemas.insert(schema_name(t), schema);
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": { "title": "registry-console demo cluster", "version": "v1.17.1+demo" },
        "paths": paths,
        "components": { "schemas": schemas }
    }))
}
