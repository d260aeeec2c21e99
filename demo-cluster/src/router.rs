//! The HTTP API: path parsing, authentication and authorization, then the verbs with the
//! semantics of kube-apiserver (preconditions, generation, status subresource, dry run).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures::StreamExt;
use serde_json::{Value, json};
use tokio_stream::wrappers::BroadcastStream;

use crate::api_error::{ApiError, Cause, deleted_status};
use crate::auth::{self, Attributes, Authorizer, Tokens, UserInfo};
use crate::decode;
use crate::discovery;
use crate::impersonation;
use crate::logs::PodLogs;
use crate::openapi;
use crate::patch::{self, PatchType};
use crate::protobuf;
use crate::resources::{Registry, ResourceType};
use crate::selectors::{FieldSelector, LabelSelector};
use crate::store::{EventType, Key, Store, Txn};
use crate::table;
use crate::timestamp::now;
use crate::validation;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct ApiState {
    pub activity: crate::Activity,
    pub store: Store,
    pub registry: Registry,
    pub tokens: Arc<Tokens>,
    pub authorizer: Authorizer,
    pub logs: PodLogs,
    /// The registry pods' processes, for `pods/NAME:PORT/proxy`.
    pub registries: crate::registry::Registries,
}

/// The API router.
pub fn router(state: ApiState) -> Router {
    Router::new().fallback(handle).with_state(state)
}

type Params = HashMap<String, String>;

/// kube-apiserver's limit on a request body.
const MAX_BODY: usize = 3 * 1024 * 1024;

