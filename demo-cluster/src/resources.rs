//! The resource types the demo cluster serves: what discovery lists and what the router
//! accepts. Custom resources carry the schema derived from the model crate.

use std::sync::Arc;

use crate::schema::Schema;

/// How the list and watch output is printed for `kubectl get` (server-side tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printer {
    /// NAME and AGE only.
    Default,
    Pod,
    Deployment,
    Service,
    Pvc,
    Route,
    ClusterOperator,
    Event,
    Node,
    CronJob,
    Job,
    Pv,
    DaemonSet,
}

/// One served resource type.
#[derive(Clone)]
pub struct ResourceType {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    /// The status subresource (writes to the main resource then ignore status).
    pub status_subresource: bool,
    /// `metadata.generation` is kept (bumped on spec changes).
    pub generation: bool,
    /// PUT without a resourceVersion is allowed (true for most built-in types, false for CRs).
    pub unconditional_update: bool,
    /// Only create, no get/list/watch (access reviews).
    pub create_only: bool,
    /// Schema for validation, defaulting and pruning (custom resources).
    pub schema: Option<Arc<Schema>>,
    pub printer: Printer,
}

impl ResourceType {
    /// `v1` or `group/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// True for custom resources (the ones with a schema).
    pub fn is_custom(&self) -> bool {
        self.schema.is_some()
    }

    /// The verbs discovery advertises.
    pub fn verbs(&self) -> Vec<&'static str> {
        if self.create_only {
            vec!["create"]
        } else {
            vec![
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch",
            ]
        }
    }
}

/// A built-in type: cluster-scoped, no short names, no subresources, updated without a
/// resourceVersion when none is given; the methods below say what differs.
fn builtin(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
) -> ResourceType {
    ResourceType {
        group,
        version,
        kind,
        plural,
        namespaced: false,
        short_names: &[],
        status_subresource: false,
        generation: false,
        unconditional_update: true,
        create_only: false,
        schema: None,
        printer: Printer::Default,
    }
}

impl ResourceType {
    fn namespaced(self) -> Self {
        ResourceType {
            namespaced: true,
            ..self
        }
    }

    fn short(self, short_names: &'static [&'static str]) -> Self {
        ResourceType {
            short_names,
            ..self
        }
    }

    fn printed(self, printer: Printer) -> Self {
        ResourceType { printer, ..self }
    }

    /// With a `status` subresource.
    fn with_status(self) -> Self {
        ResourceType {
            status_subresource: true,
            ..self
        }
    }

    /// With a `status` subresource and `metadata.generation` counting spec changes.
    fn with_generation(self) -> Self {
        ResourceType {
            status_subresource: true,
            generation: true,
            ..self
        }
    }

    /// A review: only created, answered and never stored.
    fn create_only(self) -> Self {
        ResourceType {
            create_only: true,
            ..self
        }
    }
}

