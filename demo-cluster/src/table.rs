//! Server-side printing (`meta.k8s.io/v1` Table) for `kubectl get`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::resources::{Printer, ResourceType};

/// True when the Accept header asks for a Table.
pub fn wants_table(accept: &str) -> bool {
    accept
        .split(',')
        .next()
        .is_some_and(|first| first.contains("as=Table"))
}

fn col(name: &str, type_: &str) -> Value {
    json!({ "name": name, "type": type_, "format": if name == "Name" { "name" } else { "" }, "description": "", "priority": 0 })
}

/// A column `kubectl get -o wide` adds.
fn wide(name: &str) -> Value {
    json!({ "name": name, "type": "string", "format": "", "description": "", "priority": 1 })
}

fn or_none(v: &str) -> Value {
    json!(if v.is_empty() { "<none>" } else { v })
}

/// `spec.accessModes` as kubectl abbreviates them: `RWO,RWX`.
fn access_modes(o: &Value) -> String {
    let modes: Vec<&str> = o
        .pointer("/spec/accessModes")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(|m| match m {
                    "ReadWriteOnce" => "RWO",
                    "ReadOnlyMany" => "ROX",
                    "ReadWriteMany" => "RWX",
                    "ReadWriteOncePod" => "RWOP",
                    other => other,
                })
                .collect()
        })
        .unwrap_or_default();
    modes.join(",")
}

/// A node's address of one type (`InternalIP`, `ExternalIP`).
fn address<'a>(o: &'a Value, type_: &str) -> &'a str {
    o.pointer("/status/addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|a| a["type"] == type_))
        .and_then(|a| a["address"].as_str())
        .unwrap_or("")
}

fn s<'a>(o: &'a Value, pointer: &str) -> &'a str {
    o.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// A human age as kubectl prints it: `45s`, `12m`, `3h`, `2d`.
