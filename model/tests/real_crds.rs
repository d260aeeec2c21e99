//! The schemas derived from the model against the real CRDs of openshift/api (read from
//! `../shared/reference/crds` at test time; never copied into this repository).
//!
//! Every property path the derived schema has must exist in the real one with the same
//! type, enum, pattern and bounds; every path of the real schema under the parts the
//! console and the operator use must exist in the derived one. Deliberate differences are
//! listed in `DIFFERENCES` with their reason, and the test fails if a listed difference
//! disappears (so the list stays true).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

/// Paths whose subtree is not compared, and why.
const DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "Config",
        ".spec.affinity",
        "core Kubernetes type; the derived schema comes from k8s-openapi v1.37, the CRD's from the Kubernetes openshift/api was generated against",
    ),
    (
        "Config",
        ".spec.resources",
        "core Kubernetes type (see .spec.affinity)",
    ),
    (
        "Config",
        ".spec.tolerations",
        "core Kubernetes type (see .spec.affinity)",
    ),
    (
        "Config",
        ".spec.topologySpreadConstraints",
        "core Kubernetes type (see .spec.affinity)",
    ),
    (
        "Config",
        ".spec.storage.oss",
        "Alibaba OSS: the current operator ignores it; kept as raw JSON so it round-trips",
    ),
    (
        "Config",
        ".spec.storage.azure.networkAccess",
        "not edited by the console; kept as raw JSON (its default is declared)",
    ),
    (
        "Config",
        ".status.generations",
        "operator bookkeeping the console only displays; kept as raw JSON",
    ),
    (
        "Config",
        ".status.storage",
        "same shape as .spec.storage, compared there",
    ),
    ("ImagePruner", ".spec.affinity", "core Kubernetes type"),
    ("ImagePruner", ".spec.resources", "core Kubernetes type"),
    ("ImagePruner", ".spec.tolerations", "core Kubernetes type"),
    (
        "Route",
        ".spec.alternateBackends",
        "not used by the registry's routes",
    ),
    (
        "Route",
        ".spec.httpHeaders",
        "not used by the registry's routes",
    ),
    (
        "Route",
        ".spec.tls.externalCertificate",
        "not used by the registry operator (registry-api.md §8)",
    ),
    (
        "Route",
        ".spec.port.targetPort",
        "int-or-string: k8s-openapi's IntOrString schema",
    ),
    (
        "Route",
        ".status.ingress[].routerCanonicalHostname",
        "not shown by the console",
    ),
    (
        "Route",
        ".status.ingress[].wildcardPolicy",
        "not shown by the console",
    ),
];

/// Keys compared at every path.
const KEYS: &[&str] = &[
    "type",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "default",
    "x-kubernetes-validations",
];

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/crds")
}

fn flatten(schema: &Value, path: &str, out: &mut BTreeMap<String, Value>) {
    let mut props = serde_json::Map::new();
    for k in KEYS {
        if let Some(v) = schema.get(*k) {
            let v = if *k == "enum" {
                let mut items: Vec<String> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| !i.is_null())
                    .map(|i| i.to_string())
                    .collect();
                items.sort();
                Value::from(items)
            } else if let Some(n) = v.as_f64().filter(|_| v.is_number()) {
                // 5 and 5.0 are the same bound.
                Value::from(n)
            } else {
                v.clone()
            };
            props.insert(k.to_string(), v);
        }
    }
    if let Some(f) = schema.get("format") {
        props.insert("format".into(), f.clone());
    }
    out.insert(path.to_string(), Value::Object(props));
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        for (k, v) in p {
            flatten(v, &format!("{path}.{k}"), out);
        }
    }
    if let Some(items) = schema.get("items") {
        flatten(items, &format!("{path}[]"), out);
    }
}

fn skipped(kind: &str, path: &str) -> bool {
    path == ".metadata"
        || path.starts_with(".metadata.")
        || path == ".apiVersion"
        || path == ".kind"
        || DIFFERENCES.iter().any(|(k, p, _)| {
            *k == kind
                && (path == *p
                    || path.starts_with(&format!("{p}."))
                    || path.starts_with(&format!("{p}[")))
        })
}

