//! The state of a freshly installed OpenShift 4.4 cluster on bare metal, as the guide
//! describes it (§2.2, §3.4): the registry bootstrapped as `Removed`, no storage.

use serde_json::{Value, json};

use crate::timestamp::now;

fn namespace(name: &str) -> Value {
    json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": name }, "spec": { "finalizers": ["kubernetes"] }, "status": { "phase": "Active" } })
}

fn node(name: &str, role: &str, ip: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                format!("node-role.kubernetes.io/{role}"): ""
            }
        },
        "spec": {},
        "status": {
            "conditions": [{ "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastTransitionTime": now() }],
            "addresses": [{ "type": "InternalIP", "address": ip }, { "type": "Hostname", "address": name }],
            "nodeInfo": { "kubeletVersion": "v1.17.1+demo", "osImage": "Red Hat Enterprise Linux CoreOS 44.81 (Ootpa)", "kernelVersion": "4.18.0-147.8.1.el8_1.x86_64", "containerRuntimeVersion": "cri-o://1.17.4-8.dev.rhaos4.4.git5f5c5e4.el8", "operatingSystem": "linux", "architecture": "amd64" },
            "capacity": { "cpu": "8", "memory": "32Gi", "pods": "250" }
        }
    })
}

fn condition(type_: &str, status: &str, reason: &str, message: &str) -> Value {
    json!({ "type": type_, "status": status, "reason": reason, "message": message, "lastTransitionTime": now() })
}

fn cluster_role(name: &str, rules: Value) -> Value {
    json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": { "name": name }, "rules": rules })
}

fn binding(name: &str, role: &str, subject_kind: &str, subject: &str) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": { "name": name },
        "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role },
        "subjects": [{ "apiGroup": "rbac.authorization.k8s.io", "kind": subject_kind, "name": subject }]
    })
}

