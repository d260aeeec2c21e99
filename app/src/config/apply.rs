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
//! [`SecretValue`]: crate::config::view::SecretValue

use std::collections::BTreeMap;

use crate::config::view::{
    ConfigChange, ConfigData, ConfigReview, CredentialsStatus, KeyChanged, ShownConfig,
    StorageClasses,
};
use crate::edit::outcome::{FieldChange, Outcome, Undo, Undone};
use crate::i18n::said;
use chrono::{DateTime, Utc};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimSpec, Secret, VolumeResourceRequirements,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::Api;
use kube::api::ListParams;
use registry_model::Config;
use registry_model::change::{SecretSource, oc_patch, oc_secret};
use registry_model::edit::config::{
    ConfigView, HTTP_SECRET_REGENERATED, is_masked, masked_proxy_findings,
};
use registry_model::names::{
    CLUSTER_CREDENTIALS_SECRET, CONFIG_RESOURCE, CREDENTIALS_SECRET, REGISTRY_NAMESPACE, SINGLETON,
};
use registry_model::validation::claim::{
    BLOCK_ACCESS_MODE, ClaimSummary, NewClaim, new_claim_is_the_storage, validate_new_claim,
};
use registry_model::validation::names::is_dns1123_subdomain;
use registry_model::validation::settings::validate_settings;
use registry_model::validation::storage::{
    ClaimInfo, StorageChoice, StorageContext, credential_findings, validate_storage,
};
use registry_model::validation::{Finding, Message, blocks};
use serde_json::{Value, json};

use crate::cluster::access;
use crate::cluster::claims::{claim_info, claim_summary};
use crate::cluster::credentials::stored_keys;
use crate::cluster::fingerprint::{self, FingerprintKey, hex};
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{
    self, Attempt, Sent, changes, fields, leaf_paths, send, spec_diff, spec_patch,
};
use crate::console::SignedIn;
use crate::error::ConsoleError;

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

/// The annotation that marks a storage class as the cluster's default.
const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";

/// How many times a change is rebased before the user is asked to review it again.
const MAX_REBASES: usize = 3;

/// Reads the config and which credential keys are stored, as the form shows them.
pub async fn read(client: &kube::Client, key: &FingerprintKey) -> Result<ShownConfig, kube::Error> {
    let config = Api::<Config>::all(client.clone()).get(SINGLETON).await?;
    Ok(ShownConfig {
        resource_version: config.metadata.resource_version.unwrap_or_default(),
        spec: ConfigView::from(config.spec),
        credentials: read_credentials(client, key).await?,
        claims: list_claims(client).await?,
        storage_classes: list_storage_classes(client).await?,
    })
}

/// `Ok(None)` for a 403: what the user may not list is unknown, not absent.
fn unless_forbidden<T>(result: Result<T, kube::Error>) -> Result<Option<T>, kube::Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(None),
        Err(error) => Err(error),
    }
}

/// The claims in `openshift-image-registry`, as the form lists them.
async fn list_claims(client: &kube::Client) -> Result<Option<Vec<ClaimSummary>>, kube::Error> {
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let list = unless_forbidden(claims.list(&ListParams::default()).await)?;
    Ok(list.map(|list| list.items.iter().map(claim_summary).collect()))
}

/// The cluster's storage classes and which is the default.
async fn list_storage_classes(
    client: &kube::Client,
) -> Result<Option<StorageClasses>, kube::Error> {
    let classes = Api::<StorageClass>::all(client.clone());
    let list = unless_forbidden(classes.list(&ListParams::default()).await)?;
    Ok(list.map(|list| {
        let mut out = StorageClasses::default();
        for class in list.items {
            let name = class.metadata.name.unwrap_or_default();
            let default = class
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION))
                .is_some_and(|v| v == "true");
            if default {
                out.default = Some(name.clone());
            }
            out.names.push(name);
        }
        out
    }))
}