async fn handle(
    State(state): State<ApiState>,
    method: Method,
    uri: Uri,
    Query(params): Query<Params>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    state.activity.request();
    // As kube-apiserver: a body above 3 MiB is refused whole, never buffered further.
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(_) => return ApiError::too_large(MAX_BODY).into_response(),
    };
    let path = uri.path().trim_end_matches('/').to_string();
    let path = if path.is_empty() {
        "/".to_string()
    } else {
        path
    };
    match path.as_str() {
        "/healthz" | "/readyz" | "/livez" => return (StatusCode::OK, "ok").into_response(),
        "/version" => return json_response(StatusCode::OK, discovery::version()),
        _ => {}
    }
    // No credentials is the anonymous user (whom RBAC then refuses); wrong ones are a 401.
    let user = match authenticate(&state.tokens, &headers) {
        Auth::User(u) => u,
        Auth::Anonymous => UserInfo {
            name: "system:anonymous".into(),
            groups: vec!["system:unauthenticated".into()],
        },
        Auth::Invalid => return ApiError::unauthorized().into_response(),
    };
    let user = match impersonation::identity(&state.authorizer, user, &headers, &path) {
        Ok(user) => user,
        Err(refused) => return refused.into_response(),
    };
    match serve(&state, &user, &method, &path, &params, &headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

enum Auth {
    User(UserInfo),
    Anonymous,
    Invalid,
}

fn authenticate(tokens: &Tokens, headers: &HeaderMap) -> Auth {
    let Some(value) = headers.get("authorization") else {
        return Auth::Anonymous;
    };
    let token = value.to_str().ok().and_then(|v| {
        v.strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
    });
    match token.and_then(|t| tokens.authenticate(t.trim())) {
        Some(user) => Auth::User(user),
        None => Auth::Invalid,
    }
}

fn json_response(code: StatusCode, value: Value) -> Response {
    (
        code,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// A request for a resource, parsed from the path.
struct Target<'a> {
    rt: &'a ResourceType,
    namespace: String,
    name: String,
    subresource: String,
}

async fn serve(
    state: &ApiState,
    user: &UserInfo,
    method: &Method,
    path: &str,
    params: &Params,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Discovery and other non-resource paths.
    let discovery_doc = match segments.as_slice() {
        ["api"] => Some(discovery::core_versions()),
        ["apis"] => Some(discovery::group_list(&state.registry)),
        ["api", v] => {
            Some(discovery::resource_list(&state.registry, "", v).ok_or_else(ApiError::no_route)?)
        }
        ["apis", g] => {
            let (_, v) = state
                .registry
                .groups()
                .into_iter()
                .find(|(name, _)| name == g)
                .ok_or_else(ApiError::no_route)?;
            Some(discovery::group(g, v))
        }
        ["apis", g, v] => {
            Some(discovery::resource_list(&state.registry, g, v).ok_or_else(ApiError::no_route)?)
        }
        ["openapi", "v3"] => Some(openapi::root(&state.registry)),
        ["openapi", "v3", "api", v] => {
            Some(openapi::group_version(&state.registry, "", v).ok_or_else(ApiError::no_route)?)
        }
        ["openapi", "v3", "apis", g, v] => {
            Some(openapi::group_version(&state.registry, g, v).ok_or_else(ApiError::no_route)?)
        }
        ["openapi", ..] | [] => return Err(ApiError::no_route()),
        _ => None,
    };
    if let Some(doc) = discovery_doc {
        state.authorizer.check(
            user,
            &Attributes {
                verb: "get".into(),
                path: Some(path.to_string()),
                ..Default::default()
            },
        )?;
        return Ok(json_response(StatusCode::OK, doc));
    }
    if let [
        "api",
        "v1",
        "namespaces",
        ns,
        "pods",
        pod,
        "proxy",
        rest @ ..,
    ] = segments.as_slice()
    {
        return pod_proxy(state, user, method, (ns, pod), rest, params, headers, body).await;
    }
    let (group, version, rest) = match segments.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return Err(ApiError::no_route()),
    };
    let find = |plural: &str| state.registry.find(group, version, plural);
    let target = match rest {
        ["namespaces", ns, plural, tail @ ..] if find(plural).is_some_and(|t| t.namespaced) => {
            let (name, sub) = match tail {
                [] => ("", ""),
                [name] => (*name, ""),
                [name, sub] => (*name, *sub),
                _ => return Err(ApiError::no_route()),
            };
            Target {
                rt: find(plural).expect("checked"),
                namespace: ns.to_string(),
                name: name.into(),
                subresource: sub.into(),
            }
        }
        [plural, tail @ ..] => {
            let rt = find(plural).ok_or_else(ApiError::no_route)?;
            let (name, sub) = match tail {
                [] => ("", ""),
                [name] => (*name, ""),
                [name, sub] => (*name, *sub),
                _ => return Err(ApiError::no_route()),
            };
            if rt.namespaced && !name.is_empty() {
                return Err(ApiError::no_route());
            }
            Target {
                rt,
                namespace: String::new(),
                name: name.into(),
                subresource: sub.into(),
            }
        }
        _ => return Err(ApiError::no_route()),
    };
    if !target.subresource.is_empty() {
        let known = (target.subresource == "status" && target.rt.status_subresource)
            || (target.subresource == "log" && target.rt.plural == "pods");
        if !known {
            return Err(ApiError::no_route());
        }
    }
    let watching = params.get("watch").is_some_and(|w| w == "true" || w == "1");
    let verb = auth::verb_for(method, !target.name.is_empty(), watching);
    state.authorizer.check(
        user,
        &Attributes {
            verb: verb.into(),
            group: group.into(),
            resource: target.rt.plural.into(),
            subresource: target.subresource.clone(),
            namespace: target.namespace.clone(),
            name: target.name.clone(),
            path: None,
        },
    )?;
    let accept = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let dry_run = params.get("dryRun").is_some_and(|d| d == "All");
    let rt = target.rt;
    match (verb, target.subresource.as_str()) {
        ("create", "") if rt.plural == "selfsubjectaccessreviews" => {
            let review = body_of(&body, content_type, rt.kind)?;
            Ok(json_response(
                StatusCode::CREATED,
                auth::access_review(&state.authorizer, user, review),
            ))
        }
        // Whether another user may do something (`oc policy who-can`, a console checking a
        // grant): answered for the user and groups the review names, as an authenticated
        // user.
        ("create", "") if rt.plural == "subjectaccessreviews" => {
            let review = body_of(&body, content_type, rt.kind)?;
            let spec = review.get("spec").cloned().unwrap_or(json!({}));
            let mut groups: Vec<String> = spec
                .get("groups")
                .and_then(Value::as_array)
                .map(|g| {
                    g.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            groups.push("system:authenticated".into());
            let subject = auth::UserInfo {
                name: spec
                    .get("user")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                groups,
            };
            Ok(json_response(
                StatusCode::CREATED,
                auth::access_review(&state.authorizer, &subject, review),
            ))
        }
        ("create", "") if rt.plural == "selfsubjectrulesreviews" => {
            let review = body_of(&body, content_type, rt.kind)?;
            Ok(json_response(
                StatusCode::CREATED,
                auth::rules_review(&state.authorizer, user, review),
            ))
        }
        ("create", "") if rt.plural == "selfsubjectreviews" => {
            let review = json!({
                "apiVersion": rt.api_version(),
                "kind": rt.kind,
                "metadata": { "creationTimestamp": now() },
                "status": { "userInfo": { "username": user.name, "groups": user.groups } }
            });
            Ok(json_response(StatusCode::CREATED, review))
        }
        (_, _) if rt.create_only => Err(ApiError::method_not_supported(rt.plural, verb)),
        ("get", "log") => pod_log(state, user, &target, params).await,
        ("get", _) => {
            let obj = get(state, &target)?;
            if table::wants_table(accept) {
                return Ok(json_response(
                    StatusCode::OK,
                    table::table(rt, &[obj], None, Utc::now(), full_object(params)),
                ));
            }
            Ok(json_response(StatusCode::OK, obj))
        }
        ("list", _) => list(state, &target, params, accept),
        ("watch", _) => watch(state, user, &target, params, accept),
        ("create", "") => {
            let obj = body_of(&body, content_type, rt.kind)?;
            let created = create(state, rt, &target.namespace, obj, dry_run)?;
            Ok(json_response(StatusCode::CREATED, created))
        }
        ("update", sub) => {
            let obj = body_of(&body, content_type, rt.kind)?;
            let name = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if name != target.name {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({name}) does not match the name on the URL ({})",
                    target.name
                )));
            }
            let updated = update(state, &target, sub, obj, dry_run)?;
            Ok(json_response(StatusCode::OK, updated))
        }
        ("patch", sub) => {
            if content_type.starts_with("application/apply-patch") {
                return Err(ApiError::server_side_apply_unsupported());
            }
            let kind = PatchType::from_content_type(content_type)
                .ok_or_else(|| ApiError::unsupported_media_type(content_type))?;
            if kind == PatchType::Strategic && rt.is_custom() {
                return Err(ApiError::unsupported_media_type(content_type));
            }
            let patched = patch_object(state, &target, sub, kind, &body, dry_run)?;
            Ok(json_response(StatusCode::OK, patched))
        }
        ("delete", "") => {
            let options = if body.is_empty() {
                json!({})
            } else {
                parse_body(&body)?
            };
            // kube-rs and kubectl send dryRun in the DeleteOptions body.
            let dry_run = dry_run
                || options
                    .get("dryRun")
                    .and_then(Value::as_array)
                    .is_some_and(|d| d.iter().any(|v| v == "All"));
            let result = delete(state, &target, &options, dry_run)?;
            Ok(json_response(StatusCode::OK, result))
        }
        ("deletecollection", "") => {
            let (items, _) = state.store.list(rt.group, rt.plural, ns_filter(&target));
            let labels =
                LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))?;
            let fields =
                FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))?;
            let mut deleted = Vec::new();
            for item in items
                .iter()
                .filter(|o| labels.matches(o) && fields.matches(o))
            {
                let t = Target {
                    rt,
                    namespace: meta(item, "namespace"),
                    name: meta(item, "name"),
                    subresource: String::new(),
                };
                deleted.push(delete(state, &t, &json!({}), dry_run)?);
            }
            Ok(json_response(
                StatusCode::OK,
                list_body(rt, deleted, state.store.resource_version()),
            ))
        }
        _ => Err(ApiError::method_not_supported(rt.plural, verb)),
    }
}

