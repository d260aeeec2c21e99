//! A trusted-CA change, reviewed and applied as the signed-in user (`design.md`, Write):
//! the shared rules, then the bundle read as X.509 (a private key is refused before
//! anything reads the rest, and never stored, echoed or logged), then the write with the
//! version the page showed as precondition: a merge patch of the one key for a ConfigMap
//! that exists, or a create of the ConfigMap, then naming it in the image config (taken
//! back if naming it fails).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use registry_model::Image;
use registry_model::change::{shell_quote, yaml_diff};
use registry_model::names::{CONFIG_NAMESPACE, SINGLETON};
use registry_model::trust::{CA_FIELD, REGISTRY_FIELD, check_entry, config_map_key, inspect};
use registry_model::validation::names::is_dns1123_subdomain;
use registry_model::validation::{Finding, Message, blocks};
use serde_json::{Value, json};

use super::read::digest;
use super::view::{CaChange, CaEdit, CaReview, TrustData};
use crate::cluster::access;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{self, Attempt, Sent};
use crate::console::SignedIn;
use crate::edit::outcome::{FieldChange, Outcome, Undo, Undone};
use crate::error::ConsoleError;
use crate::i18n::said;

/// Where a finding about the ConfigMap's name lands.
pub const NAME_FIELD: &str = "configMap";

/// How often the reference is sent again when only the image config's status moved.
const MAX_RETRIES: usize = 3;

/// What a change writes, once its rules and bundle passed.
struct Plan {
    key: String,
    /// The value to store; `None` removes the key.
    value: Option<String>,
    warnings: Vec<Finding>,
    certificates: Vec<registry_model::trust::CertFacts>,
}

/// The change's own rules and its bundle, judged at `now` against the ConfigMap's keys as
/// the cluster holds them now (`keys`); findings when it cannot go ahead.
fn plan(change: &CaChange, keys: &[String], now: DateTime<Utc>) -> Result<Plan, Vec<Finding>> {
    let mut findings = Vec::new();
    if !change.referenced && !is_dns1123_subdomain(&change.config_map) {
        findings.push(Finding::error(
            NAME_FIELD,
            Message::ConfigMapName {
                name: change.config_map.clone(),
            },
        ));
    }
    let gone = |key: &str| {
        Finding::error(
            REGISTRY_FIELD,
            Message::CaRegistryGone {
                registry: registry_model::trust::registry_of_key(key),
            },
        )
    };
    let key = match &change.edit {
        CaEdit::Add { registry } => {
            findings.extend(check_entry(Some(registry), &change.pem, keys));
            config_map_key(registry).ok()
        }
        CaEdit::Replace { key } => {
            findings.extend(check_entry(None, &change.pem, keys));
            if !keys.contains(key) {
                findings.push(gone(key));
            }
            Some(key.clone())
        }
        CaEdit::Remove { key } => {
            if !keys.contains(key) {
                findings.push(gone(key));
            }
            Some(key.clone())
        }
    };
    let removing = matches!(change.edit, CaEdit::Remove { .. });
    let mut plan = Plan {
        key: key.unwrap_or_default(),
        value: None,
        warnings: Vec::new(),
        certificates: Vec::new(),
    };
    // The bundle is read only when the browser-side rules pass (a private key stops here).
    if !removing && !blocks(&findings) {
        match inspect(&change.pem, now.timestamp(), CA_FIELD) {
            Ok(bundle) => {
                plan.warnings = bundle.warnings;
                plan.certificates = bundle.certificates;
                plan.value = Some(normalized(&change.pem));
            }
            Err(message) => findings.push(Finding::error(CA_FIELD, message)),
        }
    }
    if blocks(&findings) {
        return Err(findings);
    }
    findings.extend(std::mem::take(&mut plan.warnings));
    plan.warnings = findings;
    Ok(plan)
}

/// The bundle as stored: trimmed, one final newline (as `--from-file` of a PEM file).
fn normalized(pem: &str) -> String {
    let mut text = pem.trim().replace("\r\n", "\n");
    text.push('\n');
    text
}

/// The ConfigMap a change creates.
fn new_config_map(name: &str, key: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(CONFIG_NAMESPACE.to_owned()),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(key.to_owned(), value.to_owned())])),
        ..ConfigMap::default()
    }
}

