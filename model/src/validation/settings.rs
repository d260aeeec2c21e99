//! Operator settings: management state, replicas, request limits, routes, proxy, node
//! placement and resources.

use super::names::{http_url_problem, is_dns1123_subdomain};
use super::placement::{label_key_problem, label_value_problem, validate_resources};
use super::{Finding, Message};
use crate::duration::parse_go_duration;
use crate::edit::config::ConfigView;
use crate::names::DEFAULT_ROUTE;
use crate::registry_config::{ImageRegistryConfigRoute, ManagementState, RequestLimits};

/// The management states a form offers: `Force` passes the schema but the operator
/// ignores it (`registry-api.md` §9.4).
pub const OFFERED_STATES: [ManagementState; 3] = [
    ManagementState::Managed,
    ManagementState::Unmanaged,
    ManagementState::Removed,
];

/// Checks the settings of a config (storage has its own rules).
pub fn validate_settings(spec: &ConfigView) -> Vec<Finding> {
    let mut out = Vec::new();
    if spec.management_state == Some(ManagementState::Force) {
        out.push(Finding::error("spec.managementState", Message::ForceState));
    }
    if spec.replicas < 0 {
        out.push(Finding::error(
            "spec.replicas",
            Message::NegativeReplicas {
                replicas: spec.replicas,
            },
        ));
    }
    // Allowed (a way to stop the registry without removing it), but never silently.
    if spec.replicas == 0 && spec.management_state == Some(ManagementState::Managed) {
        out.push(Finding::warning("spec.replicas", Message::ZeroReplicas));
    }
    if let Some(resources) = &spec.resources {
        out.extend(validate_resources(resources));
    }
    for (key, value) in spec.node_selector.iter().flatten() {
        if let Some(problem) = label_key_problem(key).or_else(|| label_value_problem(value)) {
            out.push(Finding::error("spec.nodeSelector", problem));
        }
    }
    if let Some(requests) = &spec.requests {
        for (which, limits) in [("read", &requests.read), ("write", &requests.write)] {
            if let Some(l) = limits {
                out.extend(validate_limits(which, l));
            }
        }
    }
    out.extend(validate_routes(spec.routes.as_deref().unwrap_or_default()));
    if let Some(proxy) = &spec.proxy {
        for (name, value) in [("http", &proxy.http), ("https", &proxy.https)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                out.extend(
                    http_url_problem(v).map(|m| Finding::error(format!("spec.proxy.{name}"), m)),
                );
            }
        }
    }
    out
}

/// The rules of `spec.routes` (names unique, never `default-route`, DNS names; hostnames
/// lowercase DNS names), each finding on `spec.routes[i].name` or `.hostname`.
pub fn validate_routes(routes: &[ImageRegistryConfigRoute]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let field = format!("spec.routes[{i}]");
        if route.name == DEFAULT_ROUTE {
            out.push(Finding::error(
                format!("{field}.name"),
                Message::RouteNameReserved,
            ));
        } else if !is_dns1123_subdomain(&route.name) {
            out.push(Finding::error(
                format!("{field}.name"),
                Message::RouteName {
                    name: route.name.clone(),
                },
            ));
        }
        if seen.contains(&route.name.as_str()) {
            out.push(Finding::error(
                format!("{field}.name"),
                Message::RouteNameTwice {
                    name: route.name.clone(),
                },
            ));
        }
        seen.push(&route.name);
        if let Some(host) = route.hostname.as_deref().filter(|h| !h.is_empty())
            && !is_dns1123_subdomain(host)
        {
            out.push(Finding::error(
                format!("{field}.hostname"),
                Message::DnsName { host: host.into() },
            ));
        }
    }
    out
}