pub fn age(timestamp: &str, now: DateTime<Utc>) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(timestamp) else {
        return "<unknown>".into();
    };
    let secs = (now - t.with_timezone(&Utc)).num_seconds().max(0);
    match secs {
        0..120 => format!("{secs}s"),
        120..7200 => format!("{}m", secs / 60),
        7200..172_800 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

fn condition(o: &Value, type_: &str, field: &str) -> String {
    o.pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
        })
        .and_then(|c| c.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn columns_and_cells(t: &ResourceType, o: &Value, now: DateTime<Utc>) -> (Vec<Value>, Vec<Value>) {
    let name = json!(s(o, "/metadata/name"));
    let age_cell = json!(age(s(o, "/metadata/creationTimestamp"), now));
    match t.printer {
        Printer::Pod => {
            let statuses = o
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let total = o
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let ready = statuses
                .iter()
                .filter(|c| c.get("ready") == Some(&json!(true)))
                .count();
            let restarts: i64 = statuses
                .iter()
                .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
                .sum();
            (
                vec![
                    col("Name", "string"),
                    col("Ready", "string"),
                    col("Status", "string"),
                    col("Restarts", "integer"),
                    col("Age", "string"),
                    wide("IP"),
                    wide("Node"),
                ],
                vec![
                    name,
                    json!(format!("{ready}/{total}")),
                    json!(s(o, "/status/phase")),
                    json!(restarts),
                    age_cell,
                    or_none(s(o, "/status/podIP")),
                    or_none(s(o, "/spec/nodeName")),
                ],
            )
        }
        Printer::Deployment => {
            let want = o
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let ready = o
                .pointer("/status/readyReplicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let updated = o
                .pointer("/status/updatedReplicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let available = o
                .pointer("/status/availableReplicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            (
                vec![
                    col("Name", "string"),
                    col("Ready", "string"),
                    col("Up-to-date", "integer"),
                    col("Available", "integer"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(format!("{ready}/{want}")),
                    json!(updated),
                    json!(available),
                    age_cell,
                ],
            )
        }
        Printer::Service => {
            let ports: Vec<String> = o
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            format!(
                                "{}/{}",
                                p.get("port").unwrap_or(&json!("")),
                                p.get("protocol").and_then(Value::as_str).unwrap_or("TCP")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                vec![
                    col("Name", "string"),
                    col("Type", "string"),
                    col("Cluster-IP", "string"),
                    col("Port(s)", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(s(o, "/spec/type")),
                    json!(s(o, "/spec/clusterIP")),
                    json!(ports.join(",")),
                    age_cell,
                ],
            )
        }
        Printer::Pvc => {
            let capacity = o
                .pointer("/status/capacity/storage")
                .or_else(|| o.pointer("/spec/resources/requests/storage"))
                .and_then(Value::as_str)
                .unwrap_or("");
            (
                vec![
                    col("Name", "string"),
                    col("Status", "string"),
                    col("Volume", "string"),
                    col("Capacity", "string"),
                    col("Access Modes", "string"),
                    col("StorageClass", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(s(o, "/status/phase")),
                    json!(s(o, "/spec/volumeName")),
                    json!(capacity),
                    json!(access_modes(o)),
                    json!(s(o, "/spec/storageClassName")),
                    age_cell,
                ],
            )
        }
        Printer::Route => {
            let host = o
                .pointer("/status/ingress/0/host")
                .or_else(|| o.pointer("/spec/host"))
                .and_then(Value::as_str)
                .unwrap_or("");
            (
                vec![
                    col("Name", "string"),
                    col("Host/Port", "string"),
                    col("Services", "string"),
                    col("Termination", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(host),
                    json!(s(o, "/spec/to/name")),
                    json!(s(o, "/spec/tls/termination")),
                    age_cell,
                ],
            )
        }
        Printer::ClusterOperator => {
            let version = o
                .pointer("/status/versions")
                .and_then(Value::as_array)
                .and_then(|vs| {
                    vs.iter()
                        .find(|v| v.get("name").and_then(Value::as_str) == Some("operator"))
                })
                .and_then(|v| v.get("version"))
                .and_then(Value::as_str)
                .unwrap_or("");
            (
                vec![
                    col("Name", "string"),
                    col("Version", "string"),
                    col("Available", "string"),
                    col("Progressing", "string"),
                    col("Degraded", "string"),
                    col("Since", "string"),
                ],
                vec![
                    name,
                    json!(version),
                    json!(condition(o, "Available", "status")),
                    json!(condition(o, "Progressing", "status")),
                    json!(condition(o, "Degraded", "status")),
                    json!(age(&condition(o, "Available", "lastTransitionTime"), now)),
                ],
            )
        }
        Printer::Event => (
            vec![
                col("Last Seen", "string"),
                col("Type", "string"),
                col("Reason", "string"),
                col("Object", "string"),
                col("Message", "string"),
            ],
            vec![
                json!(age(
                    o.get("lastTimestamp")
                        .and_then(Value::as_str)
                        .unwrap_or(s(o, "/metadata/creationTimestamp")),
                    now
                )),
                json!(s(o, "/type")),
                json!(s(o, "/reason")),
                json!(format!(
                    "{}/{}",
                    s(o, "/involvedObject/kind").to_lowercase(),
                    s(o, "/involvedObject/name")
                )),
                json!(s(o, "/message")),
            ],
        ),
        Printer::Node => {
            let ready = if condition(o, "Ready", "status") == "True" {
                "Ready"
            } else {
                "NotReady"
            };
            let roles: Vec<String> = o
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .map(|l| {
                    l.keys()
                        .filter_map(|k| {
                            k.strip_prefix("node-role.kubernetes.io/")
                                .map(str::to_string)
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                vec![
                    col("Name", "string"),
                    col("Status", "string"),
                    col("Roles", "string"),
                    col("Age", "string"),
                    col("Version", "string"),
                    wide("Internal-IP"),
                    wide("External-IP"),
                    wide("OS-Image"),
                    wide("Kernel-Version"),
                    wide("Container-Runtime"),
                ],
                vec![
                    name,
                    json!(ready),
                    json!(roles.join(",")),
                    age_cell,
                    json!(s(o, "/status/nodeInfo/kubeletVersion")),
                    or_none(address(o, "InternalIP")),
                    or_none(address(o, "ExternalIP")),
                    json!(s(o, "/status/nodeInfo/osImage")),
                    json!(s(o, "/status/nodeInfo/kernelVersion")),
                    json!(s(o, "/status/nodeInfo/containerRuntimeVersion")),
                ],
            )
        }
        Printer::Pv => {
            let claim = match (
                s(o, "/spec/claimRef/namespace"),
                s(o, "/spec/claimRef/name"),
            ) {
                (_, "") => String::new(),
                (ns, name) => format!("{ns}/{name}"),
            };
            (
                vec![
                    col("Name", "string"),
                    col("Capacity", "string"),
                    col("Access Modes", "string"),
                    col("Reclaim Policy", "string"),
                    col("Status", "string"),
                    col("Claim", "string"),
                    col("StorageClass", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(s(o, "/spec/capacity/storage")),
                    json!(access_modes(o)),
                    json!(s(o, "/spec/persistentVolumeReclaimPolicy")),
                    json!(s(o, "/status/phase")),
                    json!(claim),
                    json!(s(o, "/spec/storageClassName")),
                    age_cell,
                ],
            )
        }
        Printer::DaemonSet => {
            let n = |field: &str| {
                o.pointer(&format!("/status/{field}"))
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            };
            let selector: Vec<String> = o
                .pointer("/spec/template/spec/nodeSelector")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect()
                })
                .unwrap_or_default();
            (
                vec![
                    col("Name", "string"),
                    col("Desired", "integer"),
                    col("Current", "integer"),
                    col("Ready", "integer"),
                    col("Up-to-date", "integer"),
                    col("Available", "integer"),
                    col("Node Selector", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(n("desiredNumberScheduled")),
                    json!(n("currentNumberScheduled")),
                    json!(n("numberReady")),
                    json!(n("updatedNumberScheduled")),
                    json!(n("numberAvailable")),
                    or_none(&selector.join(",")),
                    age_cell,
                ],
            )
        }
        Printer::CronJob => {
            let last = s(o, "/status/lastScheduleTime");
            let active = o
                .pointer("/status/active")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            (
                vec![
                    col("Name", "string"),
                    col("Schedule", "string"),
                    col("Suspend", "boolean"),
                    col("Active", "integer"),
                    col("Last Schedule", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(s(o, "/spec/schedule")),
                    json!(
                        o.pointer("/spec/suspend")
                            .and_then(Value::as_bool)
                            .unwrap_or(false)
                    ),
                    json!(active),
                    json!(if last.is_empty() {
                        "<none>".to_string()
                    } else {
                        age(last, now)
                    }),
                    age_cell,
                ],
            )
        }
        Printer::Job => {
            let completions = o
                .pointer("/spec/completions")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let succeeded = o
                .pointer("/status/succeeded")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let started = s(o, "/status/startTime");
            let finished = s(o, "/status/completionTime");
            let duration = match (
                DateTime::parse_from_rfc3339(started),
                DateTime::parse_from_rfc3339(finished),
            ) {
                (Ok(a), Ok(b)) => format!("{}s", (b - a).num_seconds().max(0)),
                (Ok(_), Err(_)) => age(started, now),
                _ => String::new(),
            };
            (
                vec![
                    col("Name", "string"),
                    col("Completions", "string"),
                    col("Duration", "string"),
                    col("Age", "string"),
                ],
                vec![
                    name,
                    json!(format!("{succeeded}/{completions}")),
                    json!(duration),
                    age_cell,
                ],
            )
        }
        Printer::Default => (
            vec![col("Name", "string"), col("Age", "string")],
            vec![name, age_cell],
        ),
    }
}

/// One object's row; `full` includes the object, otherwise its metadata only.
fn row(t: &ResourceType, o: &Value, now: DateTime<Utc>, full: bool) -> (Vec<Value>, Value) {
    let (columns, cells) = columns_and_cells(t, o, now);
    let object = if full {
        o.clone()
    } else {
        json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o.get("metadata").cloned().unwrap_or(json!({})) })
    };
    (columns, json!({ "cells": cells, "object": object }))
}

/// A Table of objects.
pub fn table(
    t: &ResourceType,
    objects: &[Value],
    resource_version: Option<String>,
    now: DateTime<Utc>,
    full: bool,
) -> Value {
    let mut columns = columns_and_cells(t, &json!({}), now).0;
    let mut rows = Vec::new();
    for o in objects {
        let (c, r) = row(t, o, now, full);
        columns = c;
        rows.push(r);
    }
    let mut metadata = json!({});
    if let Some(rv) = resource_version {
        metadata["resourceVersion"] = json!(rv);
    }
    json!({ "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": columns, "rows": rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(age("2026-01-01T11:59:15Z", now), "45s");
        assert_eq!(age("2026-01-01T11:30:00Z", now), "30m");
        assert_eq!(age("2026-01-01T06:00:00Z", now), "6h");
        assert_eq!(age("2025-12-25T12:00:00Z", now), "7d");
        assert_eq!(age("garbage", now), "<unknown>");
    }
}
