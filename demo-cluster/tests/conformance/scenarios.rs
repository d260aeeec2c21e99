//! The scenarios: each returns a normalized observation of what the server did.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, WatchEvent};
use kube::core::Request;
use kube::core::params::{DeleteParams, GetParams, ListParams, PostParams, WatchParams};
use serde_json::{Value, json};

use super::target::{Obs, Resp, Target, rv_relation};

pub const CONFIGS: &str = "/apis/imageregistry.operator.openshift.io/v1/configs";
pub const PRUNERS: &str = "/apis/imageregistry.operator.openshift.io/v1/imagepruners";
pub const IMAGES: &str = "/apis/config.openshift.io/v1/images";
pub const CLUSTEROPERATORS: &str = "/apis/config.openshift.io/v1/clusteroperators";
const NAMESPACES: &str = "/api/v1/namespaces";
const ROUTES_NS: &str = "conformance-routes";

pub const MERGE: &str = "application/merge-patch+json";
pub const JSON_PATCH: &str = "application/json-patch+json";
pub const STRATEGIC: &str = "application/strategic-merge-patch+json";

/// Every scenario, in the order they run.
pub async fn run_all(t: &Target) -> Vec<(&'static str, Value)> {
    vec![
        ("core_configmaps", core_configmaps(t).await),
        ("dry_run", dry_run(t).await),
        ("custom_resources", custom_resources(t).await),
        ("watch", watch(t).await),
        ("auth", auth(t).await),
        ("events", events(t).await),
    ]
}

fn body(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn cms(ns: &str) -> String {
    format!("{NAMESPACES}/{ns}/configmaps")
}

fn configmap(ns: &str, name: &str, labels: Value, data: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "data": data,
    })
}

fn registry_config(name: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": {"name": name},
        "spec": spec,
    })
}

fn with_dry_run(uri: String, dry_run: bool) -> String {
    if dry_run {
        format!("{uri}?dryRun=All")
    } else {
        uri
    }
}

/// A raw request (for patch types and bodies kube's builders do not produce).
fn raw(method: &str, uri: &str, content_type: &str, data: Vec<u8>) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method(method)
        .uri(uri)
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::CONTENT_TYPE, content_type)
        .body(data)
        .unwrap()
}

fn patch(
    collection: &str,
    name: &str,
    content_type: &str,
    patch: &Value,
    dry_run: bool,
) -> http::Request<Vec<u8>> {
    raw(
        "PATCH",
        &with_dry_run(format!("{collection}/{name}"), dry_run),
        content_type,
        body(patch),
    )
}

impl Target {
    async fn create(&self, collection: &str, object: &Value) -> Resp {
        self.create_as(&self.admin, collection, object, false).await
    }

    async fn create_as(
        &self,
        client: &kube::Client,
        collection: &str,
        object: &Value,
        dry_run: bool,
    ) -> Resp {
        let pp = PostParams {
            dry_run,
            ..PostParams::default()
        };
        self.send(
            client,
            Request::new(collection).create(&pp, body(object)).unwrap(),
        )
        .await
    }

    async fn get(&self, collection: &str, name: &str) -> Resp {
        self.get_as(&self.admin, collection, name).await
    }

    async fn get_as(&self, client: &kube::Client, collection: &str, name: &str) -> Resp {
        self.send(
            client,
            Request::new(collection)
                .get(name, &GetParams::default())
                .unwrap(),
        )
        .await
    }

    async fn list(&self, collection: &str, lp: &ListParams) -> Resp {
        self.send(&self.admin, Request::new(collection).list(lp).unwrap())
            .await
    }

    async fn replace(&self, collection: &str, name: &str, object: &Value, dry_run: bool) -> Resp {
        let pp = PostParams {
            dry_run,
            ..PostParams::default()
        };
        self.send(
            &self.admin,
            Request::new(collection)
                .replace(name, &pp, body(object))
                .unwrap(),
        )
        .await
    }

    async fn delete(
        &self,
        client: &kube::Client,
        collection: &str,
        name: &str,
        dry_run: bool,
    ) -> Resp {
        let dp = DeleteParams {
            dry_run,
            ..DeleteParams::default()
        };
        self.send(client, Request::new(collection).delete(name, &dp).unwrap())
            .await
    }

    async fn patch(&self, collection: &str, name: &str, content_type: &str, p: &Value) -> Resp {
        self.send(&self.admin, patch(collection, name, content_type, p, false))
            .await
    }

    /// A patch of the config `conformance` that the custom-resource scenario creates.
    async fn patch_conformance(&self, content_type: &str, p: Value) -> Resp {
        self.patch(CONFIGS, "conformance", content_type, &p).await
    }