/// The review step: the rules' findings and the API's (from a dry run), the YAML diff and
/// the `oc` commands. Nothing is written.
pub async fn preview(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
) -> Result<ConfigReview, kube::Error> {
    let stored = read_credentials(client, key).await?;
    let desired = change.edits.apply_to(&change.shown.spec);
    let patch = spec_patch(&change.shown.spec, &desired);
    let new_claim = change.edits.new_claim.as_ref();
    let mut findings = check(client, &desired, change, &stored, false).await?;
    if !blocks(&findings) {
        if let Some(new) = new_claim
            && let Err(api) = create_claim(client, new, true).await?
        {
            findings.extend(api);
        }
        if let Some(patch) = &patch {
            // No precondition here: a stale page is caught when applying, with what changed.
            let configs = Api::<Config>::all(client.clone());
            if let Sent::Refused(api) = send(
                &configs,
                SINGLETON,
                &with_http_secret(patch),
                Attempt::Preview,
            )
            .await?
            {
                findings.extend(api);
            }
        }
        if !change.credentials().is_empty()
            && let Sent::Refused(api) =
                write_secret(client, key, change, SecretStep::Preview).await?
        {
            findings.extend(api);
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
        diff: spec_diff(&change.shown.spec, &desired, patch.as_ref()),
        oc_patch: patch.as_ref().map(oc_patch_command),
        oc_secret: (!sources.is_empty()).then(|| {
            oc_secret(
                REGISTRY_NAMESPACE,
                CREDENTIALS_SECRET,
                stored.exists,
                &sources,
            )
        }),
        oc_claim: new_claim.map(oc_claim),
        secret_keys: change.secret_keys(),
        patch,
    })
}

/// Applies a change: the rules, dry runs, the claim to create (block storage), the merge
/// patch with the shown resourceVersion as precondition (rebased over the operator's own
/// changes when that is safe), then the credential keys. A claim created for a config
/// write that then does not happen is deleted again, so a refused change changes nothing.
pub async fn apply(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
    shown: &ShownVersion,
) -> Result<Outcome, kube::Error> {
    let stored = read_credentials(client, key).await?;
    let desired = change.edits.apply_to(&change.shown.spec);
    let patch = spec_patch(&change.shown.spec, &desired).map(|p| with_http_secret(&p));
    let credentials = change.credentials();
    let new_claim = change.edits.new_claim.as_ref();
    if patch.is_none() && credentials.is_empty() && new_claim.is_none() {
        return Ok(Outcome::Unchanged);
    }
    let findings = check(client, &desired, change, &stored, false).await?;
    if blocks(&findings) {
        return Ok(Outcome::refused(findings));
    }
    if let Some(new) = new_claim
        && let Err(findings) = create_claim(client, new, true).await?
    {
        return Ok(Outcome::refused(findings));
    }
    // The claim's version once this change created it, so that undoing removes only
    // the claim as it made it.
    let mut created = None;
    let written = write_config(
        client,
        key,
        change,
        shown,
        patch.as_ref(),
        &stored,
        &mut created,
    )
    .await;
    let Written {
        resource_version,
        rebased_over,
        undo: written_config,
    } = match written {
        Ok(Ok(written)) => written,
        Ok(Err(outcome)) => {
            let undone = match (&created, new_claim) {
                (Some(version), Some(new)) => vec![undo_claim(client, new, version).await],
                _ => Vec::new(),
            };
            return Ok(outcome.after_undoing(undone));
        }
        Err(error) => {
            if let (Some(version), Some(new)) = (&created, new_claim) {
                undo_claim(client, new, version).await;
            }
            return Err(error);
        }
    };
    if !credentials.is_empty() {
        let failed = match write_secret(client, key, change, SecretStep::Write).await {
            Ok(sent) => not_written(sent),
            Err(error) if patch.is_none() && created.is_none() => return Err(error),
            // The API's own words (or the transport's), after the console's, which are
            // in the reader's language.
            Err(error) => Some(Outcome::refused(vec![Finding::error(
                "credentials",
                match &error {
                    kube::Error::Api(status) => Message::ApiRefused {
                        text: status.message.clone(),
                    },
                    error if crate::cluster::errors::is_unreachable(error) => {
                        Message::ApiUnreachable {
                            text: error.to_string(),
                        }
                    }
                    error => Message::ApiRefused {
                        text: error.to_string(),
                    },
                },
            )])),
        };
        if let Some(failed) = failed {
            // The keys are not written: what this change wrote before them goes too, so
            // the registry is not left on storage it has no credentials for.
            tracing::info!(outcome = %failed.message(crate::config::view::OBJECT), "credentials not written: undoing the change");
            let mut undone = Vec::new();
            if let Some(written) = &written_config {
                undone.push(undo_config(client, written).await);
            }
            if let (Some(version), Some(new)) = (&created, new_claim) {
                undone.push(undo_claim(client, new, version).await);
            }
            return Ok(failed.after_undoing(undone));
        }
    }
    Ok(Outcome::Applied {
        resource_version,
        rebased_over,
        secret_keys: change.secret_keys(),
    })
}

