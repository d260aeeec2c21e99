//! Where the registry pods run and what they may use: `spec.nodeSelector`,
//! `spec.tolerations` and `spec.resources` (`registry-api.md` §1.1).
//!
//! Forms edit these as text, one entry per line, in the syntax admins already type:
//! `key=value` for a node selector and `oc adm taint`'s `key=value:Effect` for a toleration.
//! Parsing and printing live here so the browser and the server read a line the same way.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::names::is_dns1123_subdomain;
use super::{Finding, Message};
use crate::quantity::{parse_quantity, quantity_problem};

/// The effects a taint (and so a toleration) may name.
pub const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// The resources a form offers for the registry container.
pub const RESOURCE_NAMES: [&str; 2] = ["cpu", "memory"];

/// Why a label key is refused (`[prefix/]name`), or `None`.
pub fn label_key_problem(key: &str) -> Option<Message> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && (prefix.len() > 253 || !is_dns1123_subdomain(prefix))
    {
        return Some(Message::LabelPrefix { key: key.into() });
    }
    label_name_problem(name).map(|why| Message::LabelKey {
        key: key.into(),
        problem: Box::new(why),
    })
}

/// Why a label value is refused, or `None` (an empty value is allowed).
pub fn label_value_problem(value: &str) -> Option<Message> {
    if value.is_empty() {
        return None;
    }
    label_name_problem(value).map(|why| Message::LabelValue {
        value: value.into(),
        problem: Box::new(why),
    })
}

fn label_name_problem(name: &str) -> Option<Message> {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if name.is_empty() {
        Some(Message::LabelNameEmpty)
    } else if name.len() > 63 {
        Some(Message::LabelNameLength)
    } else if !name.starts_with(alnum) || !name.ends_with(alnum) {
        Some(Message::LabelNameEnds)
    } else if !name
        .chars()
        .all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
    {
        Some(Message::LabelNameCharacters)
    } else {
        None
    }
}