fn full_object(params: &Params) -> bool {
    params.get("includeObject").is_some_and(|v| v == "Object")
}

fn ns_filter<'a>(t: &'a Target<'_>) -> Option<&'a str> {
    (t.rt.namespaced && !t.namespace.is_empty()).then_some(t.namespace.as_str())
}

fn meta(o: &Value, field: &str) -> String {
    o.pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// A request body as JSON, or as the protobuf kubectl sends for built-in kinds; a body of
/// another kind than the URL's is refused.
fn body_of(body: &Bytes, content_type: &str, kind: &str) -> Result<Value, ApiError> {
    if !content_type.starts_with(protobuf::MEDIA_TYPE) {
        return parse_body(body);
    }
    let obj = protobuf::decode_object(body)?;
    if obj["kind"] != kind {
        return Err(ApiError::bad_request(format!(
            "the body is a {}, not a {kind}",
            obj["kind"].as_str().unwrap_or("?"),
        )));
    }
    Ok(obj)
}

fn parse_body(body: &Bytes) -> Result<Value, ApiError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "the request body is not valid JSON: {e} (the demo cluster accepts JSON only)"
        ))
    })?;
    if !v.is_object() {
        return Err(ApiError::bad_request(
            "the request body must be a JSON object",
        ));
    }
    Ok(v)
}

