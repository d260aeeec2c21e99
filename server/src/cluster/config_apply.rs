//! Every change to the registry config and its credentials secret, made as the signed-in
//! user (`design.md`, Write): the shared rules run again (the server is the authority),
//! the merge patch carries only the fields the user changed, a dry run lets the API's own
//! refusals come back per field, then the write goes out with the resourceVersion the page
//! showed as precondition. A conflict says what changed meanwhile; when only the operator
//! changed fields the user did not touch, the change is rebased and the user is told.
//!
//! Credential values are write-only: they arrive as [`SecretValue`]s, leave only in the
//! secret's `data`, and nothing returned here names one.
//!
//! [`SecretValue`]: app::models::config::SecretValue

use std::collections::BTreeMap;

use app::models::config::{
    ApplyOutcome, ConfigChange, ConfigReview, CredentialEdit, CredentialsStatus, FieldChange,
    ShownConfig, mask_spec,
};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use registry_model::Config;
use registry_model::change::{SecretSource, merge_patch, oc_patch, oc_secret, yaml_diff};
use registry_model::names::{CREDENTIALS_SECRET, REGISTRY_NAMESPACE, SINGLETON};
use registry_model::registry_config::{ConfigSpec, StorageKind};
use registry_model::validation::names::is_dns1123_subdomain;
use registry_model::validation::settings::validate_settings;
use registry_model::validation::storage::{
    ClaimInfo, StorageChoice, StorageContext, credential_keys, gcs_keyfile_problem,
    validate_storage,
};
use registry_model::validation::{Finding, blocks};
use serde_json::{Value, json};

use super::merge_write::{Sent, changes, fields, leaf_paths, send};

/// The resource name `oc` takes for the config.
pub const CONFIG_RESOURCE: &str = "configs.imageregistry.operator.openshift.io";

/// Fields the operator itself writes into the spec (`registry-api.md` §9.2): a change made
/// meanwhile to these alone, and not to what the user edits, is rebased over.
const OPERATOR_FIELDS: &[&str] = &[
    "spec.httpSecret",
    "spec.observedConfig",
    "spec.storage.managementState",
    "spec.storage.pvc.claim",
    "spec.storage.s3.bucket",
    "spec.storage.s3.region",
    "spec.storage.s3.encrypt",
    "spec.storage.gcs.bucket",
    "spec.storage.gcs.projectID",
    "spec.storage.azure.accountName",
    "spec.storage.azure.container",
    "spec.storage.swift.container",
];

/// How many times a change is rebased before the user is asked to review it again.
const MAX_REBASES: usize = 3;

/// The providers whose credentials the console writes.
const CLOUD_KINDS: [StorageKind; 5] = [
    StorageKind::S3,
    StorageKind::Gcs,
    StorageKind::Azure,
    StorageKind::Swift,
    StorageKind::IbmCos,
];

/// Reads the config and which credential keys are stored, as the form shows them.
pub async fn read(client: &kube::Client) -> Result<ShownConfig, kube::Error> {
    let config = Api::<Config>::all(client.clone()).get(SINGLETON).await?;
    Ok(ShownConfig {
        resource_version: config.metadata.resource_version.unwrap_or_default(),
        spec: mask_spec(config.spec),
        credentials: read_credentials(client).await?,
    })
}