/// The `oc` commands that make the same change (the bundle as a file, `ca.crt`).
fn commands(change: &CaChange, exists: bool, key: &str) -> Vec<String> {
    let name = shell_quote(&change.config_map);
    let mut out = Vec::new();
    match (&change.edit, exists) {
        (CaEdit::Remove { .. }, _) => out.push(format!(
            "oc set data configmap/{name} -n {CONFIG_NAMESPACE} {}-",
            shell_quote(key)
        )),
        (_, false) => out.push(format!(
            "oc create configmap {name} -n {CONFIG_NAMESPACE} --from-file={}=ca.crt",
            shell_quote(key)
        )),
        (_, true) => out.push(format!(
            "oc set data configmap/{name} -n {CONFIG_NAMESPACE} --from-file={}=ca.crt",
            shell_quote(key)
        )),
    }
    if !change.referenced {
        out.push(format!(
            "oc patch image.config.openshift.io/cluster --type=merge -p '{}'",
            reference_patch(&change.config_map)
        ));
    }
    out
}

fn reference_patch(name: &str) -> Value {
    json!({ "spec": { "additionalTrustedCA": { "name": name } } })
}

/// The ConfigMap as it is now, and its keys.
async fn current(
    client: &kube::Client,
    name: &str,
) -> Result<(Option<ConfigMap>, Vec<String>), kube::Error> {
    let map = Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE)
        .get_opt(name)
        .await?;
    let keys = map
        .as_ref()
        .and_then(|m| m.data.as_ref())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    Ok((map, keys))
}

/// The review: the rules' findings and the API's (a dry run), the certificates, the diff of
/// the one key and the `oc` commands. Nothing is written.
pub async fn preview(
    client: &kube::Client,
    change: &CaChange,
    now: DateTime<Utc>,
) -> Result<CaReview, kube::Error> {
    let (map, keys) = current(client, &change.config_map).await?;
    let mut plan = match plan(change, &keys, now) {
        Ok(plan) => plan,
        Err(findings) => {
            return Ok(CaReview {
                findings,
                blocked: true,
                certificates: Vec::new(),
                diff: Vec::new(),
                commands: Vec::new(),
            });
        }
    };
    let before = map
        .as_ref()
        .and_then(|m| m.data.as_ref())
        .and_then(|d| d.get(&plan.key))
        .cloned();
    let api = Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE);
    let refused = match (&map, &plan.value) {
        (Some(_), _) => {
            let patch = json!({ "data": { plan.key.clone(): plan.value.clone() } });
            match write::send(&api, &change.config_map, &patch, Attempt::Preview).await? {
                Sent::Refused(findings) => findings,
                _ => Vec::new(),
            }
        }
        (None, Some(value)) => {
            let object = new_config_map(&change.config_map, &plan.key, value);
            match write::create(&api, &object, true).await? {
                Sent::Refused(findings) => findings,
                _ => Vec::new(),
            }
        }
        (None, None) => Vec::new(),
    };
    plan.warnings.extend(refused);
    let mut diff = yaml_diff(
        &json!({ "data": { plan.key.clone(): before } }),
        &json!({ "data": { plan.key.clone(): plan.value } }),
    );
    if !change.referenced {
        diff.extend(yaml_diff(
            &json!({ "spec": { "additionalTrustedCA": null } }),
            &reference_patch(&change.config_map),
        ));
    }
    Ok(CaReview {
        blocked: blocks(&plan.warnings),
        commands: commands(change, map.is_some(), &plan.key),
        findings: plan.warnings,
        certificates: plan.certificates,
        diff,
    })
}