/// Lines of `key=value`; blank lines and `#` comments are skipped. Every bad line is a
/// finding on `spec.nodeSelector`.
pub fn parse_node_selector(text: &str) -> (BTreeMap<String, String>, Vec<Finding>) {
    const FIELD: &str = "spec.nodeSelector";
    let mut map = BTreeMap::new();
    let mut findings = Vec::new();
    for (n, line) in lines(text) {
        let Some((key, value)) = line.split_once('=') else {
            let problem = Message::NotKeyValue { line: line.into() };
            findings.push(Finding::error(FIELD, on_line(n, problem)));
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let problem = label_key_problem(key).or_else(|| label_value_problem(value));
        if let Some(problem) = problem {
            findings.push(Finding::error(FIELD, on_line(n, problem)));
        } else if map.insert(key.to_owned(), value.to_owned()).is_some() {
            let problem = Message::KeyTwice { key: key.into() };
            findings.push(Finding::error(FIELD, on_line(n, problem)));
        }
    }
    (map, findings)
}

/// A node selector as the form shows it, one `key=value` per line.
pub fn format_node_selector(map: &BTreeMap<String, String>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines in `oc adm taint` syntax: `key=value:Effect` (Equal), `key:Effect` or `key`
/// (Exists), `key=value` (any effect), `*` (tolerate every taint), and a trailing
/// `for 300s` on a NoExecute line for how long the pod stays once tainted.
pub fn parse_tolerations(text: &str) -> (Vec<Toleration>, Vec<Finding>) {
    const FIELD: &str = "spec.tolerations";
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (n, line) in lines(text) {
        match parse_toleration(line) {
            Ok(t) => out.push(t),
            Err(why) => findings.push(Finding::error(FIELD, on_line(n, why))),
        }
    }
    (out, findings)
}

fn parse_toleration(line: &str) -> Result<Toleration, Message> {
    let (rule, seconds) = match line.split_once(" for ") {
        Some((rule, time)) => {
            let time = time.trim();
            let number = time.strip_suffix('s').unwrap_or(time);
            let seconds: i64 = number
                .parse()
                .map_err(|_| Message::TolerationSeconds { time: time.into() })?;
            (rule.trim(), Some(seconds))
        }
        None => (line, None),
    };
    if rule == "*" {
        if seconds.is_some() {
            return Err(Message::TolerationTimeForAll);
        }
        return Ok(Toleration {
            operator: Some("Exists".into()),
            ..Toleration::default()
        });
    }
    let (rule, effect) = match rule.rsplit_once(':') {
        Some((rule, effect)) => {
            if !TAINT_EFFECTS.contains(&effect) {
                return Err(Message::TaintEffect {
                    effect: effect.into(),
                });
            }
            (rule, Some(effect.to_owned()))
        }
        None => (rule, None),
    };
    if seconds.is_some() && effect.as_deref() != Some("NoExecute") {
        return Err(Message::TolerationTimeNotNoExecute);
    }
    let (key, value) = match rule.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (rule, None),
    };
    if let Some(problem) = label_key_problem(key) {
        return Err(problem);
    }
    if let Some(problem) = value.and_then(label_value_problem) {
        return Err(problem);
    }
    Ok(Toleration {
        key: Some(key.to_owned()),
        operator: Some(if value.is_some() { "Equal" } else { "Exists" }.into()),
        value: value.map(str::to_owned),
        effect,
        toleration_seconds: seconds,
    })
}

/// Tolerations as the form shows them, one per line; `parse_tolerations` reads them back.
pub fn format_tolerations(tolerations: &[Toleration]) -> String {
    tolerations
        .iter()
        .map(|t| {
            let mut line = match (&t.key, t.operator.as_deref(), &t.value) {
                (None, _, _) => "*".to_owned(),
                (Some(key), Some("Exists"), _) | (Some(key), _, None) => key.clone(),
                (Some(key), _, Some(value)) => format!("{key}={value}"),
            };
            if let Some(effect) = &t.effect
                && !(t.key.is_none() && line == "*")
            {
                line = format!("{line}:{effect}");
            }
            if let Some(seconds) = t.toleration_seconds {
                line = format!("{line} for {seconds}s");
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Container requests and limits: quantities the API accepts, and no request above its
/// limit (the API refuses that too, only later).
pub fn validate_resources(resources: &ResourceRequirements) -> Vec<Finding> {
    let mut out = Vec::new();
    let empty = BTreeMap::new();
    let requests = resources.requests.as_ref().unwrap_or(&empty);
    let limits = resources.limits.as_ref().unwrap_or(&empty);
    for (kind, map) in [("requests", requests), ("limits", limits)] {
        for (name, Quantity(text)) in map {
            if let Some(problem) = quantity_problem(text) {
                out.push(Finding::error(
                    format!("spec.resources.{kind}.{name}"),
                    problem,
                ));
            }
        }
    }
    for (name, Quantity(request)) in requests {
        let Some(Quantity(limit)) = limits.get(name) else {
            continue;
        };
        if let (Some(r), Some(l)) = (parse_quantity(request), parse_quantity(limit))
            && r > l
        {
            out.push(Finding::error(
                format!("spec.resources.requests.{name}"),
                Message::RequestAboveLimit {
                    resource: name.clone(),
                    request: request.clone(),
                    limit: limit.clone(),
                },
            ));
        }
    }
    out
}

/// What is wrong on line `n` of a multi-line field.
fn on_line(n: usize, problem: Message) -> Message {
    Message::OnLine {
        line: n,
        problem: Box::new(problem),
    }
}

/// Numbered, trimmed, non-empty lines that are not comments.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_selector_lines() {
        let (map, findings) =
            parse_node_selector("node-role.kubernetes.io/infra=\n# comment\n\nzone = east\n");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(map["node-role.kubernetes.io/infra"], "");
        assert_eq!(map["zone"], "east");
        assert_eq!(
            parse_node_selector(&format_node_selector(&map)).0,
            map,
            "printing and parsing round-trip"
        );
        let bad: &[(&str, &str)] = &[
            ("zone", "not key=value"),
            ("=x", "the name is empty"),
            ("Bad_Prefix/x=y", "prefix"),
            ("zone=-east", "start and end"),
            ("zone=a b", "only letters"),
            ("a=1\na=2", "given twice"),
        ];
        for (text, want) in bad {
            let (_, findings) = parse_node_selector(text);
            assert_eq!(findings.len(), 1, "{text}: {findings:?}");
            assert!(
                findings[0].message.to_string().contains(want),
                "{text}: {findings:?}"
            );
            assert_eq!(findings[0].field, "spec.nodeSelector");
        }
        assert!(
            label_key_problem(&"k".repeat(64))
                .unwrap()
                .to_string()
                .contains("63 characters")
        );
    }

    #[test]
    fn toleration_lines_in_taint_syntax() {
        let text = "node-role.kubernetes.io/infra:NoSchedule\ndedicated=registry:NoExecute for 300s\ngpu\nteam=a\n*";
        let (tolerations, findings) = parse_tolerations(text);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(tolerations.len(), 5);
        assert_eq!(tolerations[0].operator.as_deref(), Some("Exists"));
        assert_eq!(tolerations[0].effect.as_deref(), Some("NoSchedule"));
        assert_eq!(tolerations[1].operator.as_deref(), Some("Equal"));
        assert_eq!(tolerations[1].value.as_deref(), Some("registry"));
        assert_eq!(tolerations[1].toleration_seconds, Some(300));
        assert_eq!(tolerations[2].effect, None);
        assert_eq!(tolerations[3].value.as_deref(), Some("a"));
        assert_eq!(tolerations[4].key, None);
        assert_eq!(format_tolerations(&tolerations), text, "round-trip");
        let bad: &[(&str, &str)] = &[
            ("x:NoRun", "not a taint effect"),
            ("x:NoSchedule for 30s", "only to a NoExecute"),
            ("x:NoExecute for soon", "not a number of seconds"),
            ("bad key:NoSchedule", "only letters"),
            ("* for 5s", "only to a NoExecute"),
        ];
        for (text, want) in bad {
            let (_, findings) = parse_tolerations(text);
            assert_eq!(findings.len(), 1, "{text}");
            assert!(
                findings[0].message.to_string().contains(want),
                "{text}: {findings:?}"
            );
        }
    }

    #[test]
    fn resource_quantities_and_limits() {
        let resources = |requests: &[(&str, &str)], limits: &[(&str, &str)]| {
            let map = |pairs: &[(&str, &str)]| {
                Some(
                    pairs
                        .iter()
                        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                        .collect(),
                )
            };
            ResourceRequirements {
                requests: map(requests),
                limits: map(limits),
                ..ResourceRequirements::default()
            }
        };
        let fields = |r: &ResourceRequirements| {
            validate_resources(r)
                .into_iter()
                .map(|f| f.field)
                .collect::<Vec<_>>()
        };
        assert!(
            fields(&resources(
                &[("cpu", "100m"), ("memory", "256Mi")],
                &[("memory", "1Gi")]
            ))
            .is_empty()
        );
        assert_eq!(
            fields(&resources(&[("memory", "2Gi")], &[("memory", "1Gi")])),
            ["spec.resources.requests.memory"]
        );
        assert_eq!(
            fields(&resources(&[("cpu", "lots")], &[])),
            ["spec.resources.requests.cpu"]
        );
        assert_eq!(
            fields(&resources(&[], &[("memory", "1 GB")])),
            ["spec.resources.limits.memory"]
        );
    }
}
