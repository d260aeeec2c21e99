//! The operator's certificates controller (`registry-api.md` §3, §5): ConfigMap
//! `image-registry-certificates` in the registry's namespace holds every key of the
//! ConfigMap in `openshift-config` that `images.config.openshift.io/cluster` names in
//! `spec.additionalTrustedCA` (node-ca copies each key to every node's
//! `/etc/docker/certs.d/HOST:PORT/ca.crt`). It runs in every management state, as the real
//! controller does. A reference to a ConfigMap that does not exist is not silent: the
//! config gets condition `ImageRegistryCertificatesControllerDegraded` (reason `Error`, the
//! API's words), which the ClusterOperator's Degraded takes up.
//!
//! The real ConfigMap also carries the service CA for the registry's own hostnames; the
//! demo cluster runs no service-ca operator, so it has only the trusted CAs.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, PostParams};
use kube::{Client, ResourceExt};
use registry_model::Image;
use registry_model::condition::{Condition, ConditionStatus};
use registry_model::names::{
    CONFIG_NAMESPACE, REGISTRY_CERTIFICATES, REGISTRY_NAMESPACE, SINGLETON,
};

use crate::operator::Error;
use crate::timestamp::now;

/// The condition the controller reports on the registry's config.
pub const CONDITION: &str = "ImageRegistryCertificatesControllerDegraded";

/// Brings `image-registry-certificates` in line with the trusted CAs; the condition says
/// whether that worked.
pub async fn sync(client: &Client) -> Result<Condition, Error> {
    let wanted = match wanted_data(client).await? {
        Ok(data) => data,
        Err(message) => return Ok(degraded(Some(message))),
    };
    let (data, binary_data) = wanted;
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), REGISTRY_NAMESPACE);
    match api.get_opt(REGISTRY_CERTIFICATES).await? {
        None => {
            let map = ConfigMap {
                metadata: ObjectMeta {
                    name: Some(REGISTRY_CERTIFICATES.into()),
                    namespace: Some(REGISTRY_NAMESPACE.into()),
                    annotations: Some(BTreeMap::from([(
                        "openshift.io/owning-component".into(),
                        "Image Registry".into(),
                    )])),
                    ..ObjectMeta::default()
                },
                data: Some(data),
                binary_data: Some(binary_data),
                ..ConfigMap::default()
            };
            api.create(&PostParams::default(), &map).await?;
        }
        Some(mut existing) => {
            let same = existing.data.clone().unwrap_or_default() == data
                && existing.binary_data.clone().unwrap_or_default() == binary_data;
            if !same {
                // A replace at the version read: keys of a removed CA go too (a merge patch
                // would keep them), and a concurrent edit makes this round fail and retry.
                existing.data = Some(data);
                existing.binary_data = Some(binary_data);
                api.replace(&existing.name_any(), &PostParams::default(), &existing)
                    .await?;
            }
        }
    }
    Ok(degraded(None))
}

type Data = (
    BTreeMap<String, String>,
    BTreeMap<String, k8s_openapi::ByteString>,
);

/// What the ConfigMap should hold, or why it cannot be built (the referenced ConfigMap
/// does not exist).
async fn wanted_data(client: &Client) -> Result<Result<Data, String>, Error> {
    let image = Api::<Image>::all(client.clone()).get_opt(SINGLETON).await?;
    let Some(name) = image
        .and_then(|i| i.spec.additional_trusted_ca)
        .map(|r| r.name)
        .filter(|n| !n.is_empty())
    else {
        return Ok(Ok(Data::default()));
    };
    let source = Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE)
        .get_opt(&name)
        .await?;
    Ok(match source {
        None => Err(format!(
            "{REGISTRY_CERTIFICATES}: configmap {name:?} not found in {CONFIG_NAMESPACE} (named by images.config.openshift.io/cluster spec.additionalTrustedCA)"
        )),
        Some(source) => Ok((
            source.data.unwrap_or_default(),
            source.binary_data.unwrap_or_default(),
        )),
    })
}

fn degraded(message: Option<String>) -> Condition {
    Condition {
        type_: CONDITION.into(),
        status: ConditionStatus::from_bool(message.is_some()),
        last_transition_time: now(),
        reason: Some(
            if message.is_some() {
                "Error"
            } else {
                "AsExpected"
            }
            .into(),
        ),
        message,
    }
}
