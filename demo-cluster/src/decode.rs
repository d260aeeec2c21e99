//! Request bodies as kube-apiserver decodes them, before anything looks inside: an object
//! must be a JSON object, and a built-in one must decode into its type (k8s-openapi's here,
//! Go's there). A body that does not is a 400 and is never stored, so every client that
//! reads the object back (the console's typed kube-rs calls among them) can decode it.

use serde::de::DeserializeOwned;
use serde_json::Value;

use k8s_openapi::api::{apps, batch, core, rbac, storage};

use crate::api_error::ApiError;
use crate::resources::ResourceType;

/// Refuses a body that is not an object of `rt`'s kind, with kube-apiserver's reason.
pub fn check(rt: &ResourceType, body: &Value) -> Result<(), ApiError> {
    if !body.is_object() {
        return Err(refused(rt, "the body is not a JSON object"));
    }
    if rt.is_custom() {
        // Custom resources are checked against their schema (`validation::admit`).
        return Ok(());
    }
    let decodes = match (rt.group, rt.plural) {
        ("", "namespaces") => decodes::<core::v1::Namespace>(body),
        ("", "nodes") => decodes::<core::v1::Node>(body),
        ("", "pods") => decodes::<core::v1::Pod>(body),
        ("", "services") => decodes::<core::v1::Service>(body),
        ("", "configmaps") => decodes::<core::v1::ConfigMap>(body),
        ("", "secrets") => decodes::<core::v1::Secret>(body),
        ("", "serviceaccounts") => decodes::<core::v1::ServiceAccount>(body),
        ("", "persistentvolumeclaims") => decodes::<core::v1::PersistentVolumeClaim>(body),
        ("", "persistentvolumes") => decodes::<core::v1::PersistentVolume>(body),
        ("", "events") => decodes::<core::v1::Event>(body),
        ("apps", "daemonsets") => decodes::<apps::v1::DaemonSet>(body),
        ("apps", "deployments") => decodes::<apps::v1::Deployment>(body),
        ("batch", "cronjobs") => decodes::<batch::v1::CronJob>(body),
        ("batch", "jobs") => decodes::<batch::v1::Job>(body),
        ("storage.k8s.io", "storageclasses") => decodes::<storage::v1::StorageClass>(body),
        ("rbac.authorization.k8s.io", "roles") => decodes::<rbac::v1::Role>(body),
        ("rbac.authorization.k8s.io", "rolebindings") => decodes::<rbac::v1::RoleBinding>(body),
        ("rbac.authorization.k8s.io", "clusterroles") => decodes::<rbac::v1::ClusterRole>(body),
        ("rbac.authorization.k8s.io", "clusterrolebindings") => {
            decodes::<rbac::v1::ClusterRoleBinding>(body)
        }
        // Reviews are decoded where they are answered.
        _ => Ok(()),
    };
    decodes.map_err(|why| refused(rt, &why))
}

fn decodes<T: DeserializeOwned>(body: &Value) -> Result<(), String> {
    T::deserialize(body).map(drop).map_err(|e| e.to_string())
}

/// kube-apiserver's words for a body it cannot decode.
fn refused(rt: &ResourceType, why: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{kind} in version \"{version}\" cannot be handled as a {kind}: {why}",
        kind = rt.kind,
        version = rt.version
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rt(plural: &str) -> ResourceType {
        crate::resources::all()
            .into_iter()
            .find(|rt| rt.plural == plural)
            .unwrap()
    }

    #[test]
    fn bodies_that_do_not_decode_are_refused_before_anything_reads_them() {
        let refused = [
            (
                "namespaces",
                json!({"metadata": {"name": "x"}, "spec": "x"}),
            ),
            ("secrets", json!({"metadata": {"name": "x"}, "data": "x"})),
            (
                "secrets",
                json!({"metadata": {"name": "x"}, "data": {"k": "not base64!"}}),
            ),
            (
                "configmaps",
                json!({"metadata": {"name": "x"}, "data": {"a": 5}}),
            ),
            ("configmaps", json!([])),
            (
                "pods",
                json!({"metadata": {"name": "x"}, "spec": {"containers": "x"}}),
            ),
            ("configs", json!("x")),
        ];
        for (plural, body) in refused {
            let error = check(&rt(plural), &body).expect_err(&body.to_string());
            assert_eq!(error.code.as_u16(), 400, "{plural}: {body}");
        }
        let fine = [
            ("namespaces", json!({"metadata": {"name": "x"}})),
            (
                "configmaps",
                json!({"metadata": {"name": "x"}, "data": {"a": "5"}}),
            ),
            (
                "secrets",
                json!({"metadata": {"name": "x"}, "data": {"k": "djE="}}),
            ),
            (
                "configs",
                json!({"spec": {"anything": "the schema decides"}}),
            ),
        ];
        for (plural, body) in fine {
            assert!(check(&rt(plural), &body).is_ok(), "{plural}: {body}");
        }
    }
}