/// The review step: the rules' findings and the API's (from a dry run), the YAML diff and
/// the `oc` commands. Nothing is written.
pub async fn preview(
    client: &kube::Client,
    change: &ConfigChange,
) -> Result<ConfigReview, kube::Error> {
    let stored = read_credentials(client).await?;
    let desired = change.edits.apply_to(&change.shown.spec);
    let patch = spec_patch(&change.shown.spec, &desired);
    let mut findings = check(client, &desired, change, &stored).await?;
    if !blocks(&findings) {
        if let Some(patch) = &patch {
            // No precondition here: a stale page is caught when applying, with what changed.
            let configs = Api::<Config>::all(client.clone());
            if let Sent::Refused(api) = send(&configs, patch, None, true).await? {
                findings.extend(api);
            }
        }
        if !change.credentials().is_empty() {
            write_secret(client, change, true).await?;
        }
    }
    let sources: Vec<(String, SecretSource)> = change
        .credentials()
        .iter()
        .map(|c| {
            let source = match &c.file_name {
                Some(name) => SecretSource::File(name.clone()),
                None => SecretSource::Literal,
            };
            (c.key.clone(), source)
        })
        .collect();
    Ok(ConfigReview {
        blocked: blocks(&findings),
        findings,
        diff: match &patch {
            Some(_) => yaml_diff(
                &json!({ "spec": change.shown.spec }),
                &json!({ "spec": desired }),
            ),
            None => Vec::new(),
        },
        oc_patch: patch
            .as_ref()
            .map(|p| oc_patch(CONFIG_RESOURCE, SINGLETON, None, p)),
        oc_secret: (!sources.is_empty()).then(|| {
            oc_secret(
                REGISTRY_NAMESPACE,
                CREDENTIALS_SECRET,
                stored.exists,
                &sources,
            )
        }),
        secret_keys: change.secret_keys(),
        patch,
    })
}

/// Applies a change: the rules, a dry run, the merge patch with the shown resourceVersion
/// as precondition (rebased over the operator's own changes when that is safe), then the
/// credential keys.
pub async fn apply(
    client: &kube::Client,
    change: &ConfigChange,
) -> Result<ApplyOutcome, kube::Error> {
    let stored = read_credentials(client).await?;
    let desired = change.edits.apply_to(&change.shown.spec);
    let patch = spec_patch(&change.shown.spec, &desired);
    let credentials = change.credentials();
    if patch.is_none() && credentials.is_empty() {
        return Ok(ApplyOutcome::Unchanged);
    }
    let findings = check(client, &desired, change, &stored).await?;
    if blocks(&findings) {
        return Ok(ApplyOutcome::Refused { findings });
    }
    let mut resource_version = change.shown.resource_version.clone();
    let mut rebased_over = Vec::new();
    if let Some(patch) = &patch {
        let configs = Api::<Config>::all(client.clone());
        let mut rebases = 0;
        loop {
            let mut sent = send(&configs, patch, Some(&resource_version), true).await?;
            if matches!(sent, Sent::Done(_)) {
                if !credentials.is_empty() {
                    write_secret(client, change, true).await?;
                }
                sent = send(&configs, patch, Some(&resource_version), false).await?;
            }
            match sent {
                Sent::Done(config) => {
                    resource_version = config.metadata.resource_version.unwrap_or_default();
                    break;
                }
                Sent::Refused(findings) => return Ok(ApplyOutcome::Refused { findings }),
                Sent::Conflict => {}
            }
            let current = configs.get(SINGLETON).await?;
            let current_version = current.metadata.resource_version.unwrap_or_default();
            let now = mask_spec(current.spec);
            let theirs = changes(&change.shown.spec, &now);
            if rebases == MAX_REBASES || !rebasable(&theirs, patch) {
                tracing::info!(fields = ?fields(&theirs), "config changed meanwhile: conflict");
                return Ok(ApplyOutcome::Conflict {
                    changes: theirs,
                    resource_version: current_version,
                });
            }
            // The rules again, on what the write would now produce.
            let rebased = rebase(&now, patch).map_err(kube::Error::SerdeError)?;
            let findings = check(client, &rebased, change, &stored).await?;
            if blocks(&findings) {
                return Ok(ApplyOutcome::Refused { findings });
            }
            tracing::info!(fields = ?fields(&theirs), "rebasing over the operator's changes");
            rebased_over = theirs;
            resource_version = current_version;
            rebases += 1;
        }
    } else {
        write_secret(client, change, true).await?;
    }
    if !credentials.is_empty()
        && let Err(error) = write_secret(client, change, false).await
    {
        if patch.is_none() {
            return Err(error);
        }
        // The config is written already: say so, rather than a bare error.
        tracing::info!(%error, "credentials not written after the config change");
        return Ok(ApplyOutcome::CredentialsNotWritten {
            resource_version,
            reason: error.to_string(),
        });
    }
    Ok(ApplyOutcome::Applied {
        resource_version,
        rebased_over,
        secret_keys: change.secret_keys(),
    })
}