/// Applies a change at the versions the page showed.
pub async fn apply(
    client: &kube::Client,
    change: &CaChange,
    now: DateTime<Utc>,
) -> Result<Outcome, kube::Error> {
    let (map, keys) = current(client, &change.config_map).await?;
    // A ConfigMap the page did not see (or saw and that is gone) is a conflict, whatever
    // the rules say of the entry.
    if map.is_some() != change.config_map_version.is_some() {
        return Ok(Outcome::conflict(
            vec![FieldChange {
                field: format!("configmap/{}", change.config_map),
                shown: change.config_map_version.as_ref().map(|_| "exists".into()),
                now: map.as_ref().map(|_| "exists".into()),
            }],
            String::new(),
        ));
    }
    let plan = match plan(change, &keys, now) {
        Ok(plan) => plan,
        Err(findings) => return Ok(Outcome::refused(findings)),
    };
    let api = Api::<ConfigMap>::namespaced(client.clone(), CONFIG_NAMESPACE);
    match (&map, &change.config_map_version) {
        (Some(_), Some(version)) => {
            let Ok(version) = ShownVersion::new(version) else {
                return Ok(Outcome::conflict(Vec::new(), String::new()));
            };
            let patch = json!({ "data": { plan.key.clone(): plan.value.clone() } });
            let mut sent =
                write::send(&api, &change.config_map, &patch, Attempt::DryRun(&version)).await?;
            if matches!(sent, Sent::Done(_)) {
                sent =
                    write::send(&api, &change.config_map, &patch, Attempt::Write(&version)).await?;
            }
            let written = match sent {
                Sent::Done(map) => map.metadata.resource_version.unwrap_or_default(),
                Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
                Sent::Conflict => {
                    let now_map = map_now(&api, &change.config_map).await?;
                    return Ok(Outcome::conflict(
                        changed_entries(&change.shown, now_map.as_ref()),
                        version_of(now_map.as_ref()),
                    ));
                }
            };
            if change.referenced {
                return Ok(Outcome::applied(written));
            }
            // Named by nobody yet (a ConfigMap of that name existed): name it now.
            Ok(reference(client, change)
                .await?
                .unwrap_or(Outcome::applied(written)))
        }
        (None, None) => {
            let Some(value) = &plan.value else {
                return Ok(Outcome::Unchanged);
            };
            let object = new_config_map(&change.config_map, &plan.key, value);
            if let Sent::Refused(findings) = write::create(&api, &object, true).await? {
                return Ok(Outcome::refused(findings));
            }
            let created = match write::create(&api, &object, false).await? {
                Sent::Done(map) => map,
                Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
                Sent::Conflict => {
                    let now_map = map_now(&api, &change.config_map).await?;
                    return Ok(Outcome::conflict(
                        changed_entries(&change.shown, now_map.as_ref()),
                        version_of(now_map.as_ref()),
                    ));
                }
            };
            let written = created
                .metadata
                .resource_version
                .clone()
                .unwrap_or_default();
            if change.referenced {
                return Ok(Outcome::applied(written));
            }
            match reference(client, change).await? {
                None => Ok(Outcome::applied(written)),
                Some(failed) => {
                    let undo = undo_create(&api, &created).await;
                    Ok(failed.after_undoing(vec![undo]))
                }
            }
        }
        // Handled above: the page's view of whether it exists is the cluster's.
        _ => Ok(Outcome::Unchanged),
    }
}

async fn map_now(api: &Api<ConfigMap>, name: &str) -> Result<Option<ConfigMap>, kube::Error> {
    api.get_opt(name).await
}

fn version_of(map: Option<&ConfigMap>) -> String {
    map.and_then(|m| m.metadata.resource_version.clone())
        .unwrap_or_default()
}

/// The entries that differ between what the page showed (key, digest) and `now`.
fn changed_entries(shown: &[(String, String)], now: Option<&ConfigMap>) -> Vec<FieldChange> {
    let now: BTreeMap<String, String> = now
        .and_then(|m| m.data.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, digest(&v)))
        .collect();
    let shown: BTreeMap<String, String> = shown.iter().cloned().collect();
    let mut keys: Vec<&String> = shown.keys().chain(now.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| shown.get(*k) != now.get(*k))
        .map(|k| FieldChange {
            field: format!("data.{k}"),
            shown: shown.get(k).cloned(),
            now: now.get(k).cloned(),
        })
        .collect()
}

