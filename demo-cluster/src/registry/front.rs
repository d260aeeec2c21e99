//! The demo cluster's router in front of the registry, as the OpenShift router and the
//! registry's own auth are on a real cluster: a request for a route's host (or for the
//! router's own address, which stands for the registry's routes, since no DNS names
//! `*.apps.demo.example.com`) goes to a ready pod of the Service the route names, after the
//! caller is known and allowed. Credentials are the demo users' API tokens, sent as the
//! password of Basic auth (`podman login -u admin -p TOKEN`, as `-p $(oc whoami -t)` on
//! OpenShift) or as a bearer token; the decision is the API's RBAC, as the OpenShift
//! registry asks it: pull is `get imagestreams/layers` in the repository's project, push is
//! `update`, deleting is `delete images` cluster-wide, the catalog is `list imagestreams`
//! cluster-wide.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::{Endpoint, Registries};
use crate::auth::{Attributes, Authorizer, Tokens, UserInfo};
use crate::store::{Key, Store};

/// What the router needs of the cluster.
#[derive(Clone)]
pub struct Front {
    store: Store,
    tokens: Arc<Tokens>,
    authorizer: Authorizer,
    registries: Registries,
    next: Arc<AtomicUsize>,
}

/// The realm of the Basic challenge: what `podman login` shows.
const REALM: &str = "registry-console demo registry (user: anything, password: an API token)";

/// A registry-protocol error (`{"errors": [...]}`), as registries answer.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "code": code, "message": message, "detail": null }] });
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_str(&format!("Basic realm=\"{REALM}\"")).expect("a valid header"),
        );
    }
    response
}

impl Front {
    pub fn new(
        store: Store,
        tokens: Arc<Tokens>,
        authorizer: Authorizer,
        registries: Registries,
    ) -> Front {
        Front {
            store,
            tokens,
            authorizer,
            registries,
            next: Arc::default(),
        }
    }

    pub fn router(self) -> Router {
        Router::new().fallback(handle).with_state(self)
    }

    /// The route a host names; the router's own address stands for the registry's routes.
    fn route_for(&self, host: &str) -> Option<Value> {
        let (routes, _) = self.store.list("route.openshift.io", "routes", None);
        let hosts = |r: &Value| -> Vec<String> {
            let mut hosts: Vec<String> = r
                .pointer("/status/ingress")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|i| i["host"].as_str().map(str::to_owned))
                .collect();
            hosts.extend(
                r.pointer("/spec/host")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
            hosts
        };
        if let Some(route) = routes.iter().find(|r| hosts(r).iter().any(|h| h == host)) {
            return Some(route.clone());
        }
        let local = matches!(host, "127.0.0.1" | "localhost" | "::1" | "[::1]");
        let registry_routes = routes.iter().filter(|r| {
            r.pointer("/metadata/namespace").and_then(Value::as_str)
                == Some(registry_model::names::REGISTRY_NAMESPACE)
        });
        let mut registry_routes: Vec<&Value> = registry_routes.collect();
        registry_routes
            .sort_by_key(|r| r.pointer("/metadata/name") != Some(&json!("default-route")));
        local
            .then(|| registry_routes.first().map(|r| (*r).clone()))
            .flatten()
    }

    /// The ready pods behind a route's Service, as their processes' endpoints.
    fn backends(&self, route: &Value) -> Vec<Endpoint> {
        let ns = route
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let service = route
            .pointer("/spec/to/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(service) = self.store.get(&Key::new("", "services", ns, service)) else {
            return Vec::new();
        };
        let selector = service
            .pointer("/spec/selector")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if selector.is_empty() {
            return Vec::new();
        }
        let (pods, _) = self.store.list("", "pods", Some(ns));
        pods.iter()
            .filter(|p| {
                selector
                    .iter()
                    .all(|(k, v)| p.pointer("/metadata/labels").and_then(|l| l.get(k)) == Some(v))
            })
            .filter(|p| {
                p.pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter()
                            .any(|c| c["type"] == "Ready" && c["status"] == "True")
                    })
            })
            .filter_map(|p| {
                self.registries
                    .endpoint(ns, p.pointer("/metadata/name").and_then(Value::as_str)?)
            })
            .collect()
    }

    fn user(&self, headers: &HeaderMap) -> Option<UserInfo> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let token = if let Some(token) = value.strip_prefix("Bearer ") {
            token.to_string()
        } else {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(value.strip_prefix("Basic ")?.trim())
                .ok()?;
            let decoded = String::from_utf8(decoded).ok()?;
            decoded.split_once(':')?.1.to_string()
        };
        self.tokens.authenticate(token.trim())
    }
}

/// What a request to the registry API asks for, as the OpenShift registry checks it.
#[derive(Debug, PartialEq)]
enum Access {
    /// `/v2/`: anyone signed in.
    Base,
    Catalog,
    Pull(String),
    Push(String),
    Delete,
}