fn validate_limits(which: &str, l: &RequestLimits) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |name: &str| format!("spec.requests.{which}.{name}");
    for (name, value) in [
        ("maxRunning", l.max_running),
        ("maxInQueue", l.max_in_queue),
    ] {
        if value.is_some_and(|v| v < 0) {
            out.push(Finding::error(
                f(name),
                Message::NegativeLimit { name: name.into() },
            ));
        }
    }
    if let Some(wait) = l.max_wait_in_queue.as_deref().filter(|w| !w.is_empty()) {
        out.extend(
            parse_go_duration(wait)
                .err()
                .map(|e| Finding::error(f("maxWaitInQueue"), e.into())),
        );
        if l.max_running.unwrap_or(0) == 0 && l.max_in_queue.unwrap_or(0) == 0 {
            out.push(Finding::warning(f("maxWaitInQueue"), Message::WaitIgnored));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_config::{ProxyConfig, Requests};
    use crate::validation::Severity;
    use k8s_openapi::api::core::v1::ResourceRequirements;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn fields(spec: &ConfigView) -> Vec<(String, Severity)> {
        validate_settings(spec)
            .into_iter()
            .map(|f| (f.field, f.severity))
            .collect()
    }

    fn route(name: &str, host: Option<&str>) -> ImageRegistryConfigRoute {
        ImageRegistryConfigRoute {
            name: name.into(),
            hostname: host.map(str::to_string),
            secret_name: None,
        }
    }

    #[test]
    fn each_setting_rule() {
        use Severity::*;
        let base = ConfigView {
            replicas: 1,
            ..Default::default()
        };
        let limits = |running, queue, wait: Option<&str>| Requests {
            read: Some(RequestLimits {
                max_running: running,
                max_in_queue: queue,
                max_wait_in_queue: wait.map(str::to_string),
            }),
            write: None,
        };
        let cases: Vec<(ConfigView, Vec<(&str, Severity)>)> = vec![
            (base.clone(), vec![]),
            (
                ConfigView {
                    management_state: Some(ManagementState::Force),
                    ..base.clone()
                },
                vec![("spec.managementState", Error)],
            ),
            (
                ConfigView {
                    replicas: -1,
                    ..base.clone()
                },
                vec![("spec.replicas", Error)],
            ),
            (
                ConfigView {
                    replicas: 0,
                    management_state: Some(ManagementState::Managed),
                    ..base.clone()
                },
                vec![("spec.replicas", Warning)],
            ),
            (
                ConfigView {
                    replicas: 0,
                    management_state: Some(ManagementState::Unmanaged),
                    ..base.clone()
                },
                vec![],
            ),
            (
                ConfigView {
                    requests: Some(limits(Some(-1), None, None)),
                    ..base.clone()
                },
                vec![("spec.requests.read.maxRunning", Error)],
            ),
            (
                ConfigView {
                    requests: Some(limits(Some(10), None, Some("1d"))),
                    ..base.clone()
                },
                vec![("spec.requests.read.maxWaitInQueue", Error)],
            ),
            (
                ConfigView {
                    requests: Some(limits(Some(10), Some(5), Some("90s"))),
                    ..base.clone()
                },
                vec![],
            ),
            (
                ConfigView {
                    requests: Some(limits(None, None, Some("90s"))),
                    ..base.clone()
                },
                vec![("spec.requests.read.maxWaitInQueue", Warning)],
            ),
            (
                ConfigView {
                    routes: Some(vec![route("default-route", None)]),
                    ..base.clone()
                },
                vec![("spec.routes[0].name", Error)],
            ),
            (
                ConfigView {
                    routes: Some(vec![route("a", None), route("a", None)]),
                    ..base.clone()
                },
                vec![("spec.routes[1].name", Error)],
            ),
            (
                ConfigView {
                    routes: Some(vec![route("a", Some("Registry.Example.com"))]),
                    ..base.clone()
                },
                vec![("spec.routes[0].hostname", Error)],
            ),
            (
                ConfigView {
                    node_selector: Some([("bad key".to_string(), "x".to_string())].into()),
                    ..base.clone()
                },
                vec![("spec.nodeSelector", Error)],
            ),
            (
                ConfigView {
                    resources: Some(ResourceRequirements {
                        requests: Some([("memory".to_string(), Quantity("4Gi".into()))].into()),
                        limits: Some([("memory".to_string(), Quantity("1Gi".into()))].into()),
                        ..Default::default()
                    }),
                    ..base.clone()
                },
                vec![("spec.resources.requests.memory", Error)],
            ),
            (
                ConfigView {
                    proxy: Some(ProxyConfig {
                        http: Some("proxy:3128".into()),
                        ..Default::default()
                    }),
                    ..base.clone()
                },
                vec![("spec.proxy.http", Error)],
            ),
        ];
        for (spec, want) in cases {
            let want: Vec<(String, Severity)> =
                want.into_iter().map(|(f, s)| (f.to_string(), s)).collect();
            assert_eq!(fields(&spec), want, "{spec:?}");
        }
    }

    #[test]
    fn force_is_never_offered() {
        assert!(!OFFERED_STATES.contains(&ManagementState::Force));
    }
}
