//! The registry's routes, read and changed as the signed-in user: `spec.routes` of the
//! registry's config is patched whole at the version the page showed, after the TLS
//! Secret a new route names is made (from a certificate and key that passed
//! `registry_model::tls`) or found; the Secret is taken back when the config change does
//! not happen. Keys are written once and never returned or logged.

use std::collections::BTreeMap;

use chrono::Utc;
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::ListParams;
use registry_model::change::{oc_patch, shell_quote, yaml_diff};
use registry_model::names::{CONFIG_RESOURCE, OWNED_ANNOTATION, REGISTRY_NAMESPACE, SINGLETON};
use registry_model::registry_config::ImageRegistryConfigRoute;
use registry_model::tls::{CERT_FIELD, HOST_FIELD, KEY_FIELD, check_pair, facts_of};
use registry_model::trust::CertFacts;
use registry_model::validation::settings::validate_routes;
use registry_model::validation::{Finding, Message, blocks};
use registry_model::{Config, Route};
use serde_json::json;

use super::view::{
    CustomRoute, RouteChange, RouteEdit, RouteReview, RouteRow, Routes, RoutesData, TlsSecret,
    TlsSource,
};
use crate::cluster::access;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{self, Attempt, Sent, changes};
use crate::console::SignedIn;
use crate::edit::outcome::{Outcome, Undo, Undone};
use crate::error::ConsoleError;
use crate::i18n::said;

const TLS_TYPE: &str = "kubernetes.io/tls";
/// How often `spec.routes` is sent again when only other fields moved meanwhile.
const MAX_RETRIES: usize = 3;
/// Where a finding about a new route's name and the Secret's name land.
pub const NAME_FIELD: &str = "name";
pub const SECRET_FIELD: &str = "secret";

fn cert_text(secret: &Secret) -> Option<String> {
    secret
        .data
        .as_ref()?
        .get("tls.crt")
        .map(|b| String::from_utf8_lossy(&b.0).into_owned())
}

/// Reads what the page shows.
pub async fn read(client: &kube::Client) -> Result<Routes, kube::Error> {
    let now = Utc::now();
    let configs = Api::<Config>::all(client.clone());
    let routes = Api::<Route>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let list = ListParams::default();
    let (config, routes, secrets) = tokio::join!(
        configs.get(SINGLETON),
        routes.list(&list),
        secrets.list(&list)
    );
    let config = config?;
    let mut unreadable = Vec::new();
    let mut forbidden = |what: &str, error: kube::Error| match error {
        kube::Error::Api(status) if status.code == 403 => {
            unreadable.push(format!("{what}: {}", status.message));
            Ok(())
        }
        other => Err(other),
    };
    let routes = match routes {
        Ok(list) => list.items,
        Err(error) => {
            forbidden("routes in openshift-image-registry", error)?;
            Vec::new()
        }
    };
    let secrets: Option<Vec<Secret>> = match secrets {
        Ok(list) => Some(list.items),
        Err(error) => {
            forbidden("secrets in openshift-image-registry", error)?;
            None
        }
    };
    let tls_secrets: Vec<TlsSecret> = secrets
        .iter()
        .flatten()
        .filter(|s| s.type_.as_deref() == Some(TLS_TYPE))
        .map(|s| TlsSecret {
            name: s.metadata.name.clone().unwrap_or_default(),
            certificate: cert_text(s)
                .ok_or(Message::PemEmpty)
                .and_then(|pem| registry_model::trust::inspect(&pem, now.timestamp(), CERT_FIELD))
                .map(|bundle| bundle.certificates[0].clone()),
        })
        .collect();
    let spec = &config.spec;
    let custom = spec
        .routes
        .iter()
        .flatten()
        .map(|r| CustomRoute {
            name: r.name.clone(),
            hostname: r.hostname.clone().filter(|h| !h.is_empty()),
            secret_name: r.secret_name.clone().filter(|s| !s.is_empty()),
            secret_missing: match (&secrets, r.secret_name.as_deref().filter(|s| !s.is_empty())) {
                (Some(all), Some(name)) => {
                    !all.iter().any(|s| s.metadata.name.as_deref() == Some(name))
                }
                _ => false,
            },
        })
        .collect();
    let rows = routes
        .into_iter()
        .map(|route| {
            let ingress = route
                .status
                .as_ref()
                .and_then(|s| s.ingress.first().cloned());
            RouteRow {
                name: route.metadata.name.clone().unwrap_or_default(),
                host: ingress
                    .as_ref()
                    .and_then(|i| i.host.clone())
                    .or_else(|| route.spec.host.clone())
                    .filter(|h| !h.is_empty()),
                termination: route.spec.tls.as_ref().and_then(|t| {
                    serde_json::to_value(t.termination)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                }),
                admitted: ingress.and_then(|i| {
                    i.conditions
                        .iter()
                        .find(|c| c.type_ == "Admitted")
                        .map(|c| c.status == "True")
                }),
                operator_owned: route
                    .metadata
                    .annotations
                    .as_ref()
                    .is_some_and(|a| a.contains_key(OWNED_ANNOTATION)),
                certificate: route
                    .spec
                    .tls
                    .as_ref()
                    .and_then(|t| t.certificate.as_deref())
                    .filter(|c| !c.trim().is_empty())
                    .and_then(|pem| {
                        registry_model::trust::inspect(pem, now.timestamp(), CERT_FIELD).ok()
                    })
                    .map(|bundle| bundle.certificates[0].clone()),
            }
        })
        .collect();
    Ok(Routes {
        generated_at: now,
        config_version: config.metadata.resource_version.clone().unwrap_or_default(),
        management_state: spec.management_state,
        default_route: spec.default_route.unwrap_or(false),
        custom,
        routes: rows,
        secrets: tls_secrets,
        unreadable,
    })
}

