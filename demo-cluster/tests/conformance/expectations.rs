//! What a real kube-apiserver v1.20.2 is expected to answer in each scenario: written by
//! hand, checked against the real server, so the scenarios are known to say the right thing.

use serde_json::{Value, json};

/// Adds a line to `failures` for every expectation `observation` does not meet.
pub fn check(scenario: &str, observation: &Value, failures: &mut Vec<String>) {
    let mut c = Checker {
        scenario,
        observation,
        failures,
    };
    match scenario {
        "core_configmaps" => core_configmaps(&mut c),
        "dry_run" => dry_run(&mut c),
        "custom_resources" => custom_resources(&mut c),
        "watch" => watch(&mut c),
        "auth" => auth(&mut c),
        "events" => events(&mut c),
        other => c.fail(other, &format!("no expectations for scenario {other}")),
    }
}

struct Checker<'a> {
    scenario: &'a str,
    observation: &'a Value,
    failures: &'a mut Vec<String>,
}

impl Checker<'_> {
    fn fail(&mut self, step: &str, message: &str) {
        self.failures
            .push(format!("{} / {step}: {message}", self.scenario));
    }

    /// The observation of a step, by name (without its number).
    fn step(&mut self, step: &str) -> Value {
        let found = self.observation.as_object().and_then(|steps| {
            steps
                .iter()
                .find(|(key, _)| key.split_once(' ').map(|(_, name)| name) == Some(step))
                .map(|(_, v)| v.clone())
        });
        found.unwrap_or_else(|| {
            self.fail(step, "step missing");
            Value::Null
        })
    }

    /// `pointer` ("" for the whole step) equals `expected`; an absent value is `null`.
    fn eq(&mut self, step: &str, pointer: &str, expected: Value) {
        let observed = self.step(step);
        let got = observed.pointer(pointer).cloned().unwrap_or(Value::Null);
        if got != expected {
            self.fail(
                step,
                &format!("{pointer}: expected {expected}, observed {got}"),
            );
        }
    }

    fn code(&mut self, step: &str, code: u16) {
        self.eq(step, "/code", json!(code));
    }

    /// A failure `Status` with this code and reason (`None`: no reason at all).
    fn status(&mut self, step: &str, code: u16, reason: Option<&str>) {
        self.code(step, code);
        self.eq(step, "/body/kind", json!("Status"));
        self.eq(step, "/body/apiVersion", json!("v1"));
        self.eq(step, "/body/status", json!("Failure"));
        self.eq(step, "/body/code", json!(code));
        self.eq(step, "/body/reason", json!(reason));
    }

    fn details(&mut self, step: &str, details: Value) {
        self.eq(step, "/body/details", details);
    }

    fn message(&mut self, step: &str, message: &str) {
        self.eq(step, "/body/message", json!(message));
    }

    fn names(&mut self, step: &str, names: &[&str]) {
        self.code(step, 200);
        self.eq(step, "/names", json!(names));
    }

    /// 422 Invalid on a custom resource, with exactly these `(field, reason)` causes.
    fn invalid(&mut self, step: &str, kind: &str, name: &str, causes: &[(&str, &str)]) {
        self.status(step, 422, Some("Invalid"));
        let causes: Vec<Value> = causes
            .iter()
            .map(|(field, reason)| json!({"field": field, "reason": reason}))
            .collect();
        self.details(
            step,
            json!({"group": "imageregistry.operator.openshift.io", "kind": kind, "name": name, "causes": causes}),
        );
    }
}

