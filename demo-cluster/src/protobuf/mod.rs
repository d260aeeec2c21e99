//! kubectl's protobuf bodies. kubectl sends built-in kinds as protobuf (`kubectl create
//! secret|configmap|namespace|rolebinding|clusterrolebinding|deployment ...`, `auth
//! can-i`); the demo cluster decodes them with k8s-pb's generated types and stores their
//! JSON form, as kube-apiserver decodes into its own types. Custom resources always come as
//! JSON.

mod json;

use k8s_pb::api::{apps, authentication, authorization, batch, core, rbac, storage};
use k8s_pb::apimachinery::pkg::{apis::meta, runtime::Unknown};
use prost::Message;
use serde_json::{Value, json};

use crate::api_error::ApiError;
use json::ToJson;

/// The media type kubectl uses for built-in types.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// The four bytes before every Kubernetes protobuf body.
const MAGIC: &[u8] = b"k8s\0";

fn decode<M: Message + Default + ToJson>(raw: &[u8], kind: &str) -> Result<Value, ApiError> {
    let message = M::decode(raw).map_err(|e| {
        ApiError::bad_request(format!("the protobuf body is not a valid {kind}: {e}"))
    })?;
    Ok(message.to_json().unwrap_or_else(|| json!({})))
}

/// Decodes a body kubectl sent as protobuf into its JSON form, with `apiVersion` and `kind`.
pub fn decode_object(body: &[u8]) -> Result<Value, ApiError> {
    let unknown = body
        .strip_prefix(MAGIC)
        .and_then(|rest| Unknown::decode(rest).ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "the body is not Kubernetes protobuf (it must start with k8s\\0 and an envelope); send JSON or what kubectl sends",
            )
        })?;
    let type_meta = unknown.type_meta.unwrap_or_default();
    let api_version = type_meta.api_version.unwrap_or_default();
    let kind = type_meta.kind.unwrap_or_default();
    let raw = unknown.raw.unwrap_or_default();
    macro_rules! kinds {
        ($($av:literal $k:literal => $ty:ty,)*) => {
            match (api_version.as_str(), kind.as_str()) {
                $(($av, $k) => decode::<$ty>(&raw, $k)?,)*
                _ => return Err(ApiError::bad_request(format!(
                    "the demo cluster does not serve {kind} in {api_version}, so it cannot read it as protobuf"
                ))),
            }
        };
    }
    let mut object = kinds! {
        "v1" "Namespace" => core::v1::Namespace,
        "v1" "Node" => core::v1::Node,
        "v1" "Pod" => core::v1::Pod,
        "v1" "Service" => core::v1::Service,
        "v1" "ConfigMap" => core::v1::ConfigMap,
        "v1" "Secret" => core::v1::Secret,
        "v1" "ServiceAccount" => core::v1::ServiceAccount,
        "v1" "PersistentVolumeClaim" => core::v1::PersistentVolumeClaim,
        "v1" "PersistentVolume" => core::v1::PersistentVolume,
        "v1" "Event" => core::v1::Event,
        "v1" "DeleteOptions" => meta::v1::DeleteOptions,
        "apps/v1" "Deployment" => apps::v1::Deployment,
        "apps/v1" "DaemonSet" => apps::v1::DaemonSet,
        "batch/v1" "Job" => batch::v1::Job,
        "batch/v1" "CronJob" => batch::v1::CronJob,
        "storage.k8s.io/v1" "StorageClass" => storage::v1::StorageClass,
        "rbac.authorization.k8s.io/v1" "Role" => rbac::v1::Role,
        "rbac.authorization.k8s.io/v1" "RoleBinding" => rbac::v1::RoleBinding,
        "rbac.authorization.k8s.io/v1" "ClusterRole" => rbac::v1::ClusterRole,
        "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" => rbac::v1::ClusterRoleBinding,
        "authorization.k8s.io/v1" "SelfSubjectAccessReview" => authorization::v1::SelfSubjectAccessReview,
        "authorization.k8s.io/v1" "SubjectAccessReview" => authorization::v1::SubjectAccessReview,
        "authorization.k8s.io/v1" "SelfSubjectRulesReview" => authorization::v1::SelfSubjectRulesReview,
        "authentication.k8s.io/v1" "SelfSubjectReview" => authentication::v1::SelfSubjectReview,
    };
    object["apiVersion"] = json!(api_version);
    object["kind"] = json!(kind);
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_pb::api::core::v1 as pb;
    use k8s_pb::apimachinery::pkg::apis::meta::v1 as pb_meta;
    use k8s_pb::apimachinery::pkg::runtime::TypeMeta;
    use k8s_pb::apimachinery::pkg::{api::resource::Quantity, util::intstr::IntOrString};
    use serde::de::DeserializeOwned;

    /// A body as kubectl sends it: the magic, then the envelope around the message.
    fn body(api_version: &str, kind: &str, message: impl Message) -> Vec<u8> {
        let envelope = Unknown {
            type_meta: Some(TypeMeta {
                api_version: Some(api_version.into()),
                kind: Some(kind.into()),
            }),
            raw: Some(message.encode_to_vec()),
            content_encoding: Some(String::new()),
            content_type: Some(String::new()),
        };
        [MAGIC, &envelope.encode_to_vec()].concat()
    }

    fn meta(name: &str, namespace: &str) -> Option<pb_meta::ObjectMeta> {
        Some(pb_meta::ObjectMeta {
            name: Some(name.into()),
            namespace: Some(namespace.into()),
            ..Default::default()
        })
    }

    /// The JSON the demo stores reads into k8s-openapi's type and writes back unchanged: no
    /// field under a name k8s-openapi does not know, none lost.
    fn same_through_k8s_openapi<T: DeserializeOwned + serde::Serialize>(v: &Value) {
        let typed: T = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(&serde_json::to_value(typed).unwrap(), v);
    }

    #[test]
    fn reads_a_role_binding_as_kubectl_create_rolebinding_sends_it() {
        let binding = rbac::v1::RoleBinding {
            metadata: meta("registry-viewer", "team-a"),
            subjects: vec![rbac::v1::Subject {
                kind: Some("ServiceAccount".into()),
                name: Some("builder".into()),
                namespace: Some("team-a".into()),
                api_group: Some(String::new()),
            }],
            role_ref: Some(rbac::v1::RoleRef {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: Some("ClusterRole".into()),
                name: Some("registry-viewer".into()),
            }),
        };
        let v = decode_object(&body(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            binding,
        ))
        .unwrap();
        assert_eq!(v["kind"], "RoleBinding");
        assert_eq!(v["roleRef"]["name"], "registry-viewer");
        assert_eq!(v["subjects"][0]["namespace"], "team-a");
        same_through_k8s_openapi::<k8s_openapi::api::rbac::v1::RoleBinding>(&v);
    }

    #[test]
    fn reads_secrets_as_bytes_and_config_maps_as_text() {
        let secret = pb::Secret {
            metadata: meta(
                "image-registry-private-configuration-user",
                "openshift-image-registry",
            ),
            data: [(
                "REGISTRY_STORAGE_S3_SECRETKEY".to_string(),
                b"s3cr\0t".to_vec(),
            )]
            .into(),
            r#type: Some("Opaque".into()),
            immutable: Some(true),
            ..Default::default()
        };
        let v = decode_object(&body("v1", "Secret", secret)).unwrap();
        assert_eq!(v["data"]["REGISTRY_STORAGE_S3_SECRETKEY"], "czNjcgB0");
        assert_eq!(v["immutable"], true);
        same_through_k8s_openapi::<k8s_openapi::api::core::v1::Secret>(&v);

        let cm = pb::ConfigMap {
            metadata: meta("registry-cas", "openshift-config"),
            data: [(
                "registry.example.com..5000".to_string(),
                "-----BEGIN CERTIFICATE-----".to_string(),
            )]
            .into(),
            ..Default::default()
        };
        let v = decode_object(&body("v1", "ConfigMap", cm)).unwrap();
        assert_eq!(
            v["data"]["registry.example.com..5000"],
            "-----BEGIN CERTIFICATE-----"
        );
        same_through_k8s_openapi::<k8s_openapi::api::core::v1::ConfigMap>(&v);
    }

    /// The special shapes: times, quantities, ints-or-strings, an embedded struct (a
    /// container's fields), names with acronyms (`hostIP`), and an empty message kept as `{}`.
    #[test]
    fn reads_a_deployment_with_every_special_shape() {
        let container = pb::Container {
            name: Some("web".into()),
            image: Some("quay.io/example/web:1".into()),
            command: vec!["serve".into()],
            ports: vec![pb::ContainerPort {
                container_port: Some(8080),
                protocol: Some("TCP".into()),
                ..Default::default()
            }],
            resources: Some(pb::ResourceRequirements {
                limits: [(
                    "memory".to_string(),
                    Quantity {
                        string: Some("256Mi".into()),
                    },
                )]
                .into(),
                ..Default::default()
            }),
            env_from: vec![pb::EnvFromSource {
                config_map_ref: Some(pb::ConfigMapEnvSource {
                    local_object_reference: Some(pb::LocalObjectReference {
                        name: Some("settings".into()),
                    }),
                    optional: Some(true),
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        let labels: std::collections::BTreeMap<String, String> =
            [("app".to_string(), "web".to_string())].into();
        let deployment = apps::v1::Deployment {
            metadata: Some(pb_meta::ObjectMeta {
                name: Some("web".into()),
                labels: labels.clone(),
                creation_timestamp: Some(pb_meta::Time {
                    seconds: Some(1_700_000_000),
                    nanos: Some(0),
                }),
                ..Default::default()
            }),
            spec: Some(apps::v1::DeploymentSpec {
                replicas: Some(2),
                selector: Some(pb_meta::LabelSelector {
                    match_labels: labels.clone(),
                    ..Default::default()
                }),
                template: Some(pb::PodTemplateSpec {
                    metadata: Some(pb_meta::ObjectMeta {
                        labels,
                        ..Default::default()
                    }),
                    spec: Some(pb::PodSpec {
                        containers: vec![container],
                        host_ipc: Some(false),
                        security_context: Some(pb::PodSecurityContext::default()),
                        ..Default::default()
                    }),
                }),
                strategy: Some(apps::v1::DeploymentStrategy {
                    r#type: Some("RollingUpdate".into()),
                    rolling_update: Some(apps::v1::RollingUpdateDeployment {
                        max_unavailable: Some(IntOrString {
                            r#type: Some(0),
                            int_val: Some(1),
                            str_val: None,
                        }),
                        max_surge: Some(IntOrString {
                            r#type: Some(1),
                            int_val: None,
                            str_val: Some("25%".into()),
                        }),
                    }),
                }),
                ..Default::default()
            }),
            status: Some(apps::v1::DeploymentStatus::default()),
        };
        let v = decode_object(&body("apps/v1", "Deployment", deployment)).unwrap();
        assert_eq!(v["metadata"]["creationTimestamp"], "2023-11-14T22:13:20Z");
        let pod = &v["spec"]["template"]["spec"];
        assert_eq!(pod["hostIPC"], false);
        assert_eq!(pod["securityContext"], json!({}));
        assert_eq!(
            pod["containers"][0]["resources"]["limits"]["memory"],
            "256Mi"
        );
        assert_eq!(
            pod["containers"][0]["envFrom"][0]["configMapRef"],
            json!({"name": "settings", "optional": true})
        );
        assert_eq!(
            v["spec"]["strategy"]["rollingUpdate"],
            json!({"maxUnavailable": 1, "maxSurge": "25%"})
        );
        same_through_k8s_openapi::<k8s_openapi::api::apps::v1::Deployment>(&v);
    }

    #[test]
    fn reads_access_reviews_as_kubectl_auth_can_i_sends_them() {
        let review = authorization::v1::SelfSubjectAccessReview {
            spec: Some(authorization::v1::SelfSubjectAccessReviewSpec {
                resource_attributes: Some(authorization::v1::ResourceAttributes {
                    verb: Some("patch".into()),
                    group: Some("imageregistry.operator.openshift.io".into()),
                    resource: Some("configs".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let v = decode_object(&body(
            "authorization.k8s.io/v1",
            "SelfSubjectAccessReview",
            review,
        ))
        .unwrap();
        assert_eq!(
            v["spec"]["resourceAttributes"],
            json!({"verb": "patch", "group": "imageregistry.operator.openshift.io", "resource": "configs"})
        );
    }

    #[test]
    fn refuses_garbage_and_kinds_it_does_not_serve_saying_which() {
        let err = |b: &[u8]| format!("{:?}", decode_object(b).unwrap_err());
        assert!(
            err(b"{}").contains("not Kubernetes protobuf"),
            "{}",
            err(b"{}")
        );
        let truncated = &body(
            "v1",
            "Secret",
            pb::Secret {
                metadata: meta("x", "y"),
                ..Default::default()
            },
        );
        let mut broken = truncated.clone();
        broken.truncate(truncated.len() - 3);
        assert!(decode_object(&broken).is_err());
        let ingress = err(&body(
            "networking.k8s.io/v1",
            "Ingress",
            pb::Secret::default(),
        ));
        assert!(ingress.contains("does not serve Ingress"), "{ingress}");
        // The right envelope around bytes that do not fit the kind: field 1 (metadata, a
        // message) as a number.
        let mut wrong = body("v1", "Namespace", pb::Namespace::default());
        let raw = Unknown::decode(&wrong[MAGIC.len()..]).unwrap();
        wrong.truncate(MAGIC.len());
        wrong.extend(
            Unknown {
                raw: Some(vec![0x08, 0x01]),
                ..raw
            }
            .encode_to_vec(),
        );
        assert!(
            err(&wrong).contains("not a valid Namespace"),
            "{}",
            err(&wrong)
        );
    }
}