/// `{"spec": ...}` merge patch of only what differs between the shown and desired spec.
fn spec_patch(shown: &ConfigSpec, desired: &ConfigSpec) -> Option<Value> {
    merge_patch(&json!({ "spec": shown }), &json!({ "spec": desired }))
}

/// The shared rules over the spec the write would produce and the credentials it sets.
async fn check(
    client: &kube::Client,
    spec: &ConfigSpec,
    change: &ConfigChange,
    stored: &CredentialsStatus,
) -> Result<Vec<Finding>, kube::Error> {
    let mut findings = validate_settings(spec);
    let choice = spec.storage.as_ref().and_then(StorageChoice::from_storage);
    findings.extend(credential_findings(
        choice.as_ref().map(StorageChoice::kind),
        &change.credentials(),
    ));
    if let Some(choice) = choice {
        let claim = match &choice {
            StorageChoice::Pvc(pvc) => match pvc.claim.as_deref() {
                Some(name) if is_dns1123_subdomain(name) => read_claim(client, name).await?,
                _ => None,
            },
            _ => None,
        };
        let ctx = StorageContext {
            replicas: spec.replicas,
            rollout: spec.rollout_strategy,
            claim,
            stored_keys: stored.keys.iter().cloned().collect(),
            new_keys: change.secret_keys().into_iter().collect(),
        };
        let mut storage = validate_storage(&choice, &ctx);
        if !stored.readable {
            // Without read access to the secret its keys are unknown, not missing.
            storage.retain(|f| f.field != "credentials");
        }
        findings.extend(storage);
    }
    Ok(findings)
}

/// Keys the operator does not read for the chosen provider, and GCS key files that are not
/// service-account keys.
fn credential_findings(kind: Option<StorageKind>, credentials: &[&CredentialEdit]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in credentials {
        let field = format!("credentials.{}", c.key);
        let read_by = |k: StorageKind| {
            credential_keys(k)
                .iter()
                .any(|set| set.contains(&c.key.as_str()))
        };
        match kind {
            Some(kind) if !read_by(kind) => out.push(Finding::error(
                field.clone(),
                format!(
                    "{} is not a key the operator reads for {}",
                    c.key,
                    kind.label()
                ),
            )),
            None if !CLOUD_KINDS.into_iter().any(read_by) => out.push(Finding::error(
                field.clone(),
                format!("{} is not a key the operator reads", c.key),
            )),
            _ => {}
        }
        if c.key == "REGISTRY_STORAGE_GCS_KEYFILE"
            && let Some(problem) = gcs_keyfile_problem(c.value.expose())
        {
            out.push(Finding::error(field, problem));
        }
    }
    out
}

/// Which credential keys are stored, as far as the user may read the secret.
async fn read_credentials(client: &kube::Client) -> Result<CredentialsStatus, kube::Error> {
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    match secrets.get_opt(CREDENTIALS_SECRET).await {
        Ok(Some(secret)) => Ok(CredentialsStatus {
            readable: true,
            exists: true,
            keys: secret
                .data
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, v)| !v.0.is_empty())
                .map(|(k, _)| k)
                .collect(),
        }),
        Ok(None) => Ok(CredentialsStatus {
            readable: true,
            exists: false,
            keys: Vec::new(),
        }),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(CredentialsStatus::default()),
        Err(error) => Err(error),
    }
}