fn core_configmaps(c: &mut Checker) {
    c.code("create namespace", 201);
    c.eq(
        "create namespace",
        "/body",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "conformance-core"},
               "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
    );
    c.code("create first", 201);
    c.eq(
        "create first",
        "/body",
        json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": "v"},
               "metadata": {"name": "first", "namespace": "conformance-core", "labels": {"a": "x"}}}),
    );
    for step in ["create second", "create third", "create fourth"] {
        c.code(step, 201);
    }
    c.code("get first", 200);
    c.eq("get first", "/body/metadata/generation", Value::Null);
    c.eq("typed kube-rs get first", "/data", json!({"k": "v"}));
    c.eq("list all", "/kind", json!("ConfigMapList"));
    c.eq("list all", "/apiVersion", json!("v1"));
    c.names("list all", &["first", "fourth", "second", "third"]);
    c.names("list labelSelector a=b", &["third"]);
    c.names("list labelSelector a!=b", &["first", "fourth", "second"]);
    c.names("list labelSelector a in (x,y)", &["first", "second"]);
    c.names("list labelSelector a notin (x,y)", &["fourth", "third"]);
    c.names("list labelSelector !a", &["fourth"]);
    c.names("list labelSelector a", &["first", "second", "third"]);
    c.names("list labelSelector a=x,other", &[]);
    c.names("list fieldSelector metadata.name=second", &["second"]);
    c.names(
        "list fieldSelector metadata.name!=second",
        &["first", "fourth", "third"],
    );
    c.names(
        "list fieldSelector metadata.namespace=conformance-core",
        &["first", "fourth", "second", "third"],
    );
    c.names("list labelSelector and fieldSelector", &["first"]);
    c.names("list in a missing namespace", &[]);

    c.status("get missing", 404, Some("NotFound"));
    c.details(
        "get missing",
        json!({"name": "missing", "kind": "configmaps"}),
    );
    c.message("get missing", "configmaps \"missing\" not found");
    c.status("create duplicate", 409, Some("AlreadyExists"));
    c.details(
        "create duplicate",
        json!({"name": "first", "kind": "configmaps"}),
    );
    c.message("create duplicate", "configmaps \"first\" already exists");
    c.status("create in a missing namespace", 404, Some("NotFound"));
    c.details(
        "create in a missing namespace",
        json!({"name": "conformance-nowhere", "kind": "namespaces"}),
    );

    c.code("replace", 200);
    c.eq("replace", "/body/data", json!({"k": "v2"}));
    c.eq(
        "replace: resourceVersion",
        "",
        json!({"present": true, "changed": true, "increased": true}),
    );
    c.status(
        "replace with a stale resourceVersion",
        409,
        Some("Conflict"),
    );
    c.details(
        "replace with a stale resourceVersion",
        json!({"name": "first", "kind": "configmaps"}),
    );
    c.message(
        "replace with a stale resourceVersion",
        "Operation cannot be fulfilled on configmaps \"first\": the object has been modified; please apply \
         your changes to the latest version and try again",
    );
    c.eq(
        "replace without resourceVersion",
        "",
        json!({"code": 200, "data": {"k": "unconditional"}}),
    );
    c.status(
        "replace with another name in the body",
        400,
        Some("BadRequest"),
    );
    c.status("replace a missing object", 404, Some("NotFound"));

    c.code("merge patch", 200);
    c.eq(
        "merge patch",
        "/body/data",
        json!({"k": "unconditional", "k2": "v2"}),
    );
    c.eq(
        "merge patch",
        "/body/metadata/labels",
        json!({"a": "x", "m": "1"}),
    );
    c.eq(
        "merge patch null removes a key",
        "/body/data",
        json!({"k": "unconditional"}),
    );
    c.code("json patch add, replace, test", 200);
    c.eq(
        "json patch add, replace, test",
        "/body/data",
        json!({"k": "jp", "k3": "v3"}),
    );
    c.eq("json patch remove", "/body/data", json!({"k": "jp"}));
    // A JSON patch that cannot be applied: 422 Invalid with empty details.
    for step in [
        "json patch failing test",
        "json patch removing a missing path",
    ] {
        c.status(step, 422, Some("Invalid"));
        c.details(step, json!({}));
    }
    c.status("json patch that is not an array", 400, Some("BadRequest"));
    // 1.20 answers a merge patch that is not JSON with 500 and no reason (see KNOWN_DIFFERENCES).
    c.status("merge patch that is not JSON", 500, None);
    c.status("merge patch a missing object", 404, Some("NotFound"));
    c.eq("get after patches", "/body/data", json!({"k": "jp"}));

    c.code("delete", 200);
    c.eq(
        "delete",
        "/body",
        json!({"apiVersion": "v1", "kind": "Status", "status": "Success",
               "details": {"name": "first", "kind": "configmaps"}}),
    );
    c.status("get deleted", 404, Some("NotFound"));
    c.status("delete again", 404, Some("NotFound"));
}

