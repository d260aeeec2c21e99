//! Names the registry operator and the guide fix: namespaces, singleton objects, secrets.

/// Namespace of the registry, its operator-managed objects and the credentials secret.
pub const REGISTRY_NAMESPACE: &str = "openshift-image-registry";
/// Namespace of the cluster-wide config maps (`additionalTrustedCA`, S3 `trustedCA`).
pub const CONFIG_NAMESPACE: &str = "openshift-config";
/// The only `configs.imageregistry` / `imagepruners` / `images.config` object that counts.
pub const SINGLETON: &str = "cluster";
/// The registry's ClusterOperator.
pub const CLUSTER_OPERATOR: &str = "image-registry";
/// Deployment and Service of the registry.
pub const REGISTRY_DEPLOYMENT: &str = "image-registry";
/// The PVC the operator creates when `storage.pvc.claim` is empty.
pub const DEFAULT_CLAIM: &str = "image-registry-storage";
/// The route created when `spec.defaultRoute` is true.
pub const DEFAULT_ROUTE: &str = "default-route";
/// The administrator-owned credentials secret (`registry-api.md` §4).
pub const CREDENTIALS_SECRET: &str = "image-registry-private-configuration-user";

/// The cloud credentials the cloud credential operator mints for the registry; the operator
/// reads them only while [`CREDENTIALS_SECRET`] does not exist.
pub const CLUSTER_CREDENTIALS_SECRET: &str = "installer-cloud-credentials";
/// Port of the registry Service.
pub const REGISTRY_PORT: i32 = 5000;
/// Internal pull spec host while the Service exists.
pub const INTERNAL_HOSTNAME: &str = "image-registry.openshift-image-registry.svc:5000";
/// Label on the registry's pods and the Deployment's selector.
pub const REGISTRY_POD_LABEL: (&str, &str) = ("docker-registry", "default");
/// The ConfigMap in the registry's namespace the operator builds from the trusted CAs
/// (`registry-api.md` §5); node-ca copies it to every node.
pub const REGISTRY_CERTIFICATES: &str = "image-registry-certificates";
/// Annotation the operator puts on objects it created and owns.
pub const OWNED_ANNOTATION: &str = "imageregistry.openshift.io";

/// The registry config's resource as `oc` names it.
pub const CONFIG_RESOURCE: &str = "configs.imageregistry.operator.openshift.io";

/// The image pruner's resource as `oc` names it.
pub const PRUNER_RESOURCE: &str = "imagepruners.imageregistry.operator.openshift.io";
