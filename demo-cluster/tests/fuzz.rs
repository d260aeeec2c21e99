//! Bodies nobody would send, sent anyway: random JSON (a fixed seed, so a failure repeats)
//! as creates, merge patches, JSON patches and replaces of built-in and custom objects.
//! Every one must get an HTTP answer below 500: a handler that panics drops the
//! connection instead, which is what this catches. Bounded: 2,000 requests, a few seconds.
//! `FUZZ_SEED=N` runs another sequence.

mod common;

use common::TestCluster;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

/// Requests per run; each is one round trip on loopback.
const CASES: usize = 2_000;

/// A random JSON value, at most `depth` levels deep, with the keys objects tend to have
/// so that the handlers look inside.
fn value(rng: &mut StdRng, depth: u32) -> Value {
    const KEYS: [&str; 14] = [
        "metadata",
        "name",
        "namespace",
        "labels",
        "spec",
        "data",
        "stringData",
        "status",
        "finalizers",
        "resourceVersion",
        "containers",
        "storage",
        "replicas",
        "type",
    ];
    let leaf = depth == 0 || rng.random_bool(0.4);
    match rng.random_range(0..if leaf { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.random_bool(0.5)),
        2 => json!(rng.random_range(-5i64..1_000_000)),
        3 => json!(rng.random_range(-1e9..1e9)),
        4 => json!(["x", "v1", "", "cluster", "default", "ü", "\u{0}"][rng.random_range(0..7)]),
        5 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.random_range(0..5) {
                let key = KEYS[rng.random_range(0..KEYS.len())];
                map.insert(key.into(), value(rng, depth - 1));
            }
            Value::Object(map)
        }
    }
}

/// An object of `kind` named `name`, with random parts in it.
fn object(rng: &mut StdRng, api_version: &str, kind: &str, name: &str) -> Value {
    let mut body = value(rng, 4);
    if rng.random_bool(0.8) {
        if !body.is_object() {
            body = json!({});
        }
        body["apiVersion"] = json!(api_version);
        body["kind"] = json!(kind);
        if !body.get("metadata").is_some_and(Value::is_object) {
            body["metadata"] = json!({});
        }
        body["metadata"]["name"] = json!(name);
    }
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn no_body_makes_a_handler_fail_or_drop_the_connection() {
    let tc = TestCluster::start(false).await;
    let client = tc.admin().await;
    // (collection, apiVersion, kind, an object that exists)
    let targets = [
        (
            "/api/v1/namespaces/default/configmaps",
            "v1",
            "ConfigMap",
            "fuzzed",
        ),
        (
            "/api/v1/namespaces/default/secrets",
            "v1",
            "Secret",
            "fuzzed",
        ),
        ("/api/v1/namespaces", "v1", "Namespace", "fuzzed"),
        ("/api/v1/namespaces/default/pods", "v1", "Pod", "fuzzed"),
        (
            "/apis/imageregistry.operator.openshift.io/v1/configs",
            "imageregistry.operator.openshift.io/v1",
            "Config",
            "cluster",
        ),
        (
            "/apis/imageregistry.operator.openshift.io/v1/imagepruners",
            "imageregistry.operator.openshift.io/v1",
            "ImagePruner",
            "cluster",
        ),
    ];
    for (collection, api_version, kind, name) in targets {
        if name == "fuzzed" {
            let body = json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": name},
                "spec": {"containers": [{"name": "c", "image": "busybox"}]}});
            send(&client, "POST", collection, "application/json", &body).await;
        }
    }
    let seed = seed(0x5eed_f022);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for case in 0..CASES {
        let (collection, api_version, kind, name) = targets[rng.random_range(0..targets.len())];
        let named = format!("{collection}/{name}");
        let (method, path, content_type, body) = match rng.random_range(0..4) {
            0 => (
                "POST",
                collection.to_owned(),
                "application/json",
                object(&mut rng, api_version, kind, &format!("f{case}")),
            ),
            1 => (
                "PATCH",
                named,
                "application/merge-patch+json",
                value(&mut rng, 4),
            ),
            2 => {
                let ops = ["add", "remove", "replace", "move", "copy", "test", "bogus"];
                let paths = [
                    "/data",
                    "/data/k",
                    "/spec",
                    "/metadata/labels/a",
                    "",
                    "/",
                    "/spec/0",
                    "/~2",
                ];
                let patch: Vec<Value> = (0..rng.random_range(0..4))
                    .map(|_| {
                        json!({
                            "op": ops[rng.random_range(0..ops.len())],
                            "path": paths[rng.random_range(0..paths.len())],
                            "from": paths[rng.random_range(0..paths.len())],
                            "value": value(&mut rng, 2),
                        })
                    })
                    .collect();
                (
                    "PATCH",
                    named,
                    "application/json-patch+json",
                    Value::Array(patch),
                )
            }
            _ => (
                "PUT",
                named,
                "application/json",
                object(&mut rng, api_version, kind, name),
            ),
        };
        let code = send(&client, method, &path, content_type, &body).await;
        assert!(
            code < 500,
            "seed {seed} case {case}: {method} {path} ({content_type}) answered {code}: {body}"
        );
        *answers.entry(code).or_default() += 1;
    }
    // The fuzz reached the handlers, not only a front door that refuses everything.
    assert!(answers.keys().any(|code| *code < 300), "{answers:?}");
    assert!(
        answers.keys().any(|code| (400..500).contains(code)),
        "{answers:?}"
    );
}