fn dry_run(c: &mut Checker) {
    c.code("dry-run create", 201);
    c.eq("dry-run create", "/body/data", json!({"k": "v"}));
    c.status("get dry-run created", 404, Some("NotFound"));
    c.names("list", &[]);
    c.code("dry-run merge patch", 200);
    c.eq("dry-run merge patch", "/body/data", json!({"k": "dry"}));
    c.eq(
        "dry-run json patch",
        "",
        json!({"code": 200, "data": {"j": "dry", "k": "v"}}),
    );
    c.eq(
        "dry-run replace",
        "",
        json!({"code": 200, "data": {"k": "dry-put"}}),
    );
    c.code("dry-run delete", 200);
    c.eq("dry-run delete", "/body/status", json!("Success"));
    c.eq(
        "get after dry runs",
        "",
        json!({"code": 200, "data": {"k": "v"}, "resourceVersion": {"present": true, "changed": false, "increased": false}}),
    );
    c.code("dry-run create of a custom resource", 201);
    c.eq(
        "dry-run create of a custom resource",
        "/body/spec/logLevel",
        json!("Normal"),
    );
    c.eq(
        "dry-run create of a custom resource",
        "/body/metadata/generation",
        json!(1),
    );
    c.status("get dry-run custom resource", 404, Some("NotFound"));
}

fn custom_resources(c: &mut Checker) {
    c.invalid(
        "create with a bad managementState",
        "Config",
        "conformance",
        &[("spec.managementState", "FieldValueInvalid")],
    );
    c.invalid(
        "create without replicas",
        "Config",
        "conformance",
        &[("spec.replicas", "FieldValueRequired")],
    );
    c.invalid(
        "create with a bad managementState and without replicas",
        "Config",
        "conformance",
        &[
            ("spec.managementState", "FieldValueInvalid"),
            ("spec.replicas", "FieldValueRequired"),
        ],
    );
    // 1.20 reports a type mismatch as FieldValueInvalid (not FieldValueTypeInvalid).
    c.invalid(
        "create with replicas of the wrong type",
        "Config",
        "conformance",
        &[("spec.replicas", "FieldValueInvalid")],
    );
    c.invalid(
        "create with a bad logLevel",
        "Config",
        "conformance",
        &[("spec.logLevel", "FieldValueNotSupported")],
    );
    c.code("create with unknown fields (pruned)", 201);
    c.eq(
        "create with unknown fields (pruned)",
        "/body/spec",
        json!({"logLevel": "Normal", "managementState": "Managed", "operatorLogLevel": "Normal", "proxy": {}, "replicas": 1}),
    );

    let created = json!({
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": {"generation": 1, "labels": {"conformance": "yes"}, "name": "conformance"},
        "spec": {"logLevel": "Normal", "managementState": "Managed", "operatorLogLevel": "Normal", "replicas": 1},
    });
    c.eq(
        "create (status in the body is dropped)",
        "",
        json!({"code": 201, "body": created}),
    );
    c.eq("get", "", json!({"code": 200, "body": created}));
    c.eq(
        "spec merge patch",
        "",
        json!({"code": 200, "generation": 2, "replicas": 2}),
    );
    c.eq(
        "metadata-only merge patch",
        "",
        json!({"code": 200, "generation": 2, "labels": {"conformance": "yes", "extra": "1"}}),
    );
    c.eq(
        "status merge patch (spec in it is ignored)",
        "",
        json!({"code": 200, "generation": 2, "replicas": 2,
               "status": {"readyReplicas": 1, "storage": {}, "storageManaged": false}}),
    );
    c.eq(
        "status replace (spec in it is ignored)",
        "",
        json!({"code": 200, "generation": 2, "replicas": 2,
               "status": {"readyReplicas": 2, "storage": {}, "storageManaged": false}}),
    );
    c.eq(
        "replace (status in it is ignored)",
        "",
        json!({"code": 200, "generation": 3, "replicas": 3,
               "status": {"readyReplicas": 2, "storage": {}, "storageManaged": false},
               "resourceVersion": {"present": true, "changed": true, "increased": true}}),
    );
    c.eq(
        "status-only merge patch of the main resource",
        "",
        json!({"code": 200, "generation": 3,
               "status": {"readyReplicas": 2, "storage": {}, "storageManaged": false}}),
    );
    c.invalid(
        "status merge patch violating the schema",
        "Config",
        "conformance",
        &[("status.readyReplicas", "FieldValueInvalid")],
    );
    c.invalid(
        "merge patch violating the schema",
        "Config",
        "conformance",
        &[("spec.managementState", "FieldValueInvalid")],
    );
    c.status("strategic merge patch", 415, Some("UnsupportedMediaType"));
    c.eq("strategic merge patch", "/body/details", Value::Null);
    c.eq(
        "json patch",
        "",
        json!({"code": 200, "generation": 4, "logLevel": "Debug"}),
    );
    c.code("get after updates", 200);
    c.eq("get after updates", "/body/spec/replicas", json!(3));
    c.eq("get after updates", "/body/metadata/generation", json!(4));
    c.status("get missing", 404, Some("NotFound"));
    c.details(
        "get missing",
        json!({"name": "conformance-missing", "group": "imageregistry.operator.openshift.io", "kind": "configs"}),
    );
    c.message(
        "get missing",
        "configs.imageregistry.operator.openshift.io \"conformance-missing\" not found",
    );
    c.eq("list labelSelector", "/kind", json!("ConfigList"));
    c.names("list labelSelector", &["conformance"]);
    c.invalid(
        "imagepruner with a bad logLevel",
        "ImagePruner",
        "conformance",
        &[("spec.logLevel", "FieldValueNotSupported")],
    );
    c.code("imagepruner (defaults)", 201);
    c.eq(
        "imagepruner (defaults)",
        "/body/spec",
        json!({"logLevel": "Normal"}),
    );
    c.code("images.config.openshift.io", 201);
    c.code("clusteroperators.config.openshift.io", 201);
    c.code("create namespace for routes", 201);
    c.code("route (defaults)", 201);
    c.eq(
        "route (defaults)",
        "/body/spec",
        json!({"to": {"kind": "Service", "name": "image-registry", "weight": 100},
               "port": {"targetPort": 5000}, "wildcardPolicy": "None"}),
    );
    c.eq(
        "passthrough route with a path",
        "",
        json!({"code": 422, "reason": "Invalid"}),
    );
    // Deleting a custom resource answers a Status, not the object.
    c.eq(
        "delete",
        "",
        json!({"code": 200, "body": {"apiVersion": "v1", "kind": "Status", "status": "Success",
               "details": {"name": "conformance", "group": "imageregistry.operator.openshift.io", "kind": "configs"}}}),
    );
    c.status("get deleted", 404, Some("NotFound"));
}

