//! Who is calling (bearer tokens) and what they may do (RBAC over the stored roles and
//! bindings, evaluated as kube-apiserver's RBAC authorizer does).

use std::path::Path;

use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::DemoUser;
use crate::api_error::{ApiError, qualified};
use crate::store::Store;

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

/// What a request wants to do.
#[derive(Clone, Debug, Default)]
pub struct Attributes {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// Set for non-resource requests (discovery, /version).
    pub path: Option<String>,
}

/// The demo users' bearer tokens, kept in `DATA_DIR/tokens.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tokens {
    pub admin: String,
    pub viewer: String,
}

impl Tokens {
    /// Loads the tokens, creating them (readable by the owner only) on first start.
    pub fn load_or_create(dir: &Path) -> std::io::Result<Tokens> {
        let path = dir.join("tokens.json");
        if let Ok(text) = std::fs::read(&path)
            && let Ok(tokens) = serde_json::from_slice(&text)
        {
            return Ok(tokens);
        }
        let tokens = Tokens {
            admin: new_token("admin"),
            viewer: new_token("viewer"),
        };
        let text = serde_json::to_vec_pretty(&tokens).map_err(std::io::Error::other)?;
        crate::files::write_private(&path, &text)?;
        Ok(tokens)
    }

    /// The token of a demo user.
    pub fn of(&self, user: DemoUser) -> &str {
        match user {
            DemoUser::Admin => &self.admin,
            DemoUser::Viewer => &self.viewer,
        }
    }

    /// The user a token belongs to.
    pub fn authenticate(&self, token: &str) -> Option<UserInfo> {
        let (name, masters) = if constant_time_eq(token, &self.admin) {
            ("admin", true)
        } else if constant_time_eq(token, &self.viewer) {
            ("viewer", false)
        } else {
            return None;
        };
        let mut groups = vec!["system:authenticated".to_string()];
        if masters {
            groups.insert(0, "system:masters".to_string());
        }
        Some(UserInfo {
            name: name.to_string(),
            groups,
        })
    }
}

fn new_token(user: &str) -> String {
    let bytes: [u8; 24] = rand::rng().random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("demo-{user}-{hex}")
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The RBAC authorizer.
#[derive(Clone)]
pub struct Authorizer {
    store: Store,
}

/// A policy rule from a Role or ClusterRole.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    #[serde(default)]
    pub verbs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_names: Vec<String>,
    #[serde(
        default,
        rename = "nonResourceURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub non_resource_urls: Vec<String>,
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|v| v == "*" || v == want)
}

impl PolicyRule {
    fn allows(&self, a: &Attributes) -> bool {
        if !has(&self.verbs, &a.verb) {
            return false;
        }
        if let Some(path) = &a.path {
            return self.non_resource_urls.iter().any(|u| {
                u == "*" || u == path || u.strip_suffix('*').is_some_and(|p| path.starts_with(p))
            });
        }
        let resource = if a.subresource.is_empty() {
            a.resource.clone()
        } else {
            format!("{}/{}", a.resource, a.subresource)
        };
        has(&self.api_groups, &a.group)
            && (has(&self.resources, &resource)
                || (!a.subresource.is_empty()
                    && self
                        .resources
                        .iter()
                        .any(|r| r == &format!("*/{}", a.subresource))))
            && (self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == &a.name))
    }
}

impl Authorizer {
    pub fn new(store: Store) -> Self {
        Authorizer { store }
    }