fn key_of(t: &Target<'_>) -> Key {
    Key::new(t.rt.group, t.rt.plural, &t.namespace, &t.name)
}

fn get(state: &ApiState, t: &Target<'_>) -> Result<Value, ApiError> {
    state
        .store
        .get(&key_of(t))
        .ok_or_else(|| ApiError::not_found(t.rt.group, t.rt.plural, &t.name))
}

fn list_body(rt: &ResourceType, items: Vec<Value>, rv: u64) -> Value {
    json!({
        "kind": format!("{}List", rt.kind),
        "apiVersion": rt.api_version(),
        "metadata": { "resourceVersion": rv.to_string() },
        "items": items,
    })
}

fn list(
    state: &ApiState,
    t: &Target<'_>,
    params: &Params,
    accept: &str,
) -> Result<Response, ApiError> {
    let labels = LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))?;
    let fields = FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))?;
    let (items, rv) = state.store.list(t.rt.group, t.rt.plural, ns_filter(t));
    let items: Vec<Value> = items
        .into_iter()
        .filter(|o| labels.matches(o) && fields.matches(o))
        .collect();
    if table::wants_table(accept) {
        return Ok(json_response(
            StatusCode::OK,
            table::table(
                t.rt,
                &items,
                Some(rv.to_string()),
                Utc::now(),
                full_object(params),
            ),
        ));
    }
    Ok(json_response(StatusCode::OK, list_body(t.rt, items, rv)))
}