    async fn create_namespace(&self, ns: &str) -> Resp {
        self.create(
            NAMESPACES,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .await
    }
}

/// (a) ConfigMaps in a fresh namespace: CRUD, selectors, errors, patches.
pub async fn core_configmaps(t: &Target) -> Value {
    let mut o = Obs::default();
    let ns = "conformance-core";
    let c = cms(ns);
    o.add("create namespace", t.create_namespace(ns).await.obs());
    o.add(
        "create first",
        t.create(
            &c,
            &configmap(ns, "first", json!({"a": "x"}), json!({"k": "v"})),
        )
        .await
        .obs(),
    );
    for (name, labels) in [
        ("second", json!({"a": "y"})),
        ("third", json!({"a": "b"})),
        ("fourth", json!({"other": "z"})),
    ] {
        let r = t.create(&c, &configmap(ns, name, labels, json!({}))).await;
        o.add(&format!("create {name}"), r.code_obs());
    }
    o.add("get first", t.get(&c, "first").await.obs());
    let typed: Api<ConfigMap> = Api::namespaced(t.admin.clone(), ns);
    o.add(
        "typed kube-rs get first",
        match typed.get("first").await {
            Ok(cm) => {
                json!({"name": cm.metadata.name, "labels": cm.metadata.labels, "data": cm.data})
            }
            Err(e) => json!({"error": e.to_string()}),
        },
    );
    o.add(
        "list all",
        t.list(&c, &ListParams::default()).await.list_obs(),
    );
    for selector in [
        "a=b",
        "a!=b",
        "a in (x,y)",
        "a notin (x,y)",
        "!a",
        "a",
        "a=x,other",
    ] {
        let r = t.list(&c, &ListParams::default().labels(selector)).await;
        o.add(&format!("list labelSelector {selector}"), r.list_obs());
    }
    for selector in [
        "metadata.name=second",
        "metadata.name!=second",
        "metadata.namespace=conformance-core",
    ] {
        let r = t.list(&c, &ListParams::default().fields(selector)).await;
        o.add(&format!("list fieldSelector {selector}"), r.list_obs());
    }
    let r = t
        .list(
            &c,
            &ListParams::default()
                .labels("a in (x,y)")
                .fields("metadata.name=first"),
        )
        .await;
    o.add("list labelSelector and fieldSelector", r.list_obs());
    let r = t
        .list(
            &format!("{NAMESPACES}/conformance-nowhere/configmaps"),
            &ListParams::default(),
        )
        .await;
    o.add("list in a missing namespace", r.list_obs());

    o.add("get missing", t.get(&c, "missing").await.obs());
    o.add(
        "create duplicate",
        t.create(&c, &configmap(ns, "first", json!({}), json!({})))
            .await
            .obs(),
    );
    let r = t
        .create(
            &format!("{NAMESPACES}/conformance-nowhere/configmaps"),
            &configmap("conformance-nowhere", "x", json!({}), json!({})),
        )
        .await;
    o.add("create in a missing namespace", r.obs());

    // Optimistic concurrency.
    let before = t.get(&c, "first").await;
    let rv0 = before.resource_version();
    let mut object = before.body.clone();
    object["data"]["k"] = json!("v2");
    let updated = t.replace(&c, "first", &object, false).await;
    o.add("replace", updated.obs());
    o.add(
        "replace: resourceVersion",
        rv_relation(rv0.as_deref(), updated.resource_version().as_deref()),
    );
    object["data"]["k"] = json!("stale");
    o.add(
        "replace with a stale resourceVersion",
        t.replace(&c, "first", &object, false).await.obs(),
    );
    object["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("resourceVersion");
    object["data"]["k"] = json!("unconditional");
    let r = t.replace(&c, "first", &object, false).await;
    o.add(
        "replace without resourceVersion",
        json!({"code": r.code, "data": r.body["data"]}),
    );
    let mut other = object.clone();
    other["metadata"]["name"] = json!("other");
    o.add(
        "replace with another name in the body",
        t.replace(&c, "first", &other, false).await.obs(),
    );
    let ghost = configmap(ns, "ghost", json!({}), json!({}));
    o.add(
        "replace a missing object",
        t.replace(&c, "ghost", &ghost, false).await.obs(),
    );

    // Patches, in order: each one sees what the ones before it left.
    let patches = [
        (
            "merge patch",
            MERGE,
            json!({"metadata": {"labels": {"m": "1"}}, "data": {"k2": "v2"}}),
        ),
        (
            "merge patch null removes a key",
            MERGE,
            json!({"data": {"k2": null}}),
        ),
        (
            "json patch add, replace, test",
            JSON_PATCH,
            json!([
                {"op": "add", "path": "/data/k3", "value": "v3"},
                {"op": "replace", "path": "/data/k", "value": "jp"},
                {"op": "test", "path": "/data/k", "value": "jp"},
            ]),
        ),
        (
            "json patch remove",
            JSON_PATCH,
            json!([{"op": "remove", "path": "/data/k3"}]),
        ),
        (
            "json patch failing test",
            JSON_PATCH,
            json!([{"op": "test", "path": "/data/k", "value": "wrong"}]),
        ),
        (
            "json patch removing a missing path",
            JSON_PATCH,
            json!([{"op": "remove", "path": "/data/nope"}]),
        ),
        (
            "json patch that is not an array",
            JSON_PATCH,
            json!({"op": "remove", "path": "/data/k"}),
        ),
    ];
    for (step, kind, patch) in patches {
        o.add(step, t.patch(&c, "first", kind, &patch).await.obs());
    }
    let r = t
        .send(
            &t.admin,
            raw("PATCH", &format!("{c}/first"), MERGE, b"{".to_vec()),
        )
        .await;
    o.add("merge patch that is not JSON", r.obs());
    let r = t
        .patch(&c, "ghost", MERGE, &json!({"data": {"a": "b"}}))
        .await;
    o.add("merge patch a missing object", r.obs());
    let r = t.get(&c, "first").await;
    o.add("get after patches", r.obs());

    // Bodies that do not decode into the built-in type: refused, nothing stored.
    let secrets = format!("{NAMESPACES}/{ns}/secrets");
    let undecodable = [
        (
            "configmap data that is not a string",
            c.clone(),
            configmap(ns, "bad-data", json!({}), json!({"a": 5})),
        ),
        (
            "secret data that is not a map",
            secrets.clone(),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad", "namespace": ns}, "data": "x"}),
        ),
        (
            "secret data that is not base64",
            secrets.clone(),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad", "namespace": ns}, "data": {"k": "not base64!"}}),
        ),
        (
            "namespace spec that is not an object",
            NAMESPACES.to_owned(),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "conformance-bad"}, "spec": "x"}),
        ),
    ];
    for (step, collection, body) in undecodable {
        o.add(step, t.create(&collection, &body).await.code_obs());
    }
    let r = t
        .patch(&c, "first", MERGE, &json!({"data": {"k": 5}}))
        .await;
    o.add("merge patch making data undecodable", r.code_obs());
    let huge = configmap(
        ns,
        "huge",
        json!({}),
        json!({"k": "x".repeat(3 * 1024 * 1024 + 1)}),
    );
    o.add("a body above 3 MiB", t.create(&c, &huge).await.code_obs());
    o.add(
        "get after undecodable writes",
        t.get(&c, "first").await.obs(),
    );

    o.add("delete", t.delete(&t.admin, &c, "first", false).await.obs());
    o.add("get deleted", t.get(&c, "first").await.obs());
    o.add(
        "delete again",
        t.delete(&t.admin, &c, "first", false).await.obs(),
    );
    o.finish()
}

