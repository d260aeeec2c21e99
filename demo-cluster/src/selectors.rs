//! Label and field selectors as kubectl and kube-rs send them.

use std::collections::{BTreeMap, BTreeSet};

use kube::core::{Expression, SelectorExt};
use serde_json::Value;

use crate::api_error::ApiError;

/// A parsed label selector: every expression must match.
#[derive(Debug, Default)]
pub struct LabelSelector(Vec<Expression>);

impl LabelSelector {
    /// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let bad = |why: &str| {
            ApiError::bad_request(format!(
                "unable to parse requirement: {why} in label selector \"{text}\""
            ))
        };
        let mut exprs = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let expr = if let Some(key) = part.strip_prefix('!') {
                Expression::DoesNotExist(checked_key(key.trim()).map_err(|w| bad(&w))?)
            } else if let Some((key, rest)) = split_set_op(part, " notin ") {
                Expression::NotIn(
                    checked_key(key).map_err(|w| bad(&w))?,
                    parse_set(rest).map_err(|w| bad(&w))?,
                )
            } else if let Some((key, rest)) = split_set_op(part, " in ") {
                Expression::In(
                    checked_key(key).map_err(|w| bad(&w))?,
                    parse_set(rest).map_err(|w| bad(&w))?,
                )
            } else if let Some((key, value)) = part.split_once("!=") {
                Expression::NotEqual(
                    checked_key(key.trim()).map_err(|w| bad(&w))?,
                    value.trim().to_string(),
                )
            } else if let Some((key, value)) =
                part.split_once("==").or_else(|| part.split_once('='))
            {
                Expression::Equal(
                    checked_key(key.trim()).map_err(|w| bad(&w))?,
                    value.trim().to_string(),
                )
            } else {
                Expression::Exists(checked_key(part).map_err(|w| bad(&w))?)
            };
            exprs.push(expr);
        }
        Ok(LabelSelector(exprs))
    }

    /// Whether an object's labels match.
    pub fn matches(&self, object: &Value) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let labels: BTreeMap<String, String> = object
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        self.0.iter().all(|e| e.matches(&labels))
    }
}

fn checked_key(key: &str) -> Result<String, String> {
    let valid = !key.is_empty()
        && key.len() <= 317
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if valid {
        Ok(key.to_string())
    } else {
        Err(format!("invalid label key \"{key}\""))
    }
}

fn split_set_op<'a>(part: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let idx = part.find(op)?;
    Some((part[..idx].trim(), part[idx + op.len()..].trim()))
}

fn parse_set(text: &str) -> Result<BTreeSet<String>, String> {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("expected a parenthesized set, found \"{text}\""))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

/// Splits on commas outside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A parsed field selector: `metadata.name=x,status.phase!=Running`.
#[derive(Debug, Default)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    /// Parses a field selector.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (f, true, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid selector: '{text}'; can't understand '{part}'"
                )));
            };
            reqs.push((field.trim().to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    /// Whether the object's fields match; a missing field reads as "".
    pub fn matches(&self, object: &Value) -> bool {
        self.0.iter().all(|(field, equal, value)| {
            let pointer = format!("/{}", field.replace('.', "/"));
            let actual = match object.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (actual == *value) == *equal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(labels: Value) -> Value {
        json!({"metadata": {"name": "x", "labels": labels}, "status": {"phase": "Running"}})
    }

    #[test]
    fn label_selectors_match_as_kubernetes_does() {
        let o = obj(json!({"app": "registry", "tier": "backend"}));
        for (sel, want) in [
            ("app=registry", true),
            ("app==registry", true),
            ("app!=registry", false),
            ("app in (registry,web)", true),
            ("app notin (registry)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=registry,tier=frontend", false),
            ("", true),
        ] {
            assert_eq!(
                LabelSelector::parse(sel).unwrap().matches(&o),
                want,
                "{sel}"
            );
        }
    }

    #[test]
    fn bad_label_selectors_are_refused() {
        assert!(LabelSelector::parse("app in registry").is_err());
        assert!(LabelSelector::parse("a b=c").is_err());
    }

    #[test]
    fn field_selectors_read_dotted_paths() {
        let o = obj(json!({}));
        assert!(FieldSelector::parse("metadata.name=x").unwrap().matches(&o));
        assert!(
            !FieldSelector::parse("metadata.name!=x")
                .unwrap()
                .matches(&o)
        );
        assert!(
            FieldSelector::parse("status.phase=Running,metadata.namespace=")
                .unwrap()
                .matches(&o)
        );
        assert!(FieldSelector::parse("nonsense").is_err());
    }
}