fn watch(
    state: &ApiState,
    user: &UserInfo,
    t: &Target<'_>,
    params: &Params,
    accept: &str,
) -> Result<Response, ApiError> {
    // Counted as open until the response body is dropped (the client went away or the
    // watch timed out); refused past the user's share.
    let open = state.activity.long_running(&user.name)?;
    let labels = LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))?;
    let mut fields = FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))?;
    if !t.name.is_empty() {
        fields = FieldSelector::parse(&format!("metadata.name={}", t.name))?;
    }
    let rt = t.rt.clone();
    let ns = ns_filter(t).map(str::to_string);
    let as_table = table::wants_table(accept);
    let full = full_object(params);
    let rv_param = params.get("resourceVersion").cloned().unwrap_or_default();
    let (initial, rx): (Vec<(EventType, Value)>, _) = match rv_param.as_str() {
        "" | "0" => {
            let (objects, _, rx) = state
                .store
                .watch_current(rt.group, rt.plural, ns.as_deref());
            (
                objects.into_iter().map(|o| (EventType::Added, o)).collect(),
                rx,
            )
        }
        rv => {
            let rv: u64 = rv
                .parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resourceVersion \"{rv}\"")))?;
            match state.store.watch_from(rv) {
                Ok((backlog, rx)) => (
                    backlog
                        .iter()
                        .filter(|e| {
                            e.key.group == rt.group
                                && e.key.plural == rt.plural
                                && ns.as_deref().is_none_or(|n| e.key.namespace == n)
                        })
                        .map(|e| (e.type_, e.object.clone()))
                        .collect(),
                    rx,
                ),
                Err(gone) => {
                    let event = json!({ "type": "ERROR", "object": gone.to_status() });
                    let body = Body::from(format!("{event}\n"));
                    return Ok(
                        (StatusCode::OK, [("content-type", "application/json")], body)
                            .into_response(),
                    );
                }
            }
        }
    };
    let timeout = params
        .get("timeoutSeconds")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1800);
    let encode = move |type_: EventType, object: &Value| -> String {
        let object = if as_table {
            table::table(&rt, std::slice::from_ref(object), None, Utc::now(), full)
        } else {
            object.clone()
        };
        format!("{}\n", json!({ "type": type_.as_str(), "object": object }))
    };
    let encode_live = encode.clone();
    let rt_live = t.rt.clone();
    let initial_lines: Vec<Result<Bytes, Infallible>> = initial
        .iter()
        .filter(|(_, o)| labels.matches(o) && fields.matches(o))
        .map(|(type_, o)| Ok(Bytes::from(encode(*type_, o))))
        .collect();
    let labels = Arc::new(labels);
    let fields = Arc::new(fields);
    let live = BroadcastStream::new(rx)
        .take_while(|r| futures::future::ready(r.is_ok()))
        .filter_map(move |r| {
            let line = r.ok().and_then(|e| {
                let relevant = e.key.group == rt_live.group
                    && e.key.plural == rt_live.plural
                    && ns.as_deref().is_none_or(|n| e.key.namespace == n)
                    && labels.matches(&e.object)
                    && fields.matches(&e.object);
                relevant.then(|| encode_live(e.type_, &e.object))
            });
            futures::future::ready(line.map(|l| Ok::<Bytes, Infallible>(Bytes::from(l))))
        });
    let stream = futures::stream::iter(initial_lines)
        .chain(live)
        .take_until(tokio::time::sleep(Duration::from_secs(timeout)))
        .map(move |line| {
            let _open = &open;
            line
        });
    Ok((
        StatusCode::OK,
        [("content-type", "application/json")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Fills server-set metadata and checks the name.
pub(crate) fn prepare_create(
    rt: &ResourceType,
    namespace: &str,
    obj: &mut Value,
) -> Result<(), ApiError> {
    obj["apiVersion"] = json!(rt.api_version());
    obj["kind"] = json!(rt.kind);
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    let m = &mut obj["metadata"];
    if m.get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
        && let Some(prefix) = m.get("generateName").and_then(Value::as_str)
    {
        let suffix: String = (0..5)
            .map(|_| (b'a' + rand::random::<u8>() % 26) as char)
            .collect();
        m["name"] = json!(format!("{prefix}{suffix}"));
    }
    if rt.namespaced {
        let given = m.get("namespace").and_then(Value::as_str).unwrap_or("");
        if !given.is_empty() && given != namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        m["namespace"] = json!(namespace);
    } else if let Some(map) = m.as_object_mut() {
        map.remove("namespace");
    }
    if let Some(map) = m.as_object_mut() {
        for k in [
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "generation",
            "managedFields",
            "selfLink",
        ] {
            map.remove(k);
        }
    }
    m["uid"] = json!(uuid::Uuid::new_v4().to_string());
    m["creationTimestamp"] = json!(now());
    if rt.generation {
        m["generation"] = json!(1);
    }
    Ok(())
}

/// What the built-in types' defaulting and Go serialization do: empty maps are omitted,
/// namespaces get their finalizer and phase, secrets turn `stringData` into base64 `data`
/// and default to `Opaque`.
fn builtin_defaults(rt: &ResourceType, obj: &mut Value) {
    if rt.is_custom() {
        return;
    }
    for field in ["labels", "annotations"] {
        if obj["metadata"]
            .get(field)
            .is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty()) || v.is_null())
        {
            obj["metadata"].as_object_mut().map(|m| m.remove(field));
        }
    }
    match (rt.group, rt.plural) {
        ("", "namespaces") => {
            if obj.pointer("/spec/finalizers").is_none() {
                obj["spec"]["finalizers"] = json!(["kubernetes"]);
            }
            if obj.pointer("/status/phase").is_none() {
                obj["status"]["phase"] = json!("Active");
            }
        }
        // The volume controller makes it Available (or binds it).
        ("", "persistentvolumes") if obj.pointer("/status/phase").is_none() => {
            obj["status"]["phase"] = json!("Pending");
        }
        ("", "secrets") => {
            use base64::Engine;
            if let Some(Value::Object(string_data)) =
                obj.as_object_mut().and_then(|m| m.remove("stringData"))
            {
                for (k, v) in string_data {
                    let encoded = base64::engine::general_purpose::STANDARD
                        .encode(v.as_str().unwrap_or_default());
                    obj["data"][k] = json!(encoded);
                }
            }
            if obj
                .get("type")
                .is_none_or(|t| t.as_str().unwrap_or("").is_empty())
            {
                obj["type"] = json!("Opaque");
            }
        }
        _ => {}
    }
    for field in ["data", "binaryData"] {
        if matches!(rt.plural, "configmaps" | "secrets")
            && obj
                .get(field)
                .is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty()) || v.is_null())
        {
            obj.as_object_mut().map(|m| m.remove(field));
        }
    }
}