/// (b) `dryRun=All` answers as if it had written, and persists nothing.
pub async fn dry_run(t: &Target) -> Value {
    let mut o = Obs::default();
    let ns = "conformance-dryrun";
    let c = cms(ns);
    o.add("create namespace", t.create_namespace(ns).await.code_obs());
    let r = t
        .create_as(
            &t.admin,
            &c,
            &configmap(ns, "dry", json!({"a": "b"}), json!({"k": "v"})),
            true,
        )
        .await;
    o.add("dry-run create", r.obs());
    o.add("get dry-run created", t.get(&c, "dry").await.obs());
    o.add("list", t.list(&c, &ListParams::default()).await.list_obs());

    let created = t
        .create(&c, &configmap(ns, "wet", json!({}), json!({"k": "v"})))
        .await;
    o.add("create", created.code_obs());
    let rv0 = created.resource_version();
    let r = t
        .send(
            &t.admin,
            patch(&c, "wet", MERGE, &json!({"data": {"k": "dry"}}), true),
        )
        .await;
    o.add("dry-run merge patch", r.obs());
    let r = t
        .send(
            &t.admin,
            patch(
                &c,
                "wet",
                JSON_PATCH,
                &json!([{"op": "add", "path": "/data/j", "value": "dry"}]),
                true,
            ),
        )
        .await;
    o.add(
        "dry-run json patch",
        json!({"code": r.code, "data": r.body["data"]}),
    );
    let mut object = t.get(&c, "wet").await.body;
    object["data"]["k"] = json!("dry-put");
    let r = t.replace(&c, "wet", &object, true).await;
    o.add(
        "dry-run replace",
        json!({"code": r.code, "data": r.body["data"]}),
    );
    let r = t.delete(&t.admin, &c, "wet", true).await;
    o.add("dry-run delete", r.obs());
    let after = t.get(&c, "wet").await;
    o.add(
        "get after dry runs",
        json!({
            "code": after.code,
            "data": after.body["data"],
            "resourceVersion": rv_relation(rv0.as_deref(), after.resource_version().as_deref()),
        }),
    );

    let config = registry_config(
        "conformance-dryrun",
        json!({"managementState": "Managed", "replicas": 1}),
    );
    let r = t.create_as(&t.admin, CONFIGS, &config, true).await;
    o.add("dry-run create of a custom resource", r.obs());
    o.add(
        "get dry-run custom resource",
        t.get(CONFIGS, "conformance-dryrun").await.obs(),
    );
    o.finish()
}