/// A config write that happened.
struct Written {
    resource_version: String,
    rebased_over: Vec<FieldChange>,
    /// How to take it back, when a later step fails; `None` when no field changed.
    undo: Option<ConfigUndo>,
}

/// The merge patch that restores what a config write changed, at the version it wrote.
struct ConfigUndo {
    version: ShownVersion,
    /// `None` when the write changed no field the page shows.
    inverse: Option<Value>,
}

/// The credential keys' dry run at the version the page showed, as the outcome when they
/// would not be written.
async fn secret_dry_run(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
) -> Result<Option<Outcome>, kube::Error> {
    if change.credentials().is_empty() {
        return Ok(None);
    }
    Ok(not_written(
        write_secret(client, key, change, SecretStep::DryRun).await?,
    ))
}

/// What a write of the credential keys came to, as the outcome when they were not
/// (or would not be) written.
fn not_written(sent: Sent<Secret>) -> Option<Outcome> {
    match sent {
        Sent::Done(_) => None,
        Sent::Refused(findings) => Some(Outcome::refused(findings)),
        Sent::Conflict => Some(Outcome::refused(vec![Finding::error(
            "credentials",
            Message::CredentialsChanged,
        )])),
    }
}

/// Takes back a config write whose later steps failed: the fields it changed get their
/// values from before, if nobody changed the config since. Masked values (`httpSecret`, a
/// proxy password) were never known to the console and stay as written.
async fn undo_config(client: &kube::Client, written: &ConfigUndo) -> Undo {
    let what = Undone::ConfigChange;
    let Some(inverse) = written.inverse.as_ref().map(without_masked) else {
        return Undo { what, left: None };
    };
    let by_hand = oc_patch(CONFIG_RESOURCE, SINGLETON, None, &inverse);
    let configs = Api::<Config>::all(client.clone());
    let left = match send(
        &configs,
        SINGLETON,
        &inverse,
        Attempt::Write(&written.version),
    )
    .await
    {
        Ok(Sent::Done(_)) => None,
        Ok(Sent::Conflict) => Some(format!(
            "the configuration changed after this change wrote it, so it was kept; to take it back: {by_hand}"
        )),
        Ok(Sent::Refused(findings)) => Some(format!(
            "the cluster refused to take it back ({}); to do it by hand: {by_hand}",
            findings
                .iter()
                .map(|f| f.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        Err(error) => Some(format!(
            "taking it back failed ({error}); to do it by hand: {by_hand}"
        )),
    };
    Undo { what, left }
}

/// A merge patch without the masks the page shows instead of secret values (and without
/// the objects that held only those).
fn without_masked(patch: &Value) -> Value {
    let masked = |v: &Value| v.as_str().is_some_and(is_masked);
    match patch {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !masked(v))
                .filter_map(|(k, v)| {
                    let kept = without_masked(v);
                    let emptied = kept.as_object().is_some_and(|m| m.is_empty())
                        && v.as_object().is_some_and(|m| !m.is_empty());
                    (!emptied).then(|| (k.clone(), kept))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The config write: a dry run with the precondition, the claim, then the real write,
/// rebased over the operator's changes when that is safe. `Ok(Err(outcome))` is a change
/// that was not written (refused or in conflict); `created` holds the claim's version once
/// it was created.
async fn write_config(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
    shown: &ShownVersion,
    patch: Option<&Value>,
    stored: &CredentialsStatus,
    created: &mut Option<ShownVersion>,
) -> Result<Result<Written, Outcome>, kube::Error> {
    let new_claim = change.edits.new_claim.as_ref();
    let mut version = shown.clone();
    let Some(patch) = patch else {
        if let Some(outcome) = secret_dry_run(client, key, change).await? {
            return Ok(Err(outcome));
        }
        if let Some(new) = new_claim {
            match create_claim(client, new, false).await? {
                Ok(version) => *created = version,
                Err(findings) => return Ok(Err(Outcome::refused(findings))),
            }
        }
        return Ok(Ok(Written {
            resource_version: version.as_str().to_owned(),
            rebased_over: Vec::new(),
            undo: None,
        }));
    };
    let configs = Api::<Config>::all(client.clone());
    let mut rebased_over = Vec::new();
    let mut rebases = 0;
    // What the patch goes on top of: what the page showed, or what it was rebased on.
    let mut base = change.shown.spec.clone();
    loop {
        let mut sent = send(&configs, SINGLETON, patch, Attempt::DryRun(&version)).await?;
        if matches!(sent, Sent::Done(_)) {
            if let Some(outcome) = secret_dry_run(client, key, change).await? {
                return Ok(Err(outcome));
            }
            if let Some(new) = new_claim.filter(|_| created.is_none()) {
                match create_claim(client, new, false).await? {
                    Ok(version) => *created = version,
                    Err(findings) => return Ok(Err(Outcome::refused(findings))),
                }
            }
            sent = send(&configs, SINGLETON, patch, Attempt::Write(&version)).await?;
        }
        match sent {
            Sent::Done(config) => {
                let undo = ShownVersion::of(&config.metadata).ok().map(|version| {
                    let after = ConfigView::from(config.spec.clone());
                    ConfigUndo {
                        version,
                        inverse: spec_patch(&after, &base),
                    }
                });
                return Ok(Ok(Written {
                    resource_version: config.metadata.resource_version.unwrap_or_default(),
                    rebased_over,
                    undo,
                }));
            }
            Sent::Refused(findings) => return Ok(Err(Outcome::refused(findings))),
            Sent::Conflict => {}
        }
        let current = configs.get(SINGLETON).await?;
        let current_version = current
            .metadata
            .resource_version
            .clone()
            .unwrap_or_default();
        let now_version = ShownVersion::of(&current.metadata).ok();
        let now = ConfigView::from(current.spec);
        let theirs = changes(&change.shown.spec, &now);
        let now_version =
            now_version.filter(|_| rebases < MAX_REBASES && rebasable(&theirs, patch));
        let Some(now_version) = now_version else {
            tracing::info!(fields = ?fields(&theirs), "config changed meanwhile: conflict");
            return Ok(Err(Outcome::conflict(theirs, current_version)));
        };
        // The rules again, on what the write would now produce.
        let rebased = rebase(&now, patch).map_err(kube::Error::SerdeError)?;
        let findings = check(client, &rebased, change, stored, created.is_some()).await?;
        if blocks(&findings) {
            return Ok(Err(Outcome::refused(findings)));
        }
        tracing::info!(fields = ?fields(&theirs), "rebasing over the operator's changes");
        rebased_over = theirs;
        version = now_version;
        base = now;
        rebases += 1;
    }
}

/// The shared rules over the spec the write would produce and the credentials it sets.
/// `claim_created`: the change's new claim exists already because this write created it,
/// so it is not judged again as a claim to create.
async fn check(
    client: &kube::Client,
    spec: &ConfigView,
    change: &ConfigChange,
    stored: &CredentialsStatus,
    claim_created: bool,
) -> Result<Vec<Finding>, kube::Error> {
    let mut findings = validate_settings(spec);
    findings.extend(masked_proxy_findings(&change.shown.spec, spec));
    let shown = &change.shown.credentials;
    if !change.credentials().is_empty()
        && shown.readable
        && stored.readable
        && (shown.exists, &shown.resource_version) != (stored.exists, &stored.resource_version)
    {
        findings.push(Finding::error("credentials", Message::CredentialsChanged));
    }
    if let Some(new) = change.edits.new_claim.as_ref().filter(|_| !claim_created) {
        findings.extend(check_new_claim(client, new, spec).await?);
    }
    let choice = spec.storage.as_ref().and_then(StorageChoice::from_storage);
    let typed: Vec<(&str, &str)> = change
        .credentials()
        .into_iter()
        .map(|c| (c.key.as_str(), c.value.expose()))
        .collect();
    findings.extend(credential_findings(
        choice.as_ref().map(StorageChoice::kind),
        &typed,
    ));
    if let Some(choice) = choice {
        let claim = match (&choice, &change.edits.new_claim) {
            (StorageChoice::Pvc(_), Some(new)) => Some(new.info()),
            (StorageChoice::Pvc(pvc), None) => match pvc.claim.as_deref() {
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
            user_secret: stored.exists,
            cluster_keys: stored.cluster_keys.iter().cloned().collect(),
            cluster_keys_unknown: stored.cluster_keys_unknown,
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

/// Which credential keys are stored, and when each last changed, as far as the user may
/// read the secret.
async fn read_credentials(
    client: &kube::Client,
    key: &FingerprintKey,
) -> Result<CredentialsStatus, kube::Error> {
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    // What the operator falls back on without the user secret: only its key names are
    // kept. Unreadable is "unknown", and then credentials are not called missing.
    let cluster = unless_forbidden(secrets.get_opt(CLUSTER_CREDENTIALS_SECRET).await)?;
    let cluster_keys_unknown = cluster.is_none();
    let cluster_keys: Vec<String> = cluster
        .flatten()
        .map(|secret| stored_keys(&secret).into_iter().collect())
        .unwrap_or_default();
    match secrets.get_opt(CREDENTIALS_SECRET).await {
        Ok(Some(secret)) => {
            let written = last_written(&secret.metadata);
            let resource_version = secret.metadata.resource_version.clone();
            let annotations = secret.metadata.annotations.unwrap_or_default();
            let data: BTreeMap<String, ByteString> = secret
                .data
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, v)| !v.0.is_empty())
                .collect();
            let changed = data
                .iter()
                .map(|(name, value)| {
                    let mark = annotations.get(&format!("{}{name}", fingerprint::PREFIX));
                    let by_console = mark.and_then(|m| key.written_at(name, m, &value.0));
                    let changed = match by_console {
                        Some(at) => KeyChanged::Console { at },
                        None => KeyChanged::Elsewhere {
                            secret_written: written,
                        },
                    };
                    (name.clone(), changed)
                })
                .collect();
            Ok(CredentialsStatus {
                readable: true,
                exists: true,
                resource_version,
                keys: data.into_keys().collect(),
                changed,
                cluster_keys,
                cluster_keys_unknown,
            })
        }
        Ok(None) => Ok(CredentialsStatus {
            readable: true,
            exists: false,
            cluster_keys,
            cluster_keys_unknown,
            ..CredentialsStatus::default()
        }),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(CredentialsStatus::default()),
        Err(error) => Err(error),
    }
}

/// When the secret was last written: its newest managed-fields entry, else its creation.
fn last_written(meta: &ObjectMeta) -> Option<DateTime<Utc>> {
    let time = |t: &Time| crate::time::from_k8s(t.0);
    meta.managed_fields
        .iter()
        .flatten()
        .filter_map(|m| m.time.as_ref().and_then(time))
        .max()
        .or_else(|| meta.creation_timestamp.as_ref().and_then(time))
}

/// The claim's access modes and size, when it exists.
/// A claim the user may not read is judged as the browser judges it: not at all (shared
/// and of unknown size), rather than as missing.
async fn read_claim(client: &kube::Client, name: &str) -> Result<Option<ClaimInfo>, kube::Error> {
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    Ok(match unless_forbidden(claims.get_opt(name).await)? {
        Some(claim) => claim.map(|claim| claim_info(&claim)),
        None => Some(ClaimInfo {
            access_modes: vec!["ReadWriteMany".into()],
            size_bytes: None,
        }),
    })
}

/// The rules for a claim to create: its own, and that the config's storage names it.
async fn check_new_claim(
    client: &kube::Client,
    new: &NewClaim,
    spec: &ConfigView,
) -> Result<Vec<Finding>, kube::Error> {
    let claims = list_claims(client).await?;
    let classes = list_storage_classes(client).await?;
    let names = classes.as_ref().map(|c| c.names.as_slice());
    let mut findings = validate_new_claim(new, claims.as_deref(), names);
    let named = spec
        .storage
        .as_ref()
        .and_then(|s| s.pvc.as_ref())
        .and_then(|p| p.claim.as_deref());
    findings.extend(new_claim_is_the_storage(new, named));
    Ok(findings)
}

/// The ReadWriteOnce claim block storage needs.
fn claim_object(new: &NewClaim) -> PersistentVolumeClaim {
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(new.name.clone()),
            namespace: Some(REGISTRY_NAMESPACE.to_owned()),
            ..ObjectMeta::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec![BLOCK_ACCESS_MODE.to_owned()]),
            resources: Some(VolumeResourceRequirements {
                requests: Some([("storage".to_owned(), Quantity(new.size.clone()))].into()),
                ..VolumeResourceRequirements::default()
            }),
            storage_class_name: new.storage_class.clone(),
            ..PersistentVolumeClaimSpec::default()
        }),
        ..PersistentVolumeClaim::default()
    }
}

/// `oc create -f -` with the claim's YAML, as the review shows it.
fn oc_claim(new: &NewClaim) -> String {
    let mut claim = serde_json::to_value(claim_object(new)).unwrap_or_default();
    claim["apiVersion"] = json!("v1");
    claim["kind"] = json!("PersistentVolumeClaim");
    let yaml = serde_yaml::to_string(&claim).unwrap_or_default();
    format!("oc create -f - <<'EOF'\n{yaml}EOF")
}

/// Creates the claim block storage needs (or, `dry_run`, asks whether the API would):
/// the version it was created at (`None` for a dry run), or the findings why not.
async fn create_claim(
    client: &kube::Client,
    new: &NewClaim,
    dry_run: bool,
) -> Result<Result<Option<ShownVersion>, Vec<Finding>>, kube::Error> {
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    Ok(
        match write::create(&claims, &claim_object(new), dry_run).await? {
            Sent::Done(claim) => Ok(ShownVersion::of(&claim.metadata).ok().filter(|_| !dry_run)),
            Sent::Refused(findings) => Err(findings
                .into_iter()
                .map(|f| Finding::error("newClaim", f.message))
                .collect()),
            Sent::Conflict => Err(vec![Finding::error(
                "newClaim.name",
                Message::ClaimExists {
                    name: new.name.clone(),
                },
            )]),
        },
    )
}

/// Deletes the claim this change created, when the config write did not happen after
/// all, but only as this change made it (`version`): one changed since is left, and said.
async fn undo_claim(client: &kube::Client, new: &NewClaim, version: &ShownVersion) -> Undo {
    let claims = Api::<PersistentVolumeClaim>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let by_hand = format!("oc delete pvc {} -n {REGISTRY_NAMESPACE}", new.name);
    let left = match write::delete(&claims, &new.name, version, false).await {
        Ok(Sent::Done(_)) => None,
        Ok(_) => Some(format!(
            "it changed after this change created it, so it was kept; to remove it: {by_hand}"
        )),
        Err(error) => Some(format!(
            "removing it failed ({error}); to remove it: {by_hand}"
        )),
    };
    if let Some(why) = &left {
        tracing::warn!(claim = %new.name, %why, "the claim of a change that was not applied is left");
    }
    Undo {
        what: Undone::Claim {
            name: new.name.clone(),
        },
        left,
    }
}

/// The patch as it is sent: a regenerated `httpSecret` gets its value only here, and the
/// value never appears in anything returned.
fn with_http_secret(patch: &Value) -> Value {
    let mut patch = patch.clone();
    if patch["spec"]["httpSecret"] == HTTP_SECRET_REGENERATED {
        // 64 random bytes, hex-encoded, as the operator generates it.
        let bytes: [u8; 64] = rand::random();
        patch["spec"]["httpSecret"] = json!(hex(&bytes));
    }
    patch
}

/// The `oc patch` command; a regenerated `httpSecret` becomes a shell substitution that
/// draws a value the way the operator does.
fn oc_patch_command(patch: &Value) -> String {
    let command = oc_patch(CONFIG_RESOURCE, SINGLETON, None, patch);
    command.replace(HTTP_SECRET_REGENERATED, "'\"$(openssl rand -hex 64)\"'")
}

/// How far a write of the credential keys goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SecretStep {
    /// The review's dry run, at no version.
    Preview,
    /// A dry run at the version the page showed.
    DryRun,
    /// The write, at the version the page showed.
    Write,
}

/// Sets the credential keys with a merge patch of `data` at the secret's version the page
/// showed, or creates the secret when the page showed none; other keys stay as they are.
async fn write_secret(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
    step: SecretStep,
) -> Result<Sent<Secret>, kube::Error> {
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
    let now = Utc::now();
    let marks: BTreeMap<String, String> = change
        .credentials()
        .into_iter()
        .map(|c| {
            (
                format!("{}{}", fingerprint::PREFIX, c.key),
                key.mark(&c.key, c.value.expose().as_bytes(), now),
            )
        })
        .collect();
    let shown = &change.shown.credentials;
    let patch = json!({ "metadata": { "annotations": marks }, "data": data });
    if !shown.readable {
        // Nothing was seen to hold a write to. Let the cluster answer first whether the
        // user may write it at all (a dry run), then refuse.
        match send(&secrets, CREDENTIALS_SECRET, &patch, Attempt::Preview).await {
            Err(kube::Error::Api(status)) if status.code == 404 => {}
            Err(error) => return Err(error),
            Ok(_) => {}
        }
        let refused = Finding::error("credentials", Message::CredentialsUnreadable);
        return Ok(Sent::Refused(vec![refused]));
    }
    if !shown.exists {
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some(CREDENTIALS_SECRET.to_owned()),
                namespace: Some(REGISTRY_NAMESPACE.to_owned()),
                annotations: Some(marks),
                ..ObjectMeta::default()
            },
            type_: Some("Opaque".to_owned()),
            data: Some(data),
            ..Secret::default()
        };
        return write::create(&secrets, &secret, step != SecretStep::Write).await;
    }
    let Some(version) = shown
        .resource_version
        .as_deref()
        .and_then(|v| ShownVersion::new(v).ok())
    else {
        let refused = Finding::error("credentials", Message::CredentialsUnreadable);
        return Ok(Sent::Refused(vec![refused]));
    };
    let attempt = match step {
        SecretStep::Preview => Attempt::Preview,
        SecretStep::DryRun => Attempt::DryRun(&version),
        SecretStep::Write => Attempt::Write(&version),
    };
    send(&secrets, CREDENTIALS_SECRET, &patch, attempt).await
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
fn rebase(now: &ConfigView, patch: &Value) -> Result<ConfigView, serde_json::Error> {
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

/// The config page for `user`: the config as the form shows it, and whether they may
/// change it.
pub async fn read_as(user: &SignedIn) -> Result<ConfigData, ConsoleError> {
    let (shown, may_patch) = tokio::join!(
        read(&user.client, user.console.sessions.fingerprint_key()),
        access::can(&user.client, access::patch_registry_config()),
    );
    let explained = |error| user.explain(error, said::errors::to_read_config());
    Ok(ConfigData {
        shown: shown.map_err(explained)?,
        viewer: user.viewer(may_patch.map_err(explained)?),
    })
}

/// The review of `change` for `user`; nothing is written.
pub async fn preview_as(
    user: &SignedIn,
    change: &ConfigChange,
) -> Result<ConfigReview, ConsoleError> {
    preview(
        &user.client,
        user.console.sessions.fingerprint_key(),
        change,
    )
    .await
    .map_err(|error| user.explain(error, said::errors::to_check_config()))
}

/// Applies `change` as `user`, from the config's version they saw.
pub async fn apply_as(user: &SignedIn, change: &ConfigChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    let shown = ShownVersion::new(&change.shown.resource_version)?;
    let result = apply(
        &user.client,
        user.console.sessions.fingerprint_key(),
        change,
        &shown,
    )
    .await;
    // Key names only: the values never reach a log line.
    let keys = change.secret_keys();
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), ?keys, outcome = %outcome.message(crate::config::view::OBJECT), "registry config change")
        }
        Err(error) => {
            tracing::info!(user = %user.name(), ?keys, %error, "registry config change failed")
        }
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_config()))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