fn as_spec(routes: &[CustomRoute]) -> Vec<ImageRegistryConfigRoute> {
    routes
        .iter()
        .map(|r| ImageRegistryConfigRoute {
            name: r.name.clone(),
            hostname: r.hostname.clone(),
            secret_name: r.secret_name.clone(),
        })
        .collect()
}

/// What a change does: `spec.routes` after it, the Secret to make, and what it found.
struct Plan {
    after: Vec<ImageRegistryConfigRoute>,
    secret: Option<Secret>,
    certificate: Option<CertFacts>,
    findings: Vec<Finding>,
    commands: Vec<String>,
}

/// The change's rules, its certificate and key checked, against the cluster as it is now.
async fn plan(client: &kube::Client, change: &RouteChange) -> Result<Plan, kube::Error> {
    let now = Utc::now().timestamp();
    let before = as_spec(&change.shown);
    let mut findings = Vec::new();
    let mut secret = None;
    let mut certificate = None;
    let mut commands = Vec::new();
    let after = match &change.edit {
        RouteEdit::Remove { name } => before.iter().filter(|r| r.name != *name).cloned().collect(),
        RouteEdit::Add {
            name,
            hostname,
            tls,
        } => {
            let hostname = hostname.trim().to_owned();
            let secret_name = match tls {
                TlsSource::Default => None,
                TlsSource::Existing { secret } | TlsSource::Upload { secret, .. } => {
                    Some(secret.trim().to_owned())
                }
            };
            let mut after = before.clone();
            after.push(ImageRegistryConfigRoute {
                name: name.trim().to_owned(),
                hostname: (!hostname.is_empty()).then(|| hostname.clone()),
                secret_name: secret_name.clone(),
            });
            // The shared rules for the new entry, on the form's own fields.
            let index = format!("spec.routes[{}]", after.len() - 1);
            for finding in validate_routes(&after) {
                if let Some(rest) = finding.field.strip_prefix(&index) {
                    let field = match rest {
                        ".hostname" => HOST_FIELD,
                        _ => NAME_FIELD,
                    };
                    findings.push(Finding {
                        field: field.into(),
                        ..finding
                    });
                }
            }
            let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
            match tls {
                TlsSource::Default => {}
                TlsSource::Existing { secret: name } => match secrets.get_opt(name.trim()).await? {
                    None => findings.push(Finding::error(
                        SECRET_FIELD,
                        Message::TlsSecretMissing { name: name.clone() },
                    )),
                    Some(s) if s.type_.as_deref() != Some(TLS_TYPE) => {
                        findings.push(Finding::error(
                            SECRET_FIELD,
                            Message::TlsSecretNotTls { name: name.clone() },
                        ))
                    }
                    Some(s) => match facts_of(&cert_text(&s).unwrap_or_default(), &hostname, now) {
                        Ok((leaf, warnings)) => {
                            certificate = Some(leaf);
                            findings.extend(warnings);
                        }
                        Err(errors) => findings.extend(errors),
                    },
                },
                TlsSource::Upload {
                    secret: name,
                    certificate: cert,
                    key,
                } => {
                    if !registry_model::validation::names::is_dns1123_subdomain(name.trim()) {
                        findings.push(Finding::error(
                            SECRET_FIELD,
                            Message::SecretName { name: name.clone() },
                        ));
                    } else if secrets.get_opt(name.trim()).await?.is_some() {
                        findings.push(Finding::error(
                            SECRET_FIELD,
                            Message::TlsSecretExists { name: name.clone() },
                        ));
                    }
                    match check_pair(cert, key, &hostname, now) {
                        Ok(checked) => {
                            certificate = Some(checked.leaf);
                            findings.extend(checked.warnings);
                            secret = Some(Secret {
                                metadata: ObjectMeta {
                                    name: Some(name.trim().to_owned()),
                                    namespace: Some(REGISTRY_NAMESPACE.into()),
                                    ..ObjectMeta::default()
                                },
                                type_: Some(TLS_TYPE.into()),
                                data: Some(BTreeMap::from([
                                    ("tls.crt".to_owned(), ByteString(cert.clone().into_bytes())),
                                    ("tls.key".to_owned(), ByteString(key.clone().into_bytes())),
                                ])),
                                ..Secret::default()
                            });
                            commands.push(format!(
                                "oc create secret tls {} --cert=tls.crt --key=tls.key -n {REGISTRY_NAMESPACE}",
                                shell_quote(name.trim())
                            ));
                        }
                        Err(errors) => findings.extend(errors),
                    }
                }
            }
            after
        }
    };
    let patch = json!({ "spec": { "routes": after } });
    commands.push(oc_patch(CONFIG_RESOURCE, SINGLETON, None, &patch));
    Ok(Plan {
        after,
        secret,
        certificate,
        findings,
        commands,
    })
}

