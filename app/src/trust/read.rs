//! Reading the trusted CAs as the signed-in user: the image config, the ConfigMap it
//! names, and `image-registry-certificates` (what the registry and node-ca use), each
//! bundle read as X.509 here on the server. Parts the user may not read are named, not
//! fatal.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use registry_model::names::{
    CONFIG_NAMESPACE, REGISTRY_CERTIFICATES, REGISTRY_NAMESPACE, SINGLETON,
};
use registry_model::trust::{CA_FIELD, inspect, registry_of_key};
use registry_model::{Config, Image};
use sha2::{Digest, Sha256};

use super::view::{CaEntry, ImageSettings, Reached, Source, Trust};

/// The condition the operator's certificates controller reports on the registry's config.
const CERTIFICATES_CONDITION: &str = "ImageRegistryCertificatesControllerDegraded";

/// A short digest of an entry's value: enough to tell whether it changed.
pub fn digest(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads what the page shows, judged at `now`.
pub async fn read(client: &kube::Client, now: DateTime<Utc>) -> Result<Trust, kube::Error> {
    let image = Api::<Image>::all(client.clone()).get(SINGLETON).await?;
    let mut unreadable = Vec::new();
    let reference = image
        .spec
        .additional_trusted_ca
        .as_ref()
        .map(|r| r.name.clone())
        .filter(|n| !n.is_empty());
    let config_maps = Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE);
    let registry_copy = Api::<ConfigMap>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let configs = Api::<Config>::all(client.clone());
    let (source, copy, config) = tokio::join!(
        async {
            match &reference {
                Some(name) => Some(config_maps.get_opt(name).await),
                None => None,
            }
        },
        registry_copy.get_opt(REGISTRY_CERTIFICATES),
        configs.get_opt(SINGLETON),
    );
    let copy: Option<BTreeMap<String, String>> = match copy {
        Ok(map) => Some(map.and_then(|m| m.data).unwrap_or_default()),
        Err(kube::Error::Api(status)) if status.code == 403 => {
            unreadable.push(format!(
                "configmap {REGISTRY_CERTIFICATES} in {REGISTRY_NAMESPACE}: {}",
                status.message
            ));
            None
        }
        Err(error) => return Err(error),
    };
    let operator_error = match config {
        Ok(config) => config
            .and_then(|c| c.status)
            .and_then(|s| {
                s.conditions
                    .into_iter()
                    .find(|c| c.type_ == CERTIFICATES_CONDITION)
            })
            .filter(|c| c.status == registry_model::condition::ConditionStatus::True)
            .map(|c| c.message.unwrap_or_default()),
        Err(kube::Error::Api(status)) if status.code == 403 => None,
        Err(error) => return Err(error),
    };
    let source = match (reference, source) {
        (None, _) | (Some(_), None) => Source::NotReferenced,
        (Some(name), Some(Ok(None))) => Source::Missing { name },
        (Some(name), Some(Err(kube::Error::Api(status)))) if status.code == 403 => {
            Source::Unreadable {
                name,
                why: status.message,
            }
        }
        (Some(_), Some(Err(error))) => return Err(error),
        (Some(name), Some(Ok(Some(map)))) => Source::Present {
            name,
            resource_version: map.metadata.resource_version.clone().unwrap_or_default(),
            entries: entries(&map.data.unwrap_or_default(), copy.as_ref(), now),
        },
    };
    let spec = image.spec;
    let editable = registry_model::image_config::ImageSources::from(&spec);
    let sources = spec.registry_sources.unwrap_or_default();
    let names = |list: Option<Vec<registry_model::image_config::RegistryName>>| {
        list.unwrap_or_default().into_iter().map(|n| n.0).collect()
    };
    let status = image.status.unwrap_or_default();
    Ok(Trust {
        generated_at: now,
        image_version: image.metadata.resource_version.unwrap_or_default(),
        source,
        operator_error,
        image: ImageSettings {
            allowed_for_import: spec
                .allowed_registries_for_import
                .unwrap_or_default()
                .into_iter()
                .map(|l| {
                    (
                        l.domain_name.unwrap_or_default(),
                        l.insecure.unwrap_or(false),
                    )
                })
                .collect(),
            insecure_registries: names(sources.insecure_registries),
            blocked_registries: names(sources.blocked_registries),
            allowed_registries: names(sources.allowed_registries),
            search_registries: sources
                .container_runtime_search_registries
                .unwrap_or_default(),
            external_hostnames: spec.external_registry_hostnames.unwrap_or_default(),
            status_internal_hostname: status.internal_registry_hostname.filter(|h| !h.is_empty()),
            status_external_hostnames: status.external_registry_hostnames.unwrap_or_default(),
        },
        sources: editable,
        unreadable,
    })
}

/// Each key of the ConfigMap, read as X.509, and whether `copy` (the registry's
/// certificates, when readable) has the same bundle.
fn entries(
    data: &BTreeMap<String, String>,
    copy: Option<&BTreeMap<String, String>>,
    now: DateTime<Utc>,
) -> Vec<CaEntry> {
    data.iter()
        .map(|(key, value)| {
            let (bundle, warnings) = match inspect(value, now.timestamp(), CA_FIELD) {
                Ok(bundle) => (Ok(bundle.certificates), bundle.warnings),
                Err(message) => (Err(message), Vec::new()),
            };
            let reached = match copy.map(|c| c.get(key)) {
                None => Reached::Unknown,
                Some(None) => Reached::NotYet,
                Some(Some(there)) if there == value => Reached::Yes,
                Some(Some(_)) => Reached::Older,
            };
            CaEntry {
                key: key.clone(),
                registry: registry_of_key(key),
                bundle,
                warnings,
                reached,
                digest: digest(value),
            }
        })
        .collect()
}