/// Sends one request; the status code, or a failed assertion when no answer came.
async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: &Value,
) -> u16 {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::CONTENT_TYPE, content_type)
        .header(http::header::ACCEPT, "application/json")
        .body(kube::client::Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    match client.send(request).await {
        Ok(response) => response.status().as_u16(),
        Err(error) => panic!("{method} {path}: no answer ({error}): {body}"),
    }
}

/// `FUZZ_SEED`, else the test's own fixed seed, so a failure repeats.
fn seed(fixed: u64) -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(fixed)
}

/// A pick from `choices`.
fn pick<'a>(rng: &mut StdRng, choices: &[&'a str]) -> &'a str {
    choices[rng.random_range(0..choices.len())]
}

/// Reads nobody would make, made anyway: random paths (collections, objects, logs, the pod
/// proxy, discovery, junk), queries (selectors, versions, limits, continues, watches,
/// follows, timeouts, dry runs, table options) and headers (Accept, impersonation), as
/// GET, HEAD, OPTIONS and DELETE. Every one gets an answer, and none a 5xx but the pod
/// proxy's 503 for a pod that serves nothing (kube-apiserver's answer too). Streams
/// (watches, log follows) answer with their headers at once; the test reads only the
/// status and drops the rest, which ends them. Bounded: 1,500 requests.
#[tokio::test(flavor = "multi_thread")]
async fn no_query_or_header_makes_a_handler_fail_or_drop_the_connection() {
    let tc = TestCluster::start(true).await;
    // Its answers as they come: a retried 503 would stall the run for minutes.
    let client = tc.no_retry(demo_cluster::DemoUser::Admin).await;
    let pods = kube::Api::<k8s_openapi::api::core::v1::Pod>::namespaced(
        client.clone(),
        "openshift-image-registry",
    );
    let listed = pods.list(&Default::default()).await.unwrap().items;
    let pod = listed
        .first()
        .and_then(|p| p.metadata.name.clone())
        .unwrap_or_else(|| "absent".to_owned());
    let registry = "/api/v1/namespaces/openshift-image-registry";
    let paths = [
        "/api/v1/namespaces/default/configmaps".to_owned(),
        "/api/v1/namespaces/default/configmaps/kube-root-ca.crt".to_owned(),
        "/api/v1/configmaps".to_owned(),
        format!("{registry}/pods"),
        format!("{registry}/pods/{pod}"),
        format!("{registry}/pods/{pod}/log"),
        format!("{registry}/pods/{pod}/proxy"),
        format!("{registry}/pods/{pod}/proxy/metrics"),
        format!("{registry}/pods/absent/log"),
        format!("{registry}/events"),
        format!("{registry}/secrets"),
        "/api/v1/namespaces".to_owned(),
        "/api/v1/nodes".to_owned(),
        "/apis/imageregistry.operator.openshift.io/v1/configs".to_owned(),
        "/apis/imageregistry.operator.openshift.io/v1/configs/cluster".to_owned(),
        "/apis/imageregistry.operator.openshift.io/v1/configs/cluster/status".to_owned(),
        "/apis/config.openshift.io/v1/clusteroperators/image-registry".to_owned(),
        "/apis/apps/v1/namespaces/openshift-image-registry/deployments".to_owned(),
        "/apis/batch/v1/cronjobs".to_owned(),
        "/apis/rbac.authorization.k8s.io/v1/clusterroles".to_owned(),
        "/api".to_owned(),
        "/apis".to_owned(),
        "/apis/imageregistry.operator.openshift.io".to_owned(),
        "/version".to_owned(),
        "/openapi/v2".to_owned(),
        "/healthz".to_owned(),
        "/api/v1/namespaces/%ff/configmaps".to_owned(),
        "/apis/nope/v9/things".to_owned(),
        "/api/v1/namespaces/default/configmaps/a/b/c".to_owned(),
    ];
    let keys = [
        "labelSelector",
        "fieldSelector",
        "resourceVersion",
        "resourceVersionMatch",
        "limit",
        "continue",
        "watch",
        "allowWatchBookmarks",
        "timeoutSeconds",
        "follow",
        "tailLines",
        "limitBytes",
        "sinceSeconds",
        "container",
        "previous",
        "timestamps",
        "dryRun",
        "propagationPolicy",
        "includeObject",
        "pretty",
        "sendInitialEvents",
    ];
    let values = [
        "",
        "0",
        "1",
        "-1",
        "99999999999999999999",
        "abc",
        "true",
        "false",
        "All",
        "Exact",
        "NotOlderThan",
        "a=b",
        "a in (x,y)",
        "!a",
        "a,,b",
        "(((",
        "metadata.name=cluster",
        "metadata.name!=x,status.phase=Running",
        "involvedObject.kind=Config",
        "spec.nothing==1",
        "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
        "%00",
        "ü",
        "Object",
        "Foreground",
        "registry",
    ];
    let accepts = [
        "application/json",
        "application/yaml",
        "application/vnd.kubernetes.protobuf",
        "application/json;as=Table;v=v1;g=meta.k8s.io",
        "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
        "application/json;as=Nothing;v=v9;g=x",
        "*/*",
        "text/html",
        ";;;",
    ];
    let users = [
        "admin",
        "viewer",
        "nobody",
        "system:serviceaccount:default:default",
        "",
    ];
    let seed = seed(0x5eed_0a11);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for case in 0..1_500 {
        let path = &paths[rng.random_range(0..paths.len())];
        let query: Vec<String> = (0..rng.random_range(0..4))
            .map(|_| {
                let value = pick(&mut rng, &values);
                let value: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
                format!("{}={value}", pick(&mut rng, &keys))
            })
            .collect();
        // Deletes are rarer: they change what later cases find.
        let method = match rng.random_range(0..20) {
            0 => "DELETE",
            1 => "HEAD",
            2 => "OPTIONS",
            _ => "GET",
        };
        let uri = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", query.join("&"))
        };
        let accept = pick(&mut rng, &accepts);
        let mut request = http::Request::builder()
            .method(method)
            .uri(&uri)
            .header(http::header::ACCEPT, accept);
        let mut headers = format!("Accept: {accept}");
        if rng.random_bool(0.2) {
            let user = pick(&mut rng, &users);
            request = request.header("Impersonate-User", user);
            headers.push_str(&format!(", Impersonate-User: {user}"));
            // Groups without a user (an empty one included) are kube-apiserver's own 500;
            // the demo copies it (conformance).
            if !user.is_empty() && rng.random_bool(0.5) {
                let group = pick(&mut rng, &["system:masters", "system:authenticated", "x"]);
                request = request.header("Impersonate-Group", group);
                headers.push_str(&format!(", Impersonate-Group: {group}"));
            }
        }
        let request = request.body(kube::client::Body::empty()).unwrap();
        let sent = tokio::time::timeout(std::time::Duration::from_secs(10), client.send(request));
        let code = match sent.await {
            Ok(Ok(response)) => response.status().as_u16(),
            Ok(Err(error)) => {
                panic!("seed {seed} case {case}: {method} {uri}: no answer ({error})")
            }
            Err(_) => panic!("seed {seed} case {case}: {method} {uri}: no answer in 10 s"),
        };
        let proxy_unavailable = code == 503 && uri.contains("/proxy");
        assert!(
            code < 500 || proxy_unavailable,
            "seed {seed} case {case}: {method} {uri} ({headers}) answered {code}"
        );
        *answers.entry(code).or_default() += 1;
    }
    assert!(answers.keys().any(|code| *code < 300), "{answers:?}");
    assert!(
        answers.keys().any(|code| (400..500).contains(code)),
        "{answers:?}"
    );
}