/// Every resource type served, built-in types first.
pub fn all() -> Vec<ResourceType> {
    use Printer::*;
    const RBAC: &str = "rbac.authorization.k8s.io";
    const AUTHZ: &str = "authorization.k8s.io";
    let mut types = vec![
        builtin("", "v1", "Namespace", "namespaces").short(&["ns"]),
        builtin("", "v1", "Node", "nodes")
            .short(&["no"])
            .printed(Node),
        builtin("", "v1", "Pod", "pods")
            .namespaced()
            .short(&["po"])
            .printed(Pod)
            .with_status(),
        builtin("", "v1", "Service", "services")
            .namespaced()
            .short(&["svc"])
            .printed(Service),
        builtin("", "v1", "ConfigMap", "configmaps")
            .namespaced()
            .short(&["cm"]),
        builtin("", "v1", "Secret", "secrets").namespaced(),
        builtin("", "v1", "ServiceAccount", "serviceaccounts")
            .namespaced()
            .short(&["sa"]),
        builtin("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims")
            .namespaced()
            .short(&["pvc"])
            .printed(Pvc)
            .with_status(),
        builtin("", "v1", "PersistentVolume", "persistentvolumes")
            .short(&["pv"])
            .printed(Pv)
            .with_status(),
        builtin("", "v1", "Event", "events")
            .namespaced()
            .short(&["ev"])
            .printed(Event),
        builtin("apps", "v1", "Deployment", "deployments")
            .namespaced()
            .short(&["deploy"])
            .printed(Deployment)
            .with_generation(),
        builtin("apps", "v1", "DaemonSet", "daemonsets")
            .namespaced()
            .short(&["ds"])
            .printed(DaemonSet)
            .with_generation(),
        builtin("batch", "v1", "CronJob", "cronjobs")
            .namespaced()
            .short(&["cj"])
            .printed(CronJob)
            .with_generation(),
        builtin("batch", "v1", "Job", "jobs")
            .namespaced()
            .printed(Job)
            .with_generation(),
        builtin("storage.k8s.io", "v1", "StorageClass", "storageclasses").short(&["sc"]),
        builtin(RBAC, "v1", "Role", "roles").namespaced(),
        builtin(RBAC, "v1", "RoleBinding", "rolebindings").namespaced(),
        builtin(RBAC, "v1", "ClusterRole", "clusterroles"),
        builtin(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings"),
        builtin(
            AUTHZ,
            "v1",
            "SelfSubjectAccessReview",
            "selfsubjectaccessreviews",
        )
        .create_only(),
        builtin(AUTHZ, "v1", "SubjectAccessReview", "subjectaccessreviews").create_only(),
        builtin(
            AUTHZ,
            "v1",
            "SelfSubjectRulesReview",
            "selfsubjectrulesreviews",
        )
        .create_only(),
        builtin(
            "authentication.k8s.io",
            "v1",
            "SelfSubjectReview",
            "selfsubjectreviews",
        )
        .create_only(),
    ];
    for crd in registry_model::crds::all() {
        types.push(from_crd(&crd));
    }
    types
}

/// A custom resource type from a CRD derived by the model crate.
fn from_crd(
    crd: &k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
) -> ResourceType {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let spec = &crd.spec;
    let version = &spec.versions[0];
    let schema = version
        .schema
        .as_ref()
        .and_then(|s| s.open_api_v3_schema.as_ref())
        .map(|s| serde_json::to_value(s).expect("a derived schema serializes"))
        .expect("every derived CRD has a schema");
    let short_names: &'static [&'static str] = Box::leak(
        spec.names
            .short_names
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|s| leak(s))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let printer = match spec.names.kind.as_str() {
        "ClusterOperator" => Printer::ClusterOperator,
        "Route" => Printer::Route,
        _ => Printer::Default,
    };
    ResourceType {
        group: leak(&spec.group),
        version: leak(&version.name),
        kind: leak(&spec.names.kind),
        plural: leak(&spec.names.plural),
        namespaced: spec.scope == "Namespaced",
        short_names,
        status_subresource: version
            .subresources
            .as_ref()
            .is_some_and(|s| s.status.is_some()),
        generation: true,
        unconditional_update: false,
        create_only: false,
        schema: Some(Arc::new(Schema::new(schema))),
        printer,
    }
}

/// Looks up served types.
#[derive(Clone)]
pub struct Registry {
    types: Arc<Vec<ResourceType>>,
}

impl Registry {
    /// The registry of every served type.
    pub fn new() -> Self {
        Registry {
            types: Arc::new(all()),
        }
    }

    /// All types.
    pub fn types(&self) -> &[ResourceType] {
        &self.types
    }

    /// The type served at `group/version/plural`.
    pub fn find(&self, group: &str, version: &str, plural: &str) -> Option<&ResourceType> {
        self.types
            .iter()
            .find(|t| t.group == group && t.version == version && t.plural == plural)
    }

    /// The type for an apiVersion and kind (for objects in the seed and the state file).
    pub fn by_kind(&self, api_version: &str, kind: &str) -> Option<&ResourceType> {
        self.types
            .iter()
            .find(|t| t.api_version() == api_version && t.kind == kind)
    }

    /// The API groups other than core, in discovery order.
    pub fn groups(&self) -> Vec<(&'static str, &'static str)> {
        let mut groups: Vec<(&'static str, &'static str)> = Vec::new();
        for t in self.types.iter() {
            if !t.group.is_empty() && !groups.contains(&(t.group, t.version)) {
                groups.push((t.group, t.version));
            }
        }
        groups
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}