fn create(
    state: &ApiState,
    rt: &ResourceType,
    namespace: &str,
    mut obj: Value,
    dry_run: bool,
) -> Result<Value, ApiError> {
    if rt.namespaced && namespace.is_empty() {
        return Err(ApiError::bad_request(
            "a namespaced object must be created in a namespace",
        ));
    }
    decode::check(rt, &obj)?;
    prepare_create(rt, namespace, &mut obj)?;
    if rt.status_subresource
        && rt.is_custom()
        && let Some(map) = obj.as_object_mut()
    {
        map.remove("status");
    }
    builtin_defaults(rt, &mut obj);
    route_host_default(rt, &mut obj);
    validation::admit(rt, &mut obj, None)?;
    let name = meta(&obj, "name");
    let key = Key::new(rt.group, rt.plural, namespace, &name);
    state.store.write(|txn| {
        if rt.namespaced
            && txn
                .get(&Key::new("", "namespaces", "", namespace))
                .is_none()
        {
            return Err(ApiError::not_found("", "namespaces", namespace));
        }
        if txn.get(&key).is_some() {
            return Err(ApiError::already_exists(rt.group, rt.plural, &name));
        }
        if dry_run {
            return Ok(obj);
        }
        Ok(txn.put(key.clone(), obj))
    })
}

/// What OpenShift's route admission does on create: an empty `spec.host` becomes
/// `NAME-NAMESPACE.` the apps domain, so `oc get route default-route --template
/// '{{ .spec.host }}'` (the guide's 6.1) prints the host.
fn route_host_default(rt: &ResourceType, obj: &mut Value) {
    let empty = obj
        .pointer("/spec/host")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    if (rt.group, rt.plural) == ("route.openshift.io", "routes") && empty {
        let host = format!(
            "{}-{}.{}",
            meta(obj, "name"),
            meta(obj, "namespace"),
            crate::operator::APPS_DOMAIN
        );
        obj["spec"]["host"] = json!(host);
    }
}

/// The part of an object that bumps `generation` when it changes.
fn spec_part(o: &Value) -> Value {
    let mut copy = o.clone();
    if let Some(m) = copy.as_object_mut() {
        m.remove("metadata");
        m.remove("status");
    }
    copy
}

/// Turns a requested new state into what gets stored, as kube-apiserver's update strategy
/// does; `None` when nothing changes.
fn merge_update(
    rt: &ResourceType,
    current: &Value,
    mut new: Value,
    subresource: &str,
) -> Result<Option<Value>, ApiError> {
    decode::check(rt, &new)?;
    if subresource == "status" {
        let mut result = current.clone();
        result["status"] = new.get("status").cloned().unwrap_or(Value::Null);
        if result["status"].is_null()
            && let Some(m) = result.as_object_mut()
        {
            m.remove("status");
        }
        new = result;
    } else if rt.status_subresource {
        match current.get("status") {
            Some(s) => new["status"] = s.clone(),
            None => {
                if let Some(m) = new.as_object_mut() {
                    m.remove("status");
                }
            }
        }
    }
    new["apiVersion"] = json!(rt.api_version());
    new["kind"] = json!(rt.kind);
    if !new.get("metadata").is_some_and(Value::is_object) {
        new["metadata"] = json!({});
    }
    for k in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "namespace",
        "name",
        "generation",
        "resourceVersion",
    ] {
        match current["metadata"].get(k) {
            Some(v) => new["metadata"][k] = v.clone(),
            None => {
                if let Some(m) = new["metadata"].as_object_mut() {
                    m.remove(k);
                }
            }
        }
    }
    if let Some(m) = new["metadata"].as_object_mut() {
        m.remove("managedFields");
        m.remove("selfLink");
    }
    builtin_defaults(rt, &mut new);
    validation::admit(rt, &mut new, Some(current))?;
    if rt.generation && spec_part(&new) != spec_part(current) {
        let g = current
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        new["metadata"]["generation"] = json!(g + 1);
    }
    Ok((new != *current).then_some(new))
}

/// Stores an update (or finishes a deletion whose finalizers are gone).
fn commit_update(txn: &mut Txn<'_>, key: Key, new: Value) -> Value {
    let finalizers_left = new
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| !f.is_empty());
    if new.pointer("/metadata/deletionTimestamp").is_some() && !finalizers_left {
        cascade_delete(txn, &key);
        return new;
    }
    txn.put(key, new)
}