fn key_field_last(findings: &mut [Finding]) {
    // The key's findings after the certificate's: the form reads top to bottom.
    findings.sort_by_key(|f| f.field == KEY_FIELD);
}

/// The review: rules, certificate and key checked, the diff of `spec.routes`, the commands.
pub async fn preview(
    client: &kube::Client,
    change: &RouteChange,
) -> Result<RouteReview, kube::Error> {
    let mut plan = plan(client, change).await?;
    key_field_last(&mut plan.findings);
    let blocked = blocks(&plan.findings);
    Ok(RouteReview {
        diff: if blocked {
            Vec::new()
        } else {
            yaml_diff(
                &json!({ "spec": { "routes": as_spec(&change.shown) } }),
                &json!({ "spec": { "routes": plan.after } }),
            )
        },
        commands: if blocked { Vec::new() } else { plan.commands },
        certificate: plan.certificate,
        findings: plan.findings,
        blocked,
    })
}

/// Applies a change at the config's version the page showed.
pub async fn apply(client: &kube::Client, change: &RouteChange) -> Result<Outcome, kube::Error> {
    let plan = plan(client, change).await?;
    if blocks(&plan.findings) {
        return Ok(Outcome::refused(plan.findings));
    }
    let Ok(version) = ShownVersion::new(&change.config_version) else {
        return Ok(Outcome::conflict(Vec::new(), String::new()));
    };
    let configs = Api::<Config>::all(client.clone());
    let patch = json!({ "spec": { "routes": plan.after } });
    // Dry runs of both writes first: nothing is made unless both would be taken.
    if let Sent::Refused(findings) =
        write::send(&configs, SINGLETON, &patch, Attempt::DryRun(&version)).await?
    {
        return Ok(Outcome::refused(findings));
    }
    let secrets = Api::<Secret>::namespaced(client.clone(), REGISTRY_NAMESPACE);
    let mut made = None;
    if let Some(secret) = &plan.secret {
        match write::create(&secrets, secret, true).await? {
            Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
            Sent::Conflict => {
                return Ok(Outcome::refused(vec![Finding::error(
                    SECRET_FIELD,
                    Message::TlsSecretExists {
                        name: secret.metadata.name.clone().unwrap_or_default(),
                    },
                )]));
            }
            Sent::Done(_) => {}
        }
        match write::create(&secrets, secret, false).await? {
            Sent::Done(created) => made = Some(*created),
            Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
            Sent::Conflict => {
                return Ok(Outcome::refused(vec![Finding::error(
                    SECRET_FIELD,
                    Message::TlsSecretExists {
                        name: secret.metadata.name.clone().unwrap_or_default(),
                    },
                )]));
            }
        }
    }
    let mut version = version;
    let mut outcome = Outcome::conflict(Vec::new(), version.as_str().to_owned());
    for _ in 0..=MAX_RETRIES {
        match write::send(&configs, SINGLETON, &patch, Attempt::Write(&version)).await? {
            Sent::Done(config) => {
                return Ok(Outcome::applied(
                    config.metadata.resource_version.unwrap_or_default(),
                ));
            }
            Sent::Refused(findings) => {
                outcome = Outcome::refused(findings);
                break;
            }
            Sent::Conflict => {}
        }
        let now = configs.get(SINGLETON).await?;
        let theirs = changes(
            &json!({ "routes": as_spec(&change.shown) }),
            &json!({ "routes": now.spec.routes.clone().unwrap_or_default() }),
        );
        if !theirs.is_empty() {
            outcome = Outcome::conflict(theirs, now.metadata.resource_version.unwrap_or_default());
            break;
        }
        // Only fields this change does not touch moved (the operator's status or its
        // httpSecret): the routes the user saw are still current.
        match ShownVersion::of(&now.metadata) {
            Ok(newer) => version = newer,
            Err(_) => break,
        }
    }
    Ok(match made {
        Some(created) => outcome.after_undoing(vec![undo_secret(&secrets, &created).await]),
        None => outcome,
    })
}