/// The rules of ClusterRole `demo-viewer`: read everything the console shows except
/// secrets. The conformance suite grants the same role on a real API server.
pub fn viewer_rules() -> Value {
    json!([
        { "verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["namespaces", "nodes", "pods", "pods/log", "services", "configmaps", "serviceaccounts", "persistentvolumeclaims", "persistentvolumes", "events"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["apps"], "resources": ["deployments", "daemonsets"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["batch"], "resources": ["cronjobs", "jobs"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings", "clusterroles", "clusterrolebindings"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["route.openshift.io"], "resources": ["routes"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["imageregistry.operator.openshift.io"], "resources": ["configs", "imagepruners"] },
        { "verbs": ["get", "list", "watch"], "apiGroups": ["config.openshift.io"], "resources": ["images", "clusteroperators"] }
    ])
}

/// The image API's groups: `image.openshift.io` and the legacy core group.
const IMAGE_GROUPS: [&str; 2] = ["image.openshift.io", ""];
/// The project API's groups.
const PROJECT_GROUPS: [&str; 2] = ["project.openshift.io", ""];

/// `registry-viewer`: read image streams and pull, see the project.
fn registry_viewer_rules() -> Value {
    json!([
        { "verbs": ["get", "list", "watch"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreamimages", "imagestreammappings", "imagestreams", "imagestreamtags"] },
        { "verbs": ["get"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreams/layers"] },
        { "verbs": ["get"], "apiGroups": [""], "resources": ["namespaces"] },
        { "verbs": ["get"], "apiGroups": PROJECT_GROUPS, "resources": ["projects"] }
    ])
}

/// `registry-editor`: also change image streams, push, and manage pull secrets.
fn registry_editor_rules() -> Value {
    let read_write = [
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
    ];
    json!([
        { "verbs": read_write, "apiGroups": [""], "resources": ["serviceaccounts", "secrets"] },
        { "verbs": read_write, "apiGroups": IMAGE_GROUPS, "resources": ["imagestreamimages", "imagestreammappings", "imagestreams", "imagestreams/secrets", "imagestreamtags"] },
        { "verbs": ["create"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreamimports"] },
        { "verbs": ["get", "update"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreams/layers"] },
        { "verbs": ["get"], "apiGroups": [""], "resources": ["namespaces"] },
        { "verbs": ["get"], "apiGroups": PROJECT_GROUPS, "resources": ["projects"] }
    ])
}

/// `system:image-builder`: push and pull, and create the image stream a push needs.
fn image_builder_rules() -> Value {
    json!([
        { "verbs": ["get", "update"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreams/layers"] },
        { "verbs": ["create"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreams"] },
        { "verbs": ["update"], "apiGroups": ["build.openshift.io", ""], "resources": ["builds/details"] },
        { "verbs": ["get"], "apiGroups": ["build.openshift.io", ""], "resources": ["builds"] }
    ])
}

/// `system:registry`: what the registry itself needs of the API.
fn registry_rules() -> Value {
    json!([
        { "verbs": ["list"], "apiGroups": [""], "resources": ["limitranges", "resourcequotas", "imagestreams"] },
        { "verbs": ["get", "delete"], "apiGroups": IMAGE_GROUPS, "resources": ["images", "imagestreamtags"] },
        { "verbs": ["get"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreamimages", "imagestreams/secrets", "imagestreams/layers"] },
        { "verbs": ["get", "update"], "apiGroups": IMAGE_GROUPS, "resources": ["images", "imagestreams"] },
        { "verbs": ["create"], "apiGroups": IMAGE_GROUPS, "resources": ["imagestreammappings"] }
    ])
}

/// Every seeded object.
pub fn objects() -> Vec<Value> {
    let mut objects: Vec<Value> = [
        "default",
        "kube-system",
        "openshift-config",
        "openshift-config-managed",
        "openshift-image-registry",
        // Where the console keeps its own objects (its signed-out sessions).
        "registry-console",
    ]
    .into_iter()
    .map(namespace)
    .collect();
    for (name, role, ip) in [
        ("master-0", "master", "10.0.0.10"),
        ("master-1", "master", "10.0.0.11"),
        ("master-2", "master", "10.0.0.12"),
        ("worker-0", "worker", "10.0.0.20"),
        ("worker-1", "worker", "10.0.0.21"),
    ] {
        objects.push(node(name, role, ip));
    }
    objects.push(json!({
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": { "name": "standard", "annotations": { "storageclass.kubernetes.io/is-default-class": "true" } },
        "provisioner": "demo.registry-console/shared-filesystem",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate"
    }));
    objects.extend([
        cluster_role("cluster-admin", json!([
            { "verbs": ["*"], "apiGroups": ["*"], "resources": ["*"] },
            { "verbs": ["*"], "nonResourceURLs": ["*"] }
        ])),
        cluster_role("system:discovery", json!([
            { "verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*"] }
        ])),
        cluster_role("system:basic-user", json!([
            { "verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
            { "verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"] }
        ])),
        cluster_role("demo-viewer", viewer_rules()),
        // The registry's roles as OpenShift ships them (origin's bootstrap policy), so the
        // guide's grants (5.1) bind to something and RBAC decides by their rules.
        cluster_role("registry-viewer", registry_viewer_rules()),
        cluster_role("registry-editor", registry_editor_rules()),
        cluster_role("system:image-builder", image_builder_rules()),
        cluster_role("system:registry", registry_rules()),
        // What the cluster's Prometheus scrapes the registry's metrics with (section 5.5's
        // prometheus-scraper is the same rule, made by hand).
        cluster_role("registry-monitoring", json!([
            { "verbs": ["get"], "apiGroups": ["image.openshift.io"], "resources": ["registry/metrics"] }
        ])),
        binding("cluster-admins", "cluster-admin", "Group", "system:masters"),
        binding("system:discovery", "system:discovery", "Group", "system:authenticated"),
        binding("system:basic-user", "system:basic-user", "Group", "system:authenticated"),
        binding("demo-viewer", "demo-viewer", "User", "viewer"),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": { "name": "registry-monitoring" },
            "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "registry-monitoring" },
            "subjects": [{ "kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "openshift-monitoring" }]
        }),
    ]);
    // The operator's own Deployment (section 5.3 lists its pod beside the registry's); the
    // workload simulation gives it a pod, and the simulated operator is what it runs.
    objects.push(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": "cluster-image-registry-operator", "namespace": "openshift-image-registry", "labels": { "name": "cluster-image-registry-operator" }, "annotations": { "release.openshift.io/version": "4.4.0" } },
        "spec": {
            "replicas": 1,
            "selector": { "matchLabels": { "name": "cluster-image-registry-operator" } },
            "template": {
                "metadata": { "labels": { "name": "cluster-image-registry-operator" } },
                "spec": {
                    "serviceAccountName": "cluster-image-registry-operator",
                    "priorityClassName": "system-cluster-critical",
                    "nodeSelector": { "node-role.kubernetes.io/master": "" },
                    "containers": [{
                        "name": "cluster-image-registry-operator",
                        "image": "quay.io/openshift/origin-cluster-image-registry-operator:4.4",
                        "command": ["cluster-image-registry-operator"],
                        "resources": { "requests": { "cpu": "10m", "memory": "50Mi" } }
                    }]
                }
            }
        }
    }));
    objects.push(json!({
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": { "name": "cluster", "finalizers": ["imageregistry.operator.openshift.io/finalizer"] },
        "spec": {
            "managementState": "Removed",
            "replicas": 1,
            "rolloutStrategy": "RollingUpdate",
            "logLevel": "Normal",
            "operatorLogLevel": "Normal",
            "storage": {}
        },
        "status": {
            "conditions": [
                condition("Available", "True", "Removed", "The registry is removed"),
                condition("Progressing", "False", "Removed", "All registry resources are removed"),
                condition("Degraded", "False", "Removed", "The registry is removed"),
                condition("Removed", "True", "Removed", "The image registry is removed"),
                // The certificates controller's, as it reports success (no message).
                { "type": "ImageRegistryCertificatesControllerDegraded", "status": "False", "reason": "AsExpected", "lastTransitionTime": now() }
            ],
            "observedGeneration": 1,
            "readyReplicas": 0,
            "storage": {},
            "storageManaged": false
        }
    }));
    objects.push(json!({
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "ImagePruner",
        "metadata": { "name": "cluster" },
        "spec": {
            "schedule": "",
            "suspend": false,
            "keepTagRevisions": 3,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "ignoreInvalidImageReferences": true,
            "logLevel": "Normal"
        },
        "status": {
            "observedGeneration": 1,
            "conditions": [
                condition("Available", "True", "AsExpected", "Pruner CronJob has been created"),
                condition("Scheduled", "True", "Scheduled", "The pruner job has been scheduled"),
                condition("Failed", "False", "Complete", "Pruner completed successfully")
            ]
        }
    }));
    objects.push(json!({
        "apiVersion": "config.openshift.io/v1",
        "kind": "Image",
        "metadata": { "name": "cluster" },
        "spec": {},
        "status": { "internalRegistryHostname": "" }
    }));
    objects.push(json!({
        "apiVersion": "config.openshift.io/v1",
        "kind": "ClusterOperator",
        "metadata": { "name": "image-registry" },
        "spec": {},
        "status": {
            "conditions": [
                condition("Available", "True", "Removed", "Available: The registry is removed"),
                condition("Progressing", "False", "Removed", "Progressing: All registry resources are removed"),
                condition("Degraded", "False", "Removed", "Degraded: The registry is removed")
            ],
            "versions": [{ "name": "operator", "version": "4.4.0" }],
            "relatedObjects": [
                { "group": "imageregistry.operator.openshift.io", "resource": "configs", "name": "cluster" },
                { "group": "imageregistry.operator.openshift.io", "resource": "imagepruners", "name": "cluster" },
                { "group": "rbac.authorization.k8s.io", "resource": "clusterroles", "name": "system:registry" },
                { "group": "rbac.authorization.k8s.io", "resource": "clusterrolebindings", "name": "registry-registry-role" },
                { "group": "rbac.authorization.k8s.io", "resource": "clusterrolebindings", "name": "openshift-image-registry-pruner" },
                { "group": "", "resource": "namespaces", "name": "openshift-image-registry" }
            ]
        }
    }));
    objects
}