/// The stored object a request names, or 404.
fn stored(txn: &Txn<'_>, key: &Key, t: &Target<'_>) -> Result<Value, ApiError> {
    txn.get(key)
        .cloned()
        .ok_or_else(|| ApiError::not_found(t.rt.group, t.rt.plural, &t.name))
}

fn update(
    state: &ApiState,
    t: &Target<'_>,
    sub: &str,
    new: Value,
    dry_run: bool,
) -> Result<Value, ApiError> {
    let key = key_of(t);
    let rt = t.rt;
    state.store.write(|txn| {
        let current = stored(txn, &key, t)?;
        let given_rv = new
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        if given_rv.is_empty() && !rt.unconditional_update {
            return Err(ApiError::invalid(
                rt.group,
                rt.kind,
                &t.name,
                vec![Cause {
                    reason: "FieldValueInvalid",
                    message: "Invalid value: 0x0: must be specified for an update".into(),
                    field: "metadata.resourceVersion".into(),
                }],
            ));
        }
        if !given_rv.is_empty() && given_rv != meta(&current, "resourceVersion") {
            return Err(ApiError::conflict(rt.group, rt.plural, &t.name));
        }
        match merge_update(rt, &current, new, sub)? {
            None => Ok(current),
            Some(next) if dry_run => Ok(next),
            Some(next) => Ok(commit_update(txn, key.clone(), next)),
        }
    })
}

fn patch_object(
    state: &ApiState,
    t: &Target<'_>,
    sub: &str,
    kind: PatchType,
    body: &[u8],
    dry_run: bool,
) -> Result<Value, ApiError> {
    let key = key_of(t);
    let rt = t.rt;
    state.store.write(|txn| {
        let current = stored(txn, &key, t)?;
        let patched = patch::apply(kind, &current, body)?;
        let rv = patched
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !rv.is_empty() && rv != meta(&current, "resourceVersion") {
            return Err(ApiError::conflict(rt.group, rt.plural, &t.name));
        }
        if meta(&patched, "name") != t.name {
            return Err(ApiError::bad_request(
                "metadata.name cannot be changed by a patch",
            ));
        }
        // A patch whose result does not decode is an invalid patch, as kube-apiserver says.
        if let Err(error) = decode::check(rt, &patched) {
            let cause = Cause {
                reason: "FieldValueInvalid",
                message: format!(
                    "Invalid value: \"{}\": {}",
                    String::from_utf8_lossy(body),
                    error.message
                ),
                field: "patch".into(),
            };
            // Its Status names no object, only the cause.
            let mut invalid = ApiError::invalid(rt.group, rt.kind, &t.name, vec![cause]);
            if let Some(details) = invalid.details.as_mut().and_then(Value::as_object_mut) {
                details.retain(|key, _| key == "causes");
            }
            return Err(invalid);
        }
        match merge_update(rt, &current, patched, sub)? {
            None => Ok(current),
            Some(next) if dry_run => Ok(next),
            Some(next) => Ok(commit_update(txn, key.clone(), next)),
        }
    })
}

/// Deletes an object, what it owns, and (for a namespace) everything in it.
fn cascade_delete(txn: &mut Txn<'_>, key: &Key) {
    let Some(old) = txn.delete(key) else { return };
    if key.plural == "namespaces" && key.group.is_empty() {
        for k in txn.keys_in_namespace(&key.name) {
            cascade_delete(txn, &k);
        }
    }
    let uid = meta(&old, "uid");
    for k in txn.owned_by(&uid) {
        cascade_delete(txn, &k);
    }
}

fn delete(
    state: &ApiState,
    t: &Target<'_>,
    options: &Value,
    dry_run: bool,
) -> Result<Value, ApiError> {
    let key = key_of(t);
    let rt = t.rt;
    state.store.write(|txn| {
        let current = stored(txn, &key, t)?;
        let pre_rv = options
            .pointer("/preconditions/resourceVersion")
            .and_then(Value::as_str);
        let pre_uid = options
            .pointer("/preconditions/uid")
            .and_then(Value::as_str);
        if pre_rv.is_some_and(|rv| rv != meta(&current, "resourceVersion"))
            || pre_uid.is_some_and(|u| u != meta(&current, "uid"))
        {
            return Err(ApiError::conflict(rt.group, rt.plural, &t.name));
        }
        let has_finalizers = current
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if has_finalizers {
            if current.pointer("/metadata/deletionTimestamp").is_some() || dry_run {
                return Ok(current);
            }
            let mut marked = current.clone();
            marked["metadata"]["deletionTimestamp"] = json!(now());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            return Ok(txn.put(key.clone(), marked));
        }
        if !dry_run {
            cascade_delete(txn, &key);
        }
        Ok(deleted_status(
            rt.group,
            rt.plural,
            &t.name,
            &meta(&current, "uid"),
        ))
    })
}