/// Names the ConfigMap in the image config, at the version the page showed (again at a
/// newer one while only its status moved). `None` when it is named; else the outcome.
async fn reference(
    client: &kube::Client,
    change: &CaChange,
) -> Result<Option<Outcome>, kube::Error> {
    let images = Api::<Image>::all(client.clone());
    let patch = reference_patch(&change.config_map);
    let mut version = match ShownVersion::new(&change.image_version) {
        Ok(version) => version,
        Err(_) => return Ok(Some(Outcome::conflict(Vec::new(), String::new()))),
    };
    for _ in 0..=MAX_RETRIES {
        match write::send(&images, SINGLETON, &patch, Attempt::Write(&version)).await? {
            Sent::Done(_) => return Ok(None),
            Sent::Refused(findings) => return Ok(Some(Outcome::refused(findings))),
            Sent::Conflict => {}
        }
        let image = images.get(SINGLETON).await?;
        let named = image
            .spec
            .additional_trusted_ca
            .as_ref()
            .map(|r| r.name.clone());
        if named.as_deref().is_some_and(|n| !n.is_empty()) {
            return Ok(Some(Outcome::conflict(
                vec![FieldChange {
                    field: "spec.additionalTrustedCA.name".into(),
                    shown: None,
                    now: named.map(|n| serde_json::to_string(&n).unwrap_or_default()),
                }],
                image.metadata.resource_version.unwrap_or_default(),
            )));
        }
        match ShownVersion::of(&image.metadata) {
            Ok(newer) => version = newer,
            Err(_) => break,
        }
    }
    Ok(Some(Outcome::conflict(
        Vec::new(),
        version.as_str().to_owned(),
    )))
}

/// Deletes the ConfigMap this change created, as it created it.
async fn undo_create(api: &Api<ConfigMap>, created: &ConfigMap) -> Undo {
    let name = created.metadata.name.clone().unwrap_or_default();
    let by_hand = format!("oc delete configmap {name} -n {CONFIG_NAMESPACE}");
    let left = match ShownVersion::of(&created.metadata) {
        Err(_) => Some(format!("its version is unknown; to remove it: {by_hand}")),
        Ok(version) => match write::delete(api, &name, &version, false).await {
            Ok(Sent::Done(_)) => None,
            Ok(_) => Some(format!(
                "it changed after this change created it, so it was kept; to remove it: {by_hand}"
            )),
            Err(error) => Some(format!(
                "removing it failed ({error}); to remove it: {by_hand}"
            )),
        },
    };
    Undo {
        what: Undone::ConfigMap { name },
        left,
    }
}

/// The page for `user`, and whether they may change the trusted CAs (`patch configmaps`
/// in `openshift-config`).
pub async fn read_as(user: &SignedIn) -> Result<TrustData, ConsoleError> {
    let (trust, may_patch, may_patch_image) = tokio::join!(
        super::read::read(&user.client, Utc::now()),
        access::can(&user.client, access::patch_config_maps(CONFIG_NAMESPACE)),
        access::can(&user.client, access::patch_image_config()),
    );
    let explained = |error| user.explain(error, said::errors::to_read_trust());
    Ok(TrustData {
        trust: trust.map_err(explained)?,
        viewer: user.viewer(may_patch.map_err(explained)?),
        may_edit_sources: user.viewer(may_patch_image.map_err(explained)?).can_edit,
    })
}

/// The review of `change` for `user`.
pub async fn preview_as(user: &SignedIn, change: &CaChange) -> Result<CaReview, ConsoleError> {
    preview(&user.client, change, Utc::now())
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_ca_change()))
}

/// Applies `change` as `user`. The log names the entry, never its bundle.
pub async fn apply_as(user: &SignedIn, change: &CaChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    // A write without the versions the page showed could overwrite what the user never
    // saw: refused before anything is read.
    if let Some(version) = &change.config_map_version {
        ShownVersion::new(version)?;
    }
    if !change.referenced {
        ShownVersion::new(&change.image_version)?;
    }
    let result = apply(&user.client, change, Utc::now()).await;
    let entry = match &change.edit {
        CaEdit::Add { registry } => format!("add {registry}"),
        CaEdit::Replace { key } => format!("replace {key}"),
        CaEdit::Remove { key } => format!("remove {key}"),
    };
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), %entry, configmap = %change.config_map, outcome = %outcome.message(super::view::OBJECT), "trusted CA change")
        }
        Err(error) => {
            tracing::info!(user = %user.name(), %entry, %error, "trusted CA change failed")
        }
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_cas()))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