/// The claim's access modes and requested size, when it exists.
async fn read_claim(client: &kube::Client, name: &str) -> Result<Option<ClaimInfo>, kube::Error> {
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    Ok(claims.get_opt(name).await?.map(|claim| {
        let spec = claim.spec.unwrap_or_default();
        let size = claim
            .status
            .and_then(|s| s.capacity)
            .and_then(|c| c.get("storage").cloned())
            .or_else(|| {
                spec.resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .and_then(|r| r.get("storage").cloned())
            });
        ClaimInfo {
            access_modes: spec.access_modes.unwrap_or_default(),
            size_bytes: size.and_then(|q| quantity_bytes(&q.0)),
        }
    }))
}

/// Bytes in a storage quantity such as `100Gi` or `500M`; `None` for shapes it does not
/// know (then the size is simply not judged).
fn quantity_bytes(quantity: &str) -> Option<u64> {
    let split = quantity
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(quantity.len());
    let (number, unit) = quantity.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit {
        "" => 1.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        _ => return None,
    };
    Some((number * factor) as u64)
}

/// Sets the credential keys with a merge patch of `data`, creating the secret when it is
/// missing; other keys stay as they are.
async fn write_secret(
    client: &kube::Client,
    change: &ConfigChange,
    dry_run: bool,
) -> Result<(), kube::Error> {
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let data: BTreeMap<String, ByteString> = change
        .credentials()
        .into_iter()
        .map(|c| {
            (
                c.key.clone(),
                ByteString(c.value.expose().as_bytes().to_vec()),
            )
        })
        .collect();
    let mut params = PatchParams::default();
    if dry_run {
        params = params.dry_run();
    }
    let patch = json!({ "data": data });
    match secrets
        .patch(CREDENTIALS_SECRET, &params, &Patch::Merge(&patch))
        .await
    {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 404 => {
            let secret = Secret {
                metadata: ObjectMeta {
                    name: Some(CREDENTIALS_SECRET.to_owned()),
                    namespace: Some(REGISTRY_NAMESPACE.to_owned()),
                    ..ObjectMeta::default()
                },
                type_: Some("Opaque".to_owned()),
                data: Some(data),
                ..Secret::default()
            };
            let params = PostParams {
                dry_run,
                ..PostParams::default()
            };
            secrets.create(&params, &secret).await.map(drop)
        }
        Err(error) => Err(error),
    }
}

/// Whether the user's patch may go on top of what changed meanwhile: only the operator's
/// own fields changed, none of them is one the user edits, and the two do not both set the
/// storage provider (only one may be set).
fn rebasable(theirs: &[FieldChange], patch: &Value) -> bool {
    let ours = leaf_paths(patch, "");
    let provider = |path: &str| {
        path.strip_prefix("spec.storage.")
            .is_some_and(|rest| !rest.starts_with("managementState"))
    };
    theirs.iter().all(|change| {
        let theirs = change.field.as_str();
        OPERATOR_FIELDS.iter().any(|f| under(theirs, f))
            && !ours.iter().any(|ours| {
                under(ours, theirs) || under(theirs, ours) || (provider(ours) && provider(theirs))
            })
    })
}

/// Whether `path` is `ancestor` or lies below it.
fn under(path: &str, ancestor: &str) -> bool {
    path == ancestor
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// `now` with the user's patch applied, as the API will merge it.
fn rebase(now: &ConfigSpec, patch: &Value) -> Result<ConfigSpec, serde_json::Error> {
    let mut merged = json!({ "spec": now });
    merge_into(&mut merged, patch);
    serde_json::from_value(merged["spec"].take())
}

/// RFC 7386: applies a merge patch.
fn merge_into(target: &mut Value, patch: &Value) {
    let Value::Object(fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let object = target.as_object_mut().expect("an object");
    for (k, v) in fields {
        if v.is_null() {
            object.remove(k);
        } else {
            merge_into(object.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

#[cfg(test)]
#[path = "config_apply_tests.rs"]
mod tests;