/// (c) Custom resources: schema validation and defaults, generation, status subresource.
pub async fn custom_resources(t: &Target) -> Value {
    let mut o = Obs::default();
    let invalid = [
        (
            "create with a bad managementState",
            json!({"managementState": "Bogus", "replicas": 1}),
        ),
        (
            "create without replicas",
            json!({"managementState": "Managed"}),
        ),
        (
            "create with a bad managementState and without replicas",
            json!({"managementState": "Bogus"}),
        ),
        (
            "create with replicas of the wrong type",
            json!({"managementState": "Managed", "replicas": "two"}),
        ),
        (
            "create with a bad logLevel",
            json!({"managementState": "Managed", "replicas": 1, "logLevel": "Loud"}),
        ),
    ];
    for (step, spec) in invalid {
        let r = t
            .create(CONFIGS, &registry_config("conformance", spec))
            .await;
        o.add(step, r.obs());
    }
    let r = t
        .create(
            CONFIGS,
            &registry_config(
                "conformance-pruned",
                json!({"managementState": "Managed", "replicas": 1, "bogusField": 1, "proxy": {"bogus": "x"}}),
            ),
        )
        .await;
    o.add("create with unknown fields (pruned)", r.obs());

    let mut valid = registry_config(
        "conformance",
        json!({"managementState": "Managed", "replicas": 1}),
    );
    valid["metadata"]["labels"] = json!({"conformance": "yes"});
    valid["status"] = json!({"readyReplicas": 5});
    let r = t.create(CONFIGS, &valid).await;
    o.add("create (status in the body is dropped)", r.obs());
    o.add("get", t.get(CONFIGS, "conformance").await.obs());

    let r = t
        .patch_conformance(MERGE, json!({"spec": {"replicas": 2}}))
        .await;
    o.add(
        "spec merge patch",
        json!({"code": r.code, "generation": r.generation(), "replicas": r.body["spec"]["replicas"]}),
    );
    let r = t
        .patch_conformance(MERGE, json!({"metadata": {"labels": {"extra": "1"}}}))
        .await;
    o.add(
        "metadata-only merge patch",
        json!({"code": r.code, "generation": r.generation(), "labels": r.body["metadata"]["labels"]}),
    );
    let status_path = format!("{CONFIGS}/conformance/status");
    let r = t
        .send(
            &t.admin,
            raw(
                "PATCH",
                &status_path,
                MERGE,
                body(&json!({
                    "status": {"readyReplicas": 1, "storage": {}, "storageManaged": false},
                    "spec": {"replicas": 9},
                })),
            ),
        )
        .await;
    o.add(
        "status merge patch (spec in it is ignored)",
        json!({"code": r.code, "generation": r.generation(), "replicas": r.body["spec"]["replicas"], "status": r.body["status"]}),
    );
    let mut current = t.get(CONFIGS, "conformance").await.body;
    current["status"] = json!({"readyReplicas": 2, "storage": {}, "storageManaged": false});
    current["spec"]["replicas"] = json!(8);
    let r = t
        .send(
            &t.admin,
            raw("PUT", &status_path, "application/json", body(&current)),
        )
        .await;
    o.add(
        "status replace (spec in it is ignored)",
        json!({"code": r.code, "generation": r.generation(), "replicas": r.body["spec"]["replicas"], "status": r.body["status"]}),
    );
    let before = t.get(CONFIGS, "conformance").await;
    let mut current = before.body.clone();
    current["status"]["readyReplicas"] = json!(7);
    current["spec"]["replicas"] = json!(3);
    let r = t.replace(CONFIGS, "conformance", &current, false).await;
    o.add(
        "replace (status in it is ignored)",
        json!({
            "code": r.code,
            "generation": r.generation(),
            "replicas": r.body["spec"]["replicas"],
            "status": r.body["status"],
            "resourceVersion": rv_relation(before.resource_version().as_deref(), r.resource_version().as_deref()),
        }),
    );
    let r = t
        .patch_conformance(MERGE, json!({"status": {"readyReplicas": 9}}))
        .await;
    o.add(
        "status-only merge patch of the main resource",
        json!({"code": r.code, "generation": r.generation(), "status": r.body["status"]}),
    );
    let r = t
        .send(
            &t.admin,
            raw(
                "PATCH",
                &status_path,
                MERGE,
                body(&json!({"status": {"readyReplicas": "many"}})),
            ),
        )
        .await;
    o.add("status merge patch violating the schema", r.obs());
    let r = t
        .patch_conformance(MERGE, json!({"spec": {"managementState": "Bogus"}}))
        .await;
    o.add("merge patch violating the schema", r.obs());
    let r = t
        .patch_conformance(STRATEGIC, json!({"spec": {"replicas": 4}}))
        .await;
    o.add("strategic merge patch", r.obs());
    let r = t
        .patch_conformance(
            JSON_PATCH,
            json!([{"op": "replace", "path": "/spec/logLevel", "value": "Debug"}]),
        )
        .await;
    o.add(
        "json patch",
        json!({"code": r.code, "generation": r.generation(), "logLevel": r.body["spec"]["logLevel"]}),
    );
    o.add(
        "get after updates",
        t.get(CONFIGS, "conformance").await.obs(),
    );
    o.add(
        "get missing",
        t.get(CONFIGS, "conformance-missing").await.obs(),
    );
    let r = t
        .list(CONFIGS, &ListParams::default().labels("conformance=yes"))
        .await;
    o.add("list labelSelector", r.list_obs());

    let pruner = |spec: Value| {
        json!({
            "apiVersion": "imageregistry.operator.openshift.io/v1",
            "kind": "ImagePruner",
            "metadata": {"name": "conformance"},
            "spec": spec,
        })
    };
    let r = t
        .create(PRUNERS, &pruner(json!({"logLevel": "Bogus"})))
        .await;
    o.add("imagepruner with a bad logLevel", r.obs());
    let r = t.create(PRUNERS, &pruner(json!({}))).await;
    o.add("imagepruner (defaults)", r.obs());
    let r = t
        .create(
            IMAGES,
            &json!({"apiVersion": "config.openshift.io/v1", "kind": "Image", "metadata": {"name": "conformance"}, "spec": {}}),
        )
        .await;
    o.add("images.config.openshift.io", r.obs());
    let r = t
        .create(
            CLUSTEROPERATORS,
            &json!({"apiVersion": "config.openshift.io/v1", "kind": "ClusterOperator", "metadata": {"name": "conformance"}, "spec": {}}),
        )
        .await;
    o.add("clusteroperators.config.openshift.io", r.obs());

    let routes = format!("/apis/route.openshift.io/v1/namespaces/{ROUTES_NS}/routes");
    o.add(
        "create namespace for routes",
        t.create_namespace(ROUTES_NS).await.code_obs(),
    );
    let route = |name: &str, spec: Value| {
        json!({
            "apiVersion": "route.openshift.io/v1",
            "kind": "Route",
            "metadata": {"name": name, "namespace": ROUTES_NS},
            "spec": spec,
        })
    };
    let r = t
        .create(
            &routes,
            &route(
                "registry",
                json!({"to": {"kind": "Service", "name": "image-registry"}, "port": {"targetPort": 5000}}),
            ),
        )
        .await;
    o.add("route (defaults)", r.obs());
    let r = t
        .create(
            &routes,
            &route(
                "passthrough-with-path",
                json!({"to": {"kind": "Service", "name": "image-registry"}, "path": "/x",
                       "tls": {"termination": "passthrough"}}),
            ),
        )
        .await;
    o.add(
        "passthrough route with a path",
        json!({"code": r.code, "reason": r.body["reason"]}),
    );

    o.add(
        "delete",
        t.delete(&t.admin, CONFIGS, "conformance", false)
            .await
            .obs(),
    );
    o.add("get deleted", t.get(CONFIGS, "conformance").await.obs());
    o.finish()
}