/// A refusal before the request goes anywhere: status, registry error code, message.
type Refusal = (StatusCode, &'static str, String);

fn access(method: &Method, path: &str) -> Result<Access, Refusal> {
    let rest = path.strip_prefix("/v2/").ok_or_else(|| {
        (
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "only the registry API (/v2/) is served here".to_string(),
        )
    })?;
    if rest.is_empty() {
        return Ok(Access::Base);
    }
    if rest == "_catalog" {
        return Ok(Access::Catalog);
    }
    let name_end = ["/manifests/", "/blobs/", "/tags/"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .ok_or_else(|| {
            (
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "not a registry API path".to_string(),
            )
        })?;
    let name = &rest[..name_end];
    let Some((project, _)) = name.split_once('/') else {
        return Err((
            StatusCode::NOT_FOUND,
            "NAME_INVALID",
            format!(
                "repository {name:?} has no project: name it PROJECT/{name}, as the OpenShift registry wants"
            ),
        ));
    };
    Ok(match *method {
        Method::GET | Method::HEAD => Access::Pull(project.to_string()),
        Method::DELETE => Access::Delete,
        _ => Access::Push(project.to_string()),
    })
}

fn attributes(verb: &str, resource: &str, subresource: &str, namespace: &str) -> Attributes {
    Attributes {
        verb: verb.into(),
        group: "image.openshift.io".into(),
        resource: resource.into(),
        subresource: subresource.into(),
        namespace: namespace.into(),
        ..Default::default()
    }
}

async fn handle(State(front): State<Front>, request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().host())
        .unwrap_or("");
    let host = host
        .rsplit_once(':')
        .map_or(host, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
        .to_string();
    let Some(route) = front.route_for(&host) else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            &format!(
                "no route exposes the registry at {host:?}: turn on defaultRoute or add a route (the Routes page), then use its host or this address"
            ),
        );
    };
    let wanted = match access(request.method(), request.uri().path()) {
        Ok(a) => a,
        Err((status, code, message)) => return error(status, code, &message),
    };
    let Some(user) = front.user(request.headers()) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "authentication required: log in with any user name and an API token as the password (podman login -u admin -p TOKEN)",
        );
    };
    let (allowed, what) = match &wanted {
        Access::Base => (true, String::new()),
        Access::Catalog => (
            front
                .authorizer
                .allowed(&user, &attributes("list", "imagestreams", "", "")),
            "list image streams in every project".into(),
        ),
        Access::Pull(project) => (
            front
                .authorizer
                .allowed(&user, &attributes("get", "imagestreams", "layers", project)),
            format!("pull from project {project}"),
        ),
        Access::Push(project) => (
            front.authorizer.allowed(
                &user,
                &attributes("update", "imagestreams", "layers", project),
            ),
            format!("push to project {project}"),
        ),
        Access::Delete => (
            front
                .authorizer
                .allowed(&user, &attributes("delete", "images", "", "")),
            "delete images (a cluster-wide right)".into(),
        ),
    };
    if !allowed {
        return error(
            StatusCode::FORBIDDEN,
            "DENIED",
            &format!(
                "{} may not {what}: grant a registry role on the Access page",
                user.name
            ),
        );
    }
    let backends = front.backends(&route);
    if backends.is_empty() {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            "no registry pod is ready behind the route: see the registry's pods on the overview",
        );
    }
    let backend = backends[front.next.fetch_add(1, Ordering::Relaxed) % backends.len()];
    forward(&front, backend, request, &host).await
}

async fn forward(front: &Front, backend: Endpoint, mut request: Request, host: &str) -> Response {
    let headers = request.headers_mut();
    headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
    if let Ok(h) = HeaderValue::from_str(host) {
        headers.insert("x-forwarded-host", h);
    }
    // The caller's token is for the router, not for the registry behind it.
    match front
        .registries
        .forward(backend.http, request, &["authorization", "host"])
        .await
    {
        Ok(response) => response,
        Err(why) => error(StatusCode::BAD_GATEWAY, "UNAVAILABLE", &why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_as_the_openshift_registry_checks_them() {
        assert_eq!(access(&Method::GET, "/v2/").unwrap(), Access::Base);
        assert_eq!(
            access(&Method::GET, "/v2/_catalog").unwrap(),
            Access::Catalog
        );
        assert_eq!(
            access(&Method::HEAD, "/v2/team-a/web/manifests/1.0").unwrap(),
            Access::Pull("team-a".into())
        );
        assert_eq!(
            access(&Method::POST, "/v2/team-a/tools/web/blobs/uploads/").unwrap(),
            Access::Push("team-a".into())
        );
        assert_eq!(
            access(&Method::PATCH, "/v2/team-a/web/blobs/uploads/abc").unwrap(),
            Access::Push("team-a".into())
        );
        assert_eq!(
            access(&Method::DELETE, "/v2/team-a/web/manifests/sha256:00").unwrap(),
            Access::Delete
        );
        let (status, code, message) = access(&Method::GET, "/v2/web/tags/list").unwrap_err();
        assert_eq!((status, code), (StatusCode::NOT_FOUND, "NAME_INVALID"));
        assert!(message.contains("PROJECT/web"), "{message}");
        assert_eq!(
            access(&Method::GET, "/metrics").unwrap_err().0,
            StatusCode::NOT_FOUND
        );
    }
}