/// Deletes the Secret this change made, as it made it.
async fn undo_secret(secrets: &Api<Secret>, created: &Secret) -> Undo {
    let name = created.metadata.name.clone().unwrap_or_default();
    let by_hand = format!("oc delete secret {name} -n {REGISTRY_NAMESPACE}");
    let left = match ShownVersion::of(&created.metadata) {
        Err(_) => Some(format!("its version is unknown; to remove it: {by_hand}")),
        Ok(version) => match write::delete(secrets, &name, &version, false).await {
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
        what: Undone::Secret { name },
        left,
    }
}

/// The page for `user`, and whether they may change the config's routes.
pub async fn read_as(user: &SignedIn) -> Result<RoutesData, ConsoleError> {
    let (routes, may_patch) = tokio::join!(
        read(&user.client),
        access::can(&user.client, access::patch_registry_config()),
    );
    let explained = |error| user.explain(error, said::errors::to_read_routes());
    Ok(RoutesData {
        routes: routes.map_err(explained)?,
        viewer: user.viewer(may_patch.map_err(explained)?),
    })
}

/// The review of `change` for `user`.
pub async fn preview_as(
    user: &SignedIn,
    change: &RouteChange,
) -> Result<RouteReview, ConsoleError> {
    preview(&user.client, change)
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_route_change()))
}

/// Applies `change` as `user`. The log names the route and Secret, never the key.
pub async fn apply_as(user: &SignedIn, change: &RouteChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    ShownVersion::new(&change.config_version)?;
    let result = apply(&user.client, change).await;
    let what = match &change.edit {
        RouteEdit::Add { name, tls, .. } => match tls {
            TlsSource::Default => format!("add {name}"),
            TlsSource::Existing { secret } => format!("add {name} with secret {secret}"),
            TlsSource::Upload { secret, .. } => format!("add {name} with new secret {secret}"),
        },
        RouteEdit::Remove { name } => format!("remove {name}"),
    };
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), route = %what, outcome = %outcome.message(crate::edit::outcome::Object::Config), "route change")
        }
        Err(error) => {
            tracing::info!(user = %user.name(), route = %what, %error, "route change failed")
        }
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_routes()))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