/// Collects up to `n` events (bookmarks left out) from a kube-rs watch.
async fn collect_events<K>(api: &Api<K>, wp: &WatchParams, version: &str, n: usize) -> Value
where
    K: Clone + serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug + 'static,
{
    let stream = match api.watch(wp, version).await {
        Ok(stream) => stream,
        Err(e) => return json!({"error": e.to_string()}),
    };
    let mut stream = Box::pin(stream);
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while events.len() < n {
        let next = tokio::time::timeout_at(deadline, stream.next()).await;
        let event = match next {
            Err(_) => {
                events.push(json!({"error": "timed out waiting for the next event"}));
                break;
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => json!({"error": e.to_string()}),
            Ok(Some(Ok(WatchEvent::Bookmark(_)))) => continue,
            Ok(Some(Ok(WatchEvent::Added(obj)))) => json!({"type": "ADDED", "object": obj}),
            Ok(Some(Ok(WatchEvent::Modified(obj)))) => json!({"type": "MODIFIED", "object": obj}),
            Ok(Some(Ok(WatchEvent::Deleted(obj)))) => json!({"type": "DELETED", "object": obj}),
            Ok(Some(Ok(WatchEvent::Error(status)))) => {
                json!({"type": "ERROR", "status": status.code})
            }
        };
        events.push(event);
    }
    Value::Array(events)
}

/// (d) Watches deliver exactly the changes after a resourceVersion, in order.
pub async fn watch(t: &Target) -> Value {
    let mut o = Obs::default();
    let ns = "conformance-watch";
    let c = cms(ns);
    o.add("create namespace", t.create_namespace(ns).await.code_obs());
    let list = t.list(&c, &ListParams::default()).await;
    let rv0 = list.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("")
        .to_string();
    o.add("list has a resourceVersion", json!(!rv0.is_empty()));
    let steps = [
        t.create(
            &c,
            &configmap(ns, "w", json!({"w": "1"}), json!({"a": "1"})),
        )
        .await,
        t.patch(&c, "w", MERGE, &json!({"data": {"a": "2"}})).await,
        t.delete(&t.admin, &c, "w", false).await,
    ];
    o.add(
        "changes",
        Value::Array(steps.iter().map(|r| json!(r.code)).collect()),
    );
    let api: Api<ConfigMap> = Api::namespaced(t.admin.clone(), ns);
    let events = collect_events(&api, &WatchParams::default().timeout(5), &rv0, 3).await;
    o.add(
        "configmap events since the list",
        summarize(&events, |o| json!({"data": o["data"]})),
    );
    let events = collect_events(
        &api,
        &WatchParams::default().labels("w=1").timeout(5),
        &rv0,
        3,
    )
    .await;
    o.add(
        "configmap events with a labelSelector",
        json!(
            events
                .as_array()
                .map(|e| e.iter().map(|e| e["type"].clone()).collect::<Vec<_>>())
        ),
    );

    // A custom resource, by field selector on its name.
    let rv1 = t
        .list(CONFIGS, &ListParams::default().labels("conformance=watch"))
        .await
        .body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut config = registry_config(
        "conformance-watch",
        json!({"managementState": "Managed", "replicas": 1}),
    );
    config["metadata"]["labels"] = json!({"conformance": "watch"});
    let steps = [
        t.create(CONFIGS, &config).await,
        t.patch(
            CONFIGS,
            "conformance-watch",
            MERGE,
            &json!({"spec": {"replicas": 2}}),
        )
        .await,
        t.delete(&t.admin, CONFIGS, "conformance-watch", false)
            .await,
    ];
    o.add(
        "custom resource changes",
        Value::Array(steps.iter().map(|r| json!(r.code)).collect()),
    );
    let gvk = GroupVersionKind::gvk("imageregistry.operator.openshift.io", "v1", "Config");
    let resource = ApiResource::from_gvk_with_plural(&gvk, "configs");
    let api: Api<DynamicObject> = Api::all_with(t.admin.clone(), &resource);
    let events = collect_events(
        &api,
        &WatchParams::default()
            .fields("metadata.name=conformance-watch")
            .timeout(5),
        &rv1,
        3,
    )
    .await;
    o.add(
        "custom resource events since the list",
        summarize(&events, |o| {
            json!({"generation": o["metadata"]["generation"], "replicas": o["spec"]["replicas"]})
        }),
    );
    o.finish()
}

/// Each watch event as its type, its object's name, an error if any, and what `fields`
/// picks out of the object.
fn summarize(events: &Value, fields: impl Fn(&Value) -> Value) -> Value {
    let events = events.as_array().cloned().unwrap_or_default();
    events
        .iter()
        .map(|e| {
            let mut summary = json!({
                "type": e["type"],
                "name": e["object"]["metadata"]["name"],
                "error": e.get("error"),
            });
            if let (Some(summary), Value::Object(picked)) =
                (summary.as_object_mut(), fields(&e["object"]))
            {
                summary.extend(picked);
            }
            summary
        })
        .collect()
}

async fn access_review(
    client: &kube::Client,
    verb: &str,
    group: &str,
    resource: &str,
    ns: Option<&str>,
) -> Value {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                group: Some(group.into()),
                resource: Some(resource.into()),
                namespace: ns.map(str::to_string),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    match api.create(&PostParams::default(), &review).await {
        Ok(answer) => json!(answer.status.map(|s| s.allowed)),
        Err(e) => json!({"error": e.to_string()}),
    }
}

/// (e) The viewer reads but does not write, and never sees secrets; bad and missing tokens.
pub async fn auth(t: &Target) -> Value {
    let mut o = Obs::default();
    let ns = "conformance-auth";
    let c = cms(ns);
    let secrets = format!("{NAMESPACES}/{ns}/secrets");
    o.add("create namespace", t.create_namespace(ns).await.code_obs());
    let r = t
        .create(&c, &configmap(ns, "visible", json!({}), json!({"k": "v"})))
        .await;
    o.add("admin creates a configmap", r.code_obs());
    let mut config = registry_config(
        "conformance-auth",
        json!({"managementState": "Managed", "replicas": 1}),
    );
    config["metadata"]["labels"] = json!({"conformance": "auth"});
    o.add(
        "admin creates a config",
        t.create(CONFIGS, &config).await.code_obs(),
    );
    let r = t
        .create(
            &secrets,
            &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "hidden"}, "stringData": {"k": "v"}}),
        )
        .await;
    o.add("admin creates a secret", r.code_obs());
    let r = t.get(&secrets, "hidden").await;
    o.add(
        "admin gets the secret",
        json!({"code": r.code, "type": r.body["type"], "data": r.body["data"], "stringData": r.body.get("stringData")}),
    );

    let v = &t.viewer;
    let r = t.get_as(v, &c, "visible").await;
    o.add(
        "viewer gets a configmap",
        json!({"code": r.code, "name": r.body["metadata"]["name"]}),
    );
    let r = t
        .send(v, Request::new(&c).list(&ListParams::default()).unwrap())
        .await;
    o.add("viewer lists configmaps", r.list_obs());
    let r = t.get_as(v, CONFIGS, "conformance-auth").await;
    o.add(
        "viewer gets a config",
        json!({"code": r.code, "name": r.body["metadata"]["name"]}),
    );
    let r = t
        .send(
            v,
            Request::new(CONFIGS)
                .list(&ListParams::default().labels("conformance=auth"))
                .unwrap(),
        )
        .await;
    o.add("viewer lists configs", r.list_obs());
    let r = t
        .create_as(v, &c, &configmap(ns, "nope", json!({}), json!({})), false)
        .await;
    o.add("viewer creates a configmap", r.obs());
    let r = t
        .send(
            v,
            patch(&c, "visible", MERGE, &json!({"data": {"k": "x"}}), false),
        )
        .await;
    o.add("viewer patches a configmap", r.obs());
    o.add(
        "viewer deletes a configmap",
        t.delete(v, &c, "visible", false).await.obs(),
    );
    o.add(
        "viewer gets a secret",
        t.get_as(v, &secrets, "hidden").await.obs(),
    );
    let r = t
        .send(
            v,
            Request::new(&secrets).list(&ListParams::default()).unwrap(),
        )
        .await;
    o.add("viewer lists secrets", r.obs());
    let r = t
        .send(
            v,
            patch(
                CONFIGS,
                "conformance-auth",
                MERGE,
                &json!({"spec": {"replicas": 2}}),
                false,
            ),
        )
        .await;
    o.add("viewer patches a config", r.obs());
    o.add(
        "viewer deletes a config",
        t.delete(v, CONFIGS, "conformance-auth", false).await.obs(),
    );
    let r = t
        .create_as(
            v,
            NAMESPACES,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "conformance-viewer"}}),
            false,
        )
        .await;
    o.add("viewer creates a namespace", r.obs());

    // The raw tokens work in a kubeconfig of one's own.
    let admin = t.token_client(&t.admin_token).await;
    let r = t
        .send(
            &admin,
            Request::new(NAMESPACES)
                .get(ns, &GetParams::default())
                .unwrap(),
        )
        .await;
    o.add(
        "admin token gets the namespace",
        json!({"code": r.code, "name": r.body["metadata"]["name"]}),
    );
    let viewer = t.token_client(&t.viewer_token).await;
    let r = t.get_as(&viewer, &c, "visible").await;
    o.add(
        "viewer token gets a configmap",
        json!({"code": r.code, "name": r.body["metadata"]["name"]}),
    );
    let bad = t.bad_token_client().await;
    o.add(
        "bad token gets a configmap",
        t.get_as(&bad, &c, "visible").await.obs(),
    );
    let anonymous = t.anonymous_client().await;
    let r = t
        .send(
            &anonymous,
            Request::new(&c).list(&ListParams::default()).unwrap(),
        )
        .await;
    o.add("no token lists configmaps", r.obs());

    let group = "imageregistry.operator.openshift.io";
    o.add(
        "SelfSubjectAccessReview viewer patch configs",
        access_review(v, "patch", group, "configs", None).await,
    );
    o.add(
        "SelfSubjectAccessReview viewer get configs",
        access_review(v, "get", group, "configs", None).await,
    );
    o.add(
        "SelfSubjectAccessReview viewer list configmaps",
        access_review(v, "list", "", "configmaps", Some(ns)).await,
    );
    o.add(
        "SelfSubjectAccessReview viewer get secrets",
        access_review(v, "get", "", "secrets", Some(ns)).await,
    );
    o.add(
        "SelfSubjectAccessReview admin patch configs",
        access_review(&t.admin, "patch", group, "configs", None).await,
    );
    o.add(
        "SelfSubjectAccessReview admin get secrets",
        access_review(&t.admin, "get", "", "secrets", Some(ns)).await,
    );

    let r = t
        .get(
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            "demo-viewer",
        )
        .await;
    o.add(
        "clusterrole demo-viewer",
        json!({"code": r.code, "rules": r.body["rules"]}),
    );
    let r = t
        .get(
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "demo-viewer",
        )
        .await;
    o.add(
        "clusterrolebinding demo-viewer",
        json!({"code": r.code, "roleRef": r.body["roleRef"], "subjects": r.body["subjects"]}),
    );

    // Impersonation (`kubectl --as`): runs as the named identity only when the caller may
    // impersonate it.
    let as_someone = |collection: &str, name: &str, user: Option<&str>, groups: &[&str]| {
        let mut req = Request::new(collection)
            .get(name, &GetParams::default())
            .unwrap();
        let headers = req.headers_mut();
        if let Some(user) = user {
            headers.append("Impersonate-User", user.parse().unwrap());
        }
        for group in groups {
            headers.append("Impersonate-Group", group.parse().unwrap());
        }
        req
    };
    let steps = [
        (
            "admin as viewer gets a configmap",
            &t.admin,
            as_someone(&c, "visible", Some("viewer"), &[]),
        ),
        (
            "admin as viewer gets a secret",
            &t.admin,
            as_someone(&secrets, "hidden", Some("viewer"), &[]),
        ),
        (
            "admin as alice gets a configmap",
            &t.admin,
            as_someone(&c, "visible", Some("alice"), &[]),
        ),
        (
            "admin as alice in system:masters gets a secret",
            &t.admin,
            as_someone(&secrets, "hidden", Some("alice"), &["system:masters"]),
        ),
        (
            "admin impersonates a group without a user",
            &t.admin,
            as_someone(&c, "visible", None, &["system:masters"]),
        ),
        (
            "viewer as admin gets a secret",
            v,
            as_someone(&secrets, "hidden", Some("admin"), &[]),
        ),
        (
            "viewer with an empty Impersonate-User gets a configmap",
            v,
            as_someone(&c, "visible", Some(""), &[]),
        ),
        (
            "admin with an empty Impersonate-User and a group",
            &t.admin,
            as_someone(&c, "visible", Some(""), &["system:masters"]),
        ),
    ];
    for (step, client, request) in steps {
        o.add(step, t.send(client, request).await.code_obs());
    }
    o.finish()
}