fn real_schema(file: &str) -> Value {
    let path = reference_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read the real CRD {}: {e}. The test reads ../shared/reference/crds beside the repository (CI has it there).", path.display())
    });
    let crd: Value = serde_yaml::from_str(&text).unwrap();
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

fn compare(kind: &str, file: &str) -> Vec<String> {
    let derived_crd = registry_model::crds::all()
        .into_iter()
        .find(|c| c.spec.names.kind == kind)
        .unwrap();
    let derived = serde_json::to_value(
        derived_crd.spec.versions[0]
            .schema
            .as_ref()
            .unwrap()
            .open_api_v3_schema
            .as_ref()
            .unwrap(),
    )
    .unwrap();
    let (mut d, mut r) = (BTreeMap::new(), BTreeMap::new());
    flatten(&derived, "", &mut d);
    flatten(&real_schema(file), "", &mut r);
    let mut problems = Vec::new();
    let paths: BTreeSet<&String> = d.keys().chain(r.keys()).collect();
    for path in paths {
        if skipped(kind, path) {
            continue;
        }
        match (d.get(path), r.get(path)) {
            (Some(_), None) => problems.push(format!(
                "{kind}{path}: in the derived schema, not in the real CRD"
            )),
            (None, Some(_)) => problems.push(format!(
                "{kind}{path}: in the real CRD, missing from the model"
            )),
            (Some(dv), Some(rv)) => {
                for key in KEYS.iter().chain(std::iter::once(&"format")) {
                    let (a, b) = (dv.get(*key), rv.get(*key));
                    // `format` only matters where the real CRD declares one.
                    if *key == "format" && b.is_none() {
                        continue;
                    }
                    if a != b {
                        problems.push(format!("{kind}{path}: {key} derived {a:?} vs real {b:?}"));
                    }
                }
            }
            (None, None) => unreachable!(),
        }
    }
    problems
}

#[test]
fn derived_schemas_match_the_real_crds() {
    let mut problems = Vec::new();
    for (kind, file) in [
        ("Config", "00_configs.crd.yaml"),
        ("ImagePruner", "01_imagepruners.crd.yaml"),
        ("Image", "0000_10_config-operator_01_images.crd.yaml"),
        (
            "ClusterOperator",
            "0000_00_cluster-version-operator_01_clusteroperators.crd.yaml",
        ),
        ("Route", "routes.crd.yaml"),
    ] {
        problems.extend(compare(kind, file));
    }
    assert!(
        problems.is_empty(),
        "{} differences not listed in DIFFERENCES:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_listed_difference_is_still_real() {
    for (kind, path, _) in DIFFERENCES {
        let file = match *kind {
            "Config" => "00_configs.crd.yaml",
            "ImagePruner" => "01_imagepruners.crd.yaml",
            _ => "routes.crd.yaml",
        };
        let mut r = BTreeMap::new();
        flatten(&real_schema(file), "", &mut r);
        assert!(
            r.contains_key(*path),
            "{kind}{path} is listed as a difference but the real CRD has no such path"
        );
    }
}

#[test]
fn scope_names_and_subresources_match() {
    for crd in registry_model::crds::all() {
        let file = match crd.spec.names.kind.as_str() {
            "Config" => "00_configs.crd.yaml",
            "ImagePruner" => "01_imagepruners.crd.yaml",
            "Image" => "0000_10_config-operator_01_images.crd.yaml",
            "ClusterOperator" => "0000_00_cluster-version-operator_01_clusteroperators.crd.yaml",
            _ => "routes.crd.yaml",
        };
        let real: Value =
            serde_yaml::from_str(&std::fs::read_to_string(reference_dir().join(file)).unwrap())
                .unwrap();
        assert_eq!(
            crd.spec.scope,
            real["spec"]["scope"].as_str().unwrap(),
            "{file}"
        );
        assert_eq!(
            crd.spec.names.plural,
            real["spec"]["names"]["plural"].as_str().unwrap(),
            "{file}"
        );
        assert_eq!(
            crd.spec.group,
            real["spec"]["group"].as_str().unwrap(),
            "{file}"
        );
        let has_status = crd.spec.versions[0]
            .subresources
            .as_ref()
            .is_some_and(|s| s.status.is_some());
        assert_eq!(
            has_status,
            real["spec"]["versions"][0]["subresources"]["status"].is_object(),
            "{file}"
        );
    }
}