    fn subject_matches(subject: &Value, user: &UserInfo) -> bool {
        let kind = subject.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = subject.get("name").and_then(Value::as_str).unwrap_or("");
        match kind {
            "User" => name == user.name,
            "Group" => user.groups.iter().any(|g| g == name),
            // A service account authenticates as system:serviceaccount:NAMESPACE:NAME.
            "ServiceAccount" => {
                let namespace = subject
                    .get("namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                user.name == format!("system:serviceaccount:{namespace}:{name}")
            }
            _ => false,
        }
    }

    /// Every rule that applies to the user in `namespace` (cluster-wide rules included).
    pub fn rules_for(&self, user: &UserInfo, namespace: &str) -> Vec<PolicyRule> {
        if user.groups.iter().any(|g| g == "system:masters") {
            return vec![
                PolicyRule {
                    verbs: vec!["*".into()],
                    api_groups: vec!["*".into()],
                    resources: vec!["*".into()],
                    ..Default::default()
                },
                PolicyRule {
                    verbs: vec!["*".into()],
                    non_resource_urls: vec!["*".into()],
                    ..Default::default()
                },
            ];
        }
        let mut rules = Vec::new();
        let (crbs, _) = self
            .store
            .list("rbac.authorization.k8s.io", "clusterrolebindings", None);
        let mut bindings: Vec<(Value, String)> =
            crbs.into_iter().map(|b| (b, String::new())).collect();
        if !namespace.is_empty() {
            let (rbs, _) =
                self.store
                    .list("rbac.authorization.k8s.io", "rolebindings", Some(namespace));
            bindings.extend(rbs.into_iter().map(|b| (b, namespace.to_string())));
        }
        for (binding, ns) in bindings {
            let subjects = binding
                .get("subjects")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if !subjects.iter().any(|s| Self::subject_matches(s, user)) {
                continue;
            }
            let role_kind = binding
                .pointer("/roleRef/kind")
                .and_then(Value::as_str)
                .unwrap_or("");
            let role_name = binding
                .pointer("/roleRef/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let role = match role_kind {
                "ClusterRole" => self.store.get(&crate::store::Key::new(
                    "rbac.authorization.k8s.io",
                    "clusterroles",
                    "",
                    role_name,
                )),
                "Role" => self.store.get(&crate::store::Key::new(
                    "rbac.authorization.k8s.io",
                    "roles",
                    &ns,
                    role_name,
                )),
                _ => None,
            };
            if let Some(role) = role {
                let role_rules: Vec<PolicyRule> =
                    serde_json::from_value(role.get("rules").cloned().unwrap_or(json!([])))
                        .unwrap_or_default();
                rules.extend(role_rules);
            }
        }
        rules
    }

    /// Whether the user may do what the attributes say.
    pub fn allowed(&self, user: &UserInfo, a: &Attributes) -> bool {
        self.rules_for(user, &a.namespace)
            .iter()
            .any(|r| r.allows(a))
    }

    /// `Ok` or the 403 kube-apiserver would answer.
    pub fn check(&self, user: &UserInfo, a: &Attributes) -> Result<(), ApiError> {
        if self.allowed(user, a) {
            return Ok(());
        }
        if let Some(path) = &a.path {
            return Err(ApiError::forbidden(
                "",
                "",
                None,
                format!(
                    "forbidden: User \"{}\" cannot {} path \"{path}\"",
                    user.name, a.verb
                ),
            ));
        }
        let resource = if a.subresource.is_empty() {
            a.resource.clone()
        } else {
            format!("{}/{}", a.resource, a.subresource)
        };
        let scope = if a.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{}\"", a.namespace)
        };
        let subject = if a.name.is_empty() {
            qualified(&a.group, &a.resource)
        } else {
            format!("{} \"{}\"", qualified(&a.group, &a.resource), a.name)
        };
        let message = format!(
            "{subject} is forbidden: User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" {scope}",
            user.name, a.verb, a.group
        );
        Err(ApiError::forbidden(
            &a.group,
            &a.resource,
            (!a.name.is_empty()).then_some(a.name.as_str()),
            message,
        ))
    }
}

/// Answers a SelfSubjectAccessReview: the request echoed with `status.allowed`.
pub fn access_review(authz: &Authorizer, user: &UserInfo, mut review: Value) -> Value {
    let spec = review.get("spec").cloned().unwrap_or(json!({}));
    let attrs = if let Some(r) = spec.get("resourceAttributes") {
        let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Attributes {
            verb: s("verb"),
            group: s("group"),
            resource: s("resource"),
            subresource: s("subresource"),
            namespace: s("namespace"),
            name: s("name"),
            path: None,
        }
    } else if let Some(n) = spec.get("nonResourceAttributes") {
        let s = |k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Attributes {
            verb: s("verb"),
            path: Some(s("path")),
            ..Default::default()
        }
    } else {
        Attributes::default()
    };
    let allowed = authz.allowed(user, &attrs);
    let mut status = json!({ "allowed": allowed });
    if allowed {
        status["reason"] = json!(if user.groups.iter().any(|g| g == "system:masters") {
            ""
        } else {
            "allowed by RBAC"
        });
    }
    review["status"] = status;
    review
        .as_object_mut()
        .map(|m| m.entry("metadata").or_insert(json!({})));
    review
}

/// Answers a SelfSubjectRulesReview for `spec.namespace`.
pub fn rules_review(authz: &Authorizer, user: &UserInfo, mut review: Value) -> Value {
    let ns = review
        .pointer("/spec/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let rules = authz.rules_for(user, &ns);
    let resource_rules: Vec<Value> = rules
        .iter()
        .filter(|r| r.non_resource_urls.is_empty())
        .map(|r| json!({ "verbs": r.verbs, "apiGroups": r.api_groups, "resources": r.resources, "resourceNames": r.resource_names }))
        .collect();
    let non_resource_rules: Vec<Value> = rules
        .iter()
        .filter(|r| !r.non_resource_urls.is_empty())
        .map(|r| json!({ "verbs": r.verbs, "nonResourceURLs": r.non_resource_urls }))
        .collect();
    review["status"] = json!({ "resourceRules": resource_rules, "nonResourceRules": non_resource_rules, "incomplete": false });
    review
}

/// Maps an HTTP method to the RBAC verb.
pub fn verb_for(method: &axum::http::Method, named: bool, watch: bool) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET | Method::HEAD if watch => "watch",
        Method::GET | Method::HEAD if named => "get",
        Method::GET | Method::HEAD => "list",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if named => "delete",
        Method::DELETE => "deletecollection",
        _ => "unknown",
    }
}