/// `pods/NAME[:PORT]/proxy/PATH`: what kube-apiserver forwards to a pod, here to the
/// registry process standing for it (port 5000 its API, 5001 its debug address with
/// `/metrics`), which is how the console scrapes a registry pod through the API.
#[allow(clippy::too_many_arguments)]
async fn pod_proxy(
    state: &ApiState,
    user: &UserInfo,
    method: &Method,
    (namespace, pod): (&str, &str),
    rest: &[&str],
    params: &Params,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    // `NAME`, `NAME:PORT` or `SCHEME:NAME:PORT`.
    let parts: Vec<&str> = pod.split(':').collect();
    let (name, port) = match parts.as_slice() {
        [name] => (*name, "5000"),
        [name, port] => (*name, *port),
        [_, name, port] => (*name, *port),
        _ => return Err(ApiError::bad_request(format!("invalid pod name {pod:?}"))),
    };
    state.authorizer.check(
        user,
        &Attributes {
            verb: auth::verb_for(method, true, false).into(),
            group: String::new(),
            resource: "pods".into(),
            subresource: "proxy".into(),
            namespace: namespace.into(),
            name: name.into(),
            path: None,
        },
    )?;
    if state
        .store
        .get(&Key::new("", "pods", namespace, name))
        .is_none()
    {
        return Err(ApiError::not_found("", "pods", name));
    }
    let endpoint = state.registries.endpoint(namespace, name).ok_or_else(|| {
        ApiError::service_unavailable(format!(
            "error trying to reach pod {name}: nothing listens in it (in the demo cluster only the registry's pods run a process)"
        ))
    })?;
    let to = match port {
        "5000" => endpoint.http,
        "5001" => endpoint.debug,
        other => {
            return Err(ApiError::service_unavailable(format!(
                "error trying to reach pod {name} on port {other}: connection refused (the registry listens on 5000, its metrics on 5001)"
            )));
        }
    };
    let mut path = format!("/{}", rest.join("/"));
    if !params.is_empty() {
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        path = format!("{path}?{}", query.join("&"));
    }
    let mut request = axum::extract::Request::builder()
        .method(method.clone())
        .uri(path)
        .body(Body::from(body))
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    for (k, v) in headers {
        request.headers_mut().insert(k.clone(), v.clone());
    }
    state
        .registries
        .forward(to, request, &["authorization", "host"])
        .await
        .map_err(ApiError::service_unavailable)
}

async fn pod_log(
    state: &ApiState,
    user: &UserInfo,
    t: &Target<'_>,
    params: &Params,
) -> Result<Response, ApiError> {
    // A log of a pod that does not exist is a 404, as in a cluster.
    get(state, t)?;
    let tail = params
        .get("tailLines")
        .and_then(|s| s.parse::<usize>().ok());
    let follow = params
        .get("follow")
        .is_some_and(|f| f == "true" || f == "1");
    let (text, rx) = state.logs.read(&t.namespace, &t.name, tail);
    if !follow {
        return Ok((StatusCode::OK, [("content-type", "text/plain")], text).into_response());
    }
    // A follow is held open like a watch, and bounded with the user's watches.
    let open = state.activity.long_running(&user.name)?;
    let (ns, name) = (t.namespace.clone(), t.name.clone());
    let live = BroadcastStream::new(rx).filter_map(move |r| {
        let line = r
            .ok()
            .filter(|l| l.namespace == ns && l.pod == name)
            .map(|l| Ok::<Bytes, Infallible>(Bytes::from(l.line.clone())));
        futures::future::ready(line)
    });
    let stream = futures::stream::once(futures::future::ready(Ok::<Bytes, Infallible>(
        Bytes::from(text),
    )))
    .chain(live)
    .map(move |line| {
        let _open = &open;
        line
    });
    Ok((
        StatusCode::OK,
        [("content-type", "text/plain")],
        Body::from_stream(stream),
    )
        .into_response())
}