fn watch(c: &mut Checker) {
    c.eq("list has a resourceVersion", "", json!(true));
    c.eq("changes", "", json!([201, 200, 200]));
    c.eq(
        "configmap events since the list",
        "",
        json!([
            {"type": "ADDED", "name": "w", "data": {"a": "1"}, "error": null},
            {"type": "MODIFIED", "name": "w", "data": {"a": "2"}, "error": null},
            {"type": "DELETED", "name": "w", "data": {"a": "2"}, "error": null},
        ]),
    );
    c.eq(
        "configmap events with a labelSelector",
        "",
        json!(["ADDED", "MODIFIED", "DELETED"]),
    );
    c.eq("custom resource changes", "", json!([201, 200, 200]));
    c.eq(
        "custom resource events since the list",
        "",
        json!([
            {"type": "ADDED", "name": "conformance-watch", "generation": 1, "replicas": 1, "error": null},
            {"type": "MODIFIED", "name": "conformance-watch", "generation": 2, "replicas": 2, "error": null},
            {"type": "DELETED", "name": "conformance-watch", "generation": 2, "replicas": 2, "error": null},
        ]),
    );
}

fn auth(c: &mut Checker) {
    for step in [
        "create namespace",
        "admin creates a configmap",
        "admin creates a config",
        "admin creates a secret",
    ] {
        c.code(step, 201);
    }
    c.eq(
        "admin gets the secret",
        "",
        json!({"code": 200, "type": "Opaque", "data": {"k": "dg=="}, "stringData": null}),
    );
    c.eq(
        "viewer gets a configmap",
        "",
        json!({"code": 200, "name": "visible"}),
    );
    c.names("viewer lists configmaps", &["visible"]);
    c.eq(
        "viewer gets a config",
        "",
        json!({"code": 200, "name": "conformance-auth"}),
    );
    c.names("viewer lists configs", &["conformance-auth"]);
    let forbidden = [
        (
            "viewer creates a configmap",
            json!({"kind": "configmaps"}),
            "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API group \"\" \
             in the namespace \"conformance-auth\"",
        ),
        (
            "viewer patches a configmap",
            json!({"kind": "configmaps", "name": "visible"}),
            "configmaps \"visible\" is forbidden: User \"viewer\" cannot patch resource \"configmaps\" in API \
             group \"\" in the namespace \"conformance-auth\"",
        ),
        (
            "viewer deletes a configmap",
            json!({"kind": "configmaps", "name": "visible"}),
            "configmaps \"visible\" is forbidden: User \"viewer\" cannot delete resource \"configmaps\" in API \
             group \"\" in the namespace \"conformance-auth\"",
        ),
        (
            "viewer gets a secret",
            json!({"kind": "secrets", "name": "hidden"}),
            "secrets \"hidden\" is forbidden: User \"viewer\" cannot get resource \"secrets\" in API group \"\" \
             in the namespace \"conformance-auth\"",
        ),
        (
            "viewer lists secrets",
            json!({"kind": "secrets"}),
            "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the \
             namespace \"conformance-auth\"",
        ),
        (
            "viewer patches a config",
            json!({"group": "imageregistry.operator.openshift.io", "kind": "configs", "name": "conformance-auth"}),
            "configs.imageregistry.operator.openshift.io \"conformance-auth\" is forbidden: User \"viewer\" \
             cannot patch resource \"configs\" in API group \"imageregistry.operator.openshift.io\" at the \
             cluster scope",
        ),
        (
            "viewer deletes a config",
            json!({"group": "imageregistry.operator.openshift.io", "kind": "configs", "name": "conformance-auth"}),
            "configs.imageregistry.operator.openshift.io \"conformance-auth\" is forbidden: User \"viewer\" \
             cannot delete resource \"configs\" in API group \"imageregistry.operator.openshift.io\" at the \
             cluster scope",
        ),
        (
            "viewer creates a namespace",
            json!({"kind": "namespaces"}),
            "namespaces is forbidden: User \"viewer\" cannot create resource \"namespaces\" in API group \"\" \
             at the cluster scope",
        ),
        (
            "no token lists configmaps",
            json!({"kind": "configmaps"}),
            "configmaps is forbidden: User \"system:anonymous\" cannot list resource \"configmaps\" in API \
             group \"\" in the namespace \"conformance-auth\"",
        ),
    ];
    for (step, details, message) in forbidden {
        c.status(step, 403, Some("Forbidden"));
        c.details(step, details);
        c.message(step, message);
    }
    c.eq(
        "admin token gets the namespace",
        "",
        json!({"code": 200, "name": "conformance-auth"}),
    );
    c.eq(
        "viewer token gets a configmap",
        "",
        json!({"code": 200, "name": "visible"}),
    );
    c.status("bad token gets a configmap", 401, Some("Unauthorized"));
    c.message("bad token gets a configmap", "Unauthorized");
    c.details("bad token gets a configmap", Value::Null);
    for (step, allowed) in [
        ("SelfSubjectAccessReview viewer patch configs", false),
        ("SelfSubjectAccessReview viewer get configs", true),
        ("SelfSubjectAccessReview viewer list configmaps", true),
        ("SelfSubjectAccessReview viewer get secrets", false),
        ("SelfSubjectAccessReview admin patch configs", true),
        ("SelfSubjectAccessReview admin get secrets", true),
    ] {
        c.eq(step, "", json!(allowed));
    }
    c.code("clusterrole demo-viewer", 200);
    c.eq(
        "clusterrolebinding demo-viewer",
        "/roleRef",
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "demo-viewer"}),
    );
    // An empty Impersonate-User is no impersonation (the caller's own rights decide); with
    // a group it is the groups-without-a-user error, a plain-text 500.
    c.code(
        "viewer with an empty Impersonate-User gets a configmap",
        200,
    );
    c.code("admin with an empty Impersonate-User and a group", 500);
}

fn events(c: &mut Checker) {
    c.code("create namespace", 201);
    let step = "the console's event of a cluster object, in default";
    c.code(step, 201);
    c.eq(step, "/namespace", json!("default"));
    c.eq(
        step,
        "/involvedObject",
        json!({"apiVersion": "imageregistry.operator.openshift.io/v1", "kind": "Config", "name": "cluster"}),
    );
    c.eq(step, "/source", json!({"component": "registry-console"}));
    c.eq(step, "/reportingComponent", json!("registry-console"));
    c.eq(step, "/annotations/registry-console~1user", json!("alice"));
    let mismatch = [("involvedObject.namespace", "FieldValueInvalid")];
    for step in [
        "the same in another namespace",
        "a namespaced object's event in default",
    ] {
        c.status(step, 422, Some("Invalid"));
        let causes: Vec<Value> = mismatch
            .iter()
            .map(|(field, reason)| json!({"field": field, "reason": reason}))
            .collect();
        c.eq(step, "/body/details/causes", json!(causes));
    }
    c.code("a namespaced object's event beside it", 201);
    c.names("list by the involved object", &["cluster.conformance"]);
    c.names("list by another kind", &["secret.conformance"]);
    c.names("list by a kind none has", &[]);
}