/// The Event the console writes for each change it makes (`app::changes::record`, whose
/// test holds it equal to this file), and where kube-apiserver accepts one.
pub const CONSOLE_EVENT: &str = include_str!("console_event.json");

/// (f) Events as the console writes and reads them: an object of the whole cluster's in
/// `default`, a namespaced object's beside it, each elsewhere refused; listed by the
/// involved object's fields.
pub async fn events(t: &Target) -> Value {
    let mut o = Obs::default();
    let ns = "conformance-events";
    let in_ns = |ns: &str| format!("{NAMESPACES}/{ns}/events");
    o.add("create namespace", t.create_namespace(ns).await.code_obs());
    let mut cluster: Value = serde_json::from_str(CONSOLE_EVENT).unwrap();
    // A fixed name instead of a generated one, so both servers' answers compare.
    cluster["metadata"]["name"] = json!("cluster.conformance");
    let kept = |r: Resp| {
        if r.code != 201 {
            return r.obs();
        }
        let b = &r.body;
        json!({
            "code": r.code,
            "namespace": b["metadata"]["namespace"],
            "annotations": b["metadata"]["annotations"],
            "involvedObject": b["involvedObject"],
            "reason": b["reason"],
            "action": b["action"],
            "source": b["source"],
            "reportingComponent": b["reportingComponent"],
            "message": b["message"],
        })
    };
    o.add(
        "the console's event of a cluster object, in default",
        kept(t.create(&in_ns("default"), &cluster).await),
    );
    let mut elsewhere = cluster.clone();
    elsewhere["metadata"]["namespace"] = json!(ns);
    o.add(
        "the same in another namespace",
        t.create(&in_ns(ns), &elsewhere).await.code_obs(),
    );
    let mut secret = cluster.clone();
    secret["metadata"]["name"] = json!("secret.conformance");
    secret["metadata"]["namespace"] = json!(ns);
    secret["involvedObject"] =
        json!({"apiVersion": "v1", "kind": "Secret", "name": "secret", "namespace": ns});
    o.add(
        "a namespaced object's event beside it",
        t.create(&in_ns(ns), &secret).await.code_obs(),
    );
    let mut astray = secret.clone();
    astray["metadata"]["name"] = json!("astray.conformance");
    astray["metadata"]["namespace"] = json!("default");
    o.add(
        "a namespaced object's event in default",
        t.create(&in_ns("default"), &astray).await.code_obs(),
    );
    let selected = |fields: &str| ListParams::default().fields(fields);
    o.add(
        "list by the involved object",
        t.list(
            &in_ns("default"),
            &selected(
                "involvedObject.apiVersion=imageregistry.operator.openshift.io/v1,\
                 involvedObject.kind=Config,involvedObject.name=cluster",
            ),
        )
        .await
        .list_obs(),
    );
    o.add(
        "list by another kind",
        t.list(&in_ns(ns), &selected("involvedObject.kind=Secret"))
            .await
            .list_obs(),
    );
    o.add(
        "list by a kind none has",
        t.list(&in_ns(ns), &selected("involvedObject.kind=ConfigMap"))
            .await
            .list_obs(),
    );
    o.finish()
}
