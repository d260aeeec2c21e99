//! The registry configuration form: the management state, storage (one provider at a time,
//! only its fields shown), replicas and rollout. The shared rules run as the user types;
//! the review step shows the server's findings, the YAML diff and the `oc` commands, and
//! only a reviewed change can be applied.

use std::collections::BTreeMap;

use leptos::prelude::*;
use registry_model::registry_config::{
    ConfigSpec, LogLevel, ManagementState, ProxyConfig, PvcStorage, Requests, RolloutStrategy,
    Storage, StorageKind, StorageManagementState,
};
use registry_model::validation::settings::{OFFERED_STATES, validate_settings};
use registry_model::validation::storage::{
    ClaimInfo, StorageChoice, StorageContext, validate_storage,
};
use registry_model::validation::{Finding, blocks};

use crate::components::review::{changes_table, diff_view, findings_list};

use crate::functions::{ApplyConfig, PreviewConfig};
use crate::models::config::{ApplyOutcome, ConfigEdits, ConfigPage, ConfigRequest, ShownConfig};

/// The storage providers this form edits (IBM COS is kept as stored).
const KINDS: [StorageKind; 6] = [
    StorageKind::EmptyDir,
    StorageKind::Pvc,
    StorageKind::S3,
    StorageKind::Gcs,
    StorageKind::Azure,
    StorageKind::Swift,
];

/// A provider's text fields: `provider.field` as the API names it under `spec.storage`
/// (also the input's name), and its label.
fn text_fields(kind: StorageKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        StorageKind::S3 => &[
            ("s3.bucket", "Bucket"),
            ("s3.region", "Region"),
            (
                "s3.regionEndpoint",
                "Region endpoint (S3-compatible stores)",
            ),
        ],
        StorageKind::Gcs => &[
            ("gcs.bucket", "Bucket"),
            ("gcs.region", "Region"),
            ("gcs.projectID", "Project ID"),
            ("gcs.keyID", "KMS key ID"),
        ],
        StorageKind::Azure => &[
            ("azure.accountName", "Storage account name"),
            ("azure.container", "Container"),
            ("azure.cloudName", "Cloud (empty: AzurePublicCloud)"),
        ],
        StorageKind::Swift => &[
            ("swift.authURL", "Keystone auth URL"),
            ("swift.authVersion", "Auth version"),
            ("swift.container", "Container"),
            ("swift.domain", "Domain"),
            ("swift.tenant", "Tenant (project)"),
            ("swift.regionName", "Region"),
        ],
        _ => &[],
    }
}

/// A provider's credential fields: the exact key the operator reads, the label, and whether
/// the value is a whole file (the GCS key file).
fn secret_fields(kind: StorageKind) -> &'static [(&'static str, &'static str, bool)] {
    match kind {
        StorageKind::S3 => &[
            ("REGISTRY_STORAGE_S3_ACCESSKEY", "Access key ID", false),
            ("REGISTRY_STORAGE_S3_SECRETKEY", "Secret access key", false),
        ],
        StorageKind::Gcs => &[(
            "REGISTRY_STORAGE_GCS_KEYFILE",
            "Service account key file (paste the JSON)",
            true,
        )],
        StorageKind::Azure => &[("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", "Account key", false)],
        StorageKind::Swift => &[
            ("REGISTRY_STORAGE_SWIFT_USERNAME", "User name", false),
            ("REGISTRY_STORAGE_SWIFT_PASSWORD", "Password", false),
        ],
        _ => &[],
    }
}

/// The value at `provider.field` of a storage block, as text.
fn stored_text(storage: &serde_json::Value, id: &str) -> String {
    id.split('.')
        .try_fold(storage, |v, k| v.get(k))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// What the form holds, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct FormValues {
    /// `None` when the stored state is not one the console offers (unset or `Force`).
    pub state: Option<ManagementState>,
    /// `None` keeps the stored storage (none, or a provider this form does not edit).
    pub kind: Option<StorageKind>,
    pub claim: String,
    /// Text fields of every provider, by `provider.field`.
    pub fields: BTreeMap<String, String>,
    /// Credential values typed in, by key; empty keeps the stored value.
    pub secrets: BTreeMap<String, String>,
    pub replicas: String,
    pub rollout: RolloutStrategy,
    pub read_only: bool,
    pub disable_redirect: bool,
    pub default_route: bool,
    pub log_level: LogLevel,
    pub operator_log_level: LogLevel,
    /// The proxy and request limits as typed, by their path under `spec`.
    pub settings: BTreeMap<String, String>,
}

/// The proxy and request-limit fields: path under `spec`, and label.
const SETTING_FIELDS: [(&str, &str); 9] = [
    ("proxy.http", "HTTP proxy"),
    ("proxy.https", "HTTPS proxy"),
    ("proxy.noProxy", "No proxy for (comma-separated)"),
    (
        "requests.read.maxRunning",
        "Reads running at once (0: no limit)",
    ),
    (
        "requests.read.maxInQueue",
        "Reads waiting in the queue (0: no limit)",
    ),
    (
        "requests.read.maxWaitInQueue",
        "Longest wait of a queued read (Go duration: 30s, 2m)",
    ),
    (
        "requests.write.maxRunning",
        "Writes running at once (0: no limit)",
    ),
    (
        "requests.write.maxInQueue",
        "Writes waiting in the queue (0: no limit)",
    ),
    (
        "requests.write.maxWaitInQueue",
        "Longest wait of a queued write (Go duration)",
    ),
];

/// Whether a setting holds a whole number rather than text.
fn numeric(id: &str) -> bool {
    id.ends_with(".maxRunning") || id.ends_with(".maxInQueue")
}

/// The proxy and request limits the typed settings make; numbers that do not parse are
/// left out (the findings name them).
fn typed_settings(settings: &BTreeMap<String, String>) -> (ProxyConfig, Option<Requests>) {
    let mut spec = serde_json::json!({});
    for (id, _) in SETTING_FIELDS {
        let text = settings.get(id).map(|t| t.trim()).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let value = if numeric(id) {
            match text.parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => continue,
            }
        } else {
            serde_json::Value::from(text)
        };
        let mut at = &mut spec;
        for part in id.split('.') {
            at = &mut at[part];
        }
        *at = value;
    }
    let proxy = serde_json::from_value(spec["proxy"].take()).unwrap_or_default();
    let requests = serde_json::from_value(spec["requests"].take()).ok();
    (proxy, requests)
}

/// The registry log levels a form offers (unset means Normal).
const LOG_LEVELS: [LogLevel; 4] = [
    LogLevel::Normal,
    LogLevel::Debug,
    LogLevel::Trace,
    LogLevel::TraceAll,
];

/// The stored settings as the form shows them: an unset flag is off, an unset (or empty)
/// log level is Normal, an unset rollout strategy is RollingUpdate.
fn shown_settings(spec: &ConfigSpec) -> (RolloutStrategy, bool, bool, bool, LogLevel) {
    (
        spec.rollout_strategy
            .unwrap_or(RolloutStrategy::RollingUpdate),
        spec.read_only.unwrap_or(false),
        spec.disable_redirect.unwrap_or(false),
        spec.default_route.unwrap_or(false),
        spec.log_level
            .filter(|l| *l != LogLevel::Unset)
            .unwrap_or(LogLevel::Normal),
    )
}

/// `Some(value)` only when it differs from what was shown, so nothing unchanged is sent.
fn changed<T: PartialEq>(value: T, shown: T) -> Option<T> {
    (value != shown).then_some(value)
}

impl FormValues {
    /// The form as the shown config fills it.
    pub fn from_shown(shown: &ShownConfig) -> Self {
        let spec = &shown.spec;
        let choice = spec.storage.as_ref().and_then(StorageChoice::from_storage);
        let stored =
            serde_json::to_value(spec.storage.clone().unwrap_or_default()).unwrap_or_default();
        let fields = KINDS
            .into_iter()
            .flat_map(text_fields)
            .map(|(id, _)| (id.to_string(), stored_text(&stored, id)))
            .collect();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let settings = shown_settings(spec);
        FormValues {
            state: spec
                .management_state
                .filter(|state| OFFERED_STATES.contains(state)),
            kind: choice.map(|c| c.kind()).filter(|kind| KINDS.contains(kind)),
            claim: spec
                .storage
                .as_ref()
                .and_then(|s| s.pvc.as_ref())
                .map(|p| text(&p.claim))
                .unwrap_or_default(),
            fields,
            secrets: BTreeMap::new(),
            replicas: spec.replicas.to_string(),
            rollout: settings.0,
            read_only: settings.1,
            disable_redirect: settings.2,
            default_route: settings.3,
            log_level: settings.4,
            operator_log_level: spec
                .operator_log_level
                .filter(|l| *l != LogLevel::Unset)
                .unwrap_or(LogLevel::Normal),
            settings: {
                let stored = serde_json::to_value(spec).unwrap_or_default();
                SETTING_FIELDS
                    .iter()
                    .map(|(id, _)| {
                        let value = id.split('.').try_fold(&stored, |v, k| v.get(k));
                        let text = match value {
                            Some(serde_json::Value::String(t)) => t.clone(),
                            Some(serde_json::Value::Number(n)) => n.to_string(),
                            _ => String::new(),
                        };
                        (id.to_string(), text)
                    })
                    .collect()
            },
        }
    }

    /// The edits these values make to the shown config. Fields the form does not show
    /// (S3's encrypt or CloudFront, say) keep their stored values.
    pub fn edits(&self, shown: &ShownConfig) -> ConfigEdits {
        let settings = shown_settings(&shown.spec);
        // Compared as the form would type what was shown, so nothing unchanged is sent.
        let (proxy, requests) = typed_settings(&self.settings);
        let (shown_proxy, shown_requests) = typed_settings(&FormValues::from_shown(shown).settings);
        let choice = self.kind.and_then(|kind| match kind {
            StorageKind::EmptyDir => Some(StorageChoice::EmptyDir),
            StorageKind::Pvc => Some(StorageChoice::Pvc(PvcStorage {
                claim: Some(self.claim.trim().to_owned()),
            })),
            cloud => self.cloud_choice(cloud, shown),
        });
        ConfigEdits {
            management_state: self.state,
            replicas: self.replicas.trim().parse().ok(),
            rollout_strategy: changed(self.rollout, settings.0),
            read_only: changed(self.read_only, settings.1),
            disable_redirect: changed(self.disable_redirect, settings.2),
            default_route: changed(self.default_route, settings.3),
            log_level: changed(self.log_level, settings.4),
            operator_log_level: changed(
                self.operator_log_level,
                FormValues::from_shown(shown).operator_log_level,
            ),
            proxy: changed(proxy, shown_proxy),
            requests: changed(requests, shown_requests).map(Option::unwrap_or_default),
            storage: choice,
        }
    }

    /// A cloud provider's block: the stored one (so fields the form does not show keep
    /// their values) with the typed fields over it. An emptied field that was empty or
    /// unset stays unset rather than becoming `""`.
    fn cloud_choice(&self, kind: StorageKind, shown: &ShownConfig) -> Option<StorageChoice> {
        let stored = serde_json::to_value(shown.spec.storage.clone().unwrap_or_default())
            .unwrap_or_default();
        let mut block = stored
            .get(kind.field())
            .cloned()
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        for (id, _) in text_fields(kind) {
            let typed = self.fields.get(*id).map(|t| t.trim()).unwrap_or_default();
            let name = id.split_once('.').map_or(*id, |(_, name)| name);
            if !typed.is_empty() || !stored_text(&stored, id).is_empty() {
                block[name] = serde_json::Value::String(typed.to_owned());
            }
        }
        let storage: Storage =
            serde_json::from_value(serde_json::json!({ kind.field(): block })).ok()?;
        StorageChoice::from_storage(&storage)
    }

    /// Credential values typed in for the chosen provider; an empty field keeps what is
    /// stored.
    fn credentials(&self) -> Vec<(String, String, Option<String>)> {
        let Some(kind) = self.kind else {
            return Vec::new();
        };
        secret_fields(kind)
            .iter()
            .filter_map(|(key, _, _)| {
                let value = self.secrets.get(*key).filter(|v| !v.is_empty())?;
                Some((key.to_string(), value.clone(), None))
            })
            .collect()
    }

    /// The request the review and apply send.
    pub fn request(&self, shown: &ShownConfig) -> ConfigRequest {
        ConfigRequest {
            shown: shown.clone(),
            edits: self.edits(shown),
            credentials: self.credentials(),
        }
    }

    /// The shared rules, as the browser can run them. A named claim is judged by the
    /// server, which can see it; the browser cannot.
    pub fn findings(&self, shown: &ShownConfig) -> Vec<Finding> {
        let mut out = Vec::new();
        for (id, _) in SETTING_FIELDS.iter().filter(|(id, _)| numeric(id)) {
            let text = self.settings.get(*id).map(|t| t.trim()).unwrap_or_default();
            if !text.is_empty() && text.parse::<i64>().is_err() {
                out.push(Finding::error(
                    format!("spec.{id}"),
                    format!("\"{text}\" is not a whole number"),
                ));
            }
        }
        if self.replicas.trim().parse::<i32>().is_err() {
            out.push(Finding::error(
                "spec.replicas",
                format!("\"{}\" is not a whole number", self.replicas),
            ));
        }
        let edits = self.edits(shown);
        let desired = edits.apply_to(&shown.spec);
        out.extend(validate_settings(&desired));
        if let Some(choice) = edits.storage {
            let ctx = StorageContext {
                replicas: desired.replicas,
                rollout: desired.rollout_strategy,
                claim: Some(ClaimInfo {
                    access_modes: vec!["ReadWriteMany".into()],
                    size_bytes: None,
                }),
                stored_keys: shown.credentials.keys.iter().cloned().collect(),
                new_keys: self.credentials().into_iter().map(|c| c.0).collect(),
            };
            out.extend(
                validate_storage(&choice, &ctx)
                    .into_iter()
                    .filter(|f| shown.credentials.readable || f.field != "credentials"),
            );
        }
        out
    }
}

/// Switching providers leaves the images behind: say so when the user switches.
fn switch_warning(stored: Option<StorageKind>, chosen: Option<StorageKind>) -> Option<String> {
    match (stored, chosen) {
        (Some(from), Some(to)) if from != to => Some(format!(
            "Switching from {} to {} does not migrate images: the registry starts empty on the new storage.",
            from.label(),
            to.label()
        )),
        _ => None,
    }
}

/// `Removed` deletes the storage the operator created (`registry-api.md` §9.4): warn when
/// the user chooses it for such storage.
fn removal_warning(spec: ConfigSpec, chosen: Option<ManagementState>) -> Option<&'static str> {
    let owned =
        spec.storage.and_then(|s| s.management_state) == Some(StorageManagementState::Managed);
    (owned
        && chosen == Some(ManagementState::Removed)
        && spec.management_state != Some(ManagementState::Removed))
    .then_some(
        "Removed deletes the registry and the storage the operator created for it (storage management Managed), with every image in it.",
    )
}

/// The configuration form for one shown config.
#[component]
pub fn ConfigForm(page: ConfigPage) -> impl IntoView {
    let shown = StoredValue::new(page.shown);
    let initial = shown.with_value(FormValues::from_shown);
    let values = RwSignal::new(initial.clone());
    let preview = ServerAction::<PreviewConfig>::new();
    let apply = ServerAction::<ApplyConfig>::new();
    let reviewed = RwSignal::new(None::<ConfigRequest>);

    let findings = Memo::new(move |_| values.with(|v| shown.with_value(|s| v.findings(s))));
    // Any edit makes the last review stale.
    Effect::new(move |_| {
        values.track();
        reviewed.set(None);
        preview.value().set(None);
    });

    let review = move |_| {
        let request = values.with(|v| shown.with_value(|s| v.request(s)));
        reviewed.set(Some(request.clone()));
        preview.dispatch(PreviewConfig { request });
    };
    let confirm = move |_| {
        if let Some(request) = reviewed.get() {
            apply.dispatch(ApplyConfig { request });
        }
    };

    let set = move |update: fn(&mut FormValues, String)| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            values.update(|v| update(v, text));
        }
    };
    let kind_is = move |kind: StorageKind| move || values.with(|v| v.kind == Some(kind));
    let stored_key =
        move |key: &'static str| shown.with_value(|s| s.credentials.keys.iter().any(|k| k == key));
    let key_placeholder = move |key: &'static str| {
        if stored_key(key) {
            "stored — leave empty to keep it"
        } else {
            "not set"
        }
    };

    // One block per cloud provider, shown only while it is the chosen one.
    let cloud_fields = KINDS
        .into_iter()
        .filter(|kind| !text_fields(*kind).is_empty())
        .map(|kind| {
            let texts = text_fields(kind)
                .iter()
                .map(|&(id, label)| {
                    let value = initial.fields.get(id).cloned().unwrap_or_default();
                    view! {
                        <label>{label}
                            <input name=id value=value on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.fields.insert(id.to_owned(), text); });
                            }/>
                        </label>
                    }
                })
                .collect_view();
            let secrets = secret_fields(kind)
                .iter()
                .map(|&(key, label, file)| {
                    let update = move |ev: leptos::ev::Event| {
                        let text = event_target_value(&ev);
                        values.update(|v| { v.secrets.insert(key.to_owned(), text); });
                    };
                    let input = if file {
                        view! { <textarea name=key rows="4" autocomplete="off" placeholder=key_placeholder(key) on:input=update></textarea> }.into_any()
                    } else {
                        view! { <input name=key type="password" autocomplete="off" placeholder=key_placeholder(key) on:input=update/> }.into_any()
                    };
                    view! { <label>{label}" "<code class="muted">{key}</code>{input}</label> }
                })
                .collect_view();
            view! {
                <div class="provider" data-provider=kind.field() hidden=move || !kind_is(kind)()>
                    {texts}
                    {secrets}
                </div>
            }
        })
        .collect_view();

    let kinds = KINDS
        .into_iter()
        .map(|kind| {
            view! {
                <label class="radio">
                    <input type="radio" name="storage" value=kind.field()
                        checked=initial.kind == Some(kind)
                        prop:checked=kind_is(kind)
                        on:change=move |_| values.update(|v| v.kind = Some(kind))/>
                    {kind.label()}
                </label>
            }
        })
        .collect_view();

    let states = OFFERED_STATES
        .into_iter()
        .map(|state| {
            view! {
                <option value=state.as_str() selected=initial.state == Some(state)>
                    {state.as_str()}
                </option>
            }
        })
        .collect_view();

    let review_panel = move || {
        preview.value().get().map(|result| match result {
            Err(error) => view! { <p class="alert error" role="alert">{error.to_string()}</p> }.into_any(),
            Ok(review) => {
                let nothing = review.patch.is_none() && review.secret_keys.is_empty();
                let blocked = review.blocked;
                view! {
                    <section class="card review">
                        <h2>"Review"</h2>
                        {findings_list(review.findings)}
                        {nothing.then(|| view! { <p class="muted">"Nothing changes: the cluster already holds these values."</p> })}
                        {(!review.diff.is_empty()).then(|| diff_view(review.diff))}
                        {review.oc_patch.map(|c| view! { <p class="muted">"The same from a terminal:"</p><pre class="command oc-patch">{c}</pre> })}
                        {review.oc_secret.map(|c| view! { <pre class="command oc-secret">{c}</pre> })}
                        <div class="button-row">
                            <button type="button" class="primary apply-config"
                                disabled=move || blocked || nothing || apply.pending().get()
                                on:click=confirm>
                                "Apply"
                            </button>
                        </div>
                    </section>
                }
                .into_any()
            }
        })
    };

    let outcome = move || {
        apply.value().get().map(|result| match result {
            Err(error) => view! { <p class="alert error outcome" role="alert">{error.to_string()}</p> }.into_any(),
            Ok(outcome) => {
                let class = match &outcome {
                    ApplyOutcome::Applied { .. } | ApplyOutcome::Unchanged => "alert info outcome",
                    ApplyOutcome::Conflict { .. }
                    | ApplyOutcome::Refused { .. }
                    | ApplyOutcome::CredentialsNotWritten { .. } => "alert warning outcome",
                };
                let changes = match &outcome {
                    ApplyOutcome::Conflict { changes, .. } => changes.clone(),
                    ApplyOutcome::Applied { rebased_over, .. } => rebased_over.clone(),
                    _ => Vec::new(),
                };
                view! {
                    <div class=class role="status">
                        <p>{outcome.message()}</p>
                        {changes_table(changes)}
                        <a href="/config" rel="external" class="button">"Load the current configuration"</a>
                    </div>
                }
                .into_any()
            }
        })
    };

    let editable = page.viewer.can_edit;
    let initial_kind = initial.kind;
    view! {
        <form class="config-form" on:submit=|ev| ev.prevent_default()>
            {(!editable).then(|| view! {
                <p class="alert warning">"You may look but not change: the cluster does not let you patch the registry config, or the console is read-only."</p>
            })}
            <section class="card">
                <h2>"Management state"</h2>
                <select name="managementState" on:change=move |ev| {
                    let state = ManagementState::parse(&event_target_value(&ev));
                    values.update(|v| v.state = state);
                }>
                    {initial.state.is_none().then(|| view! { <option value="" selected>"— keep as it is —"</option> })}
                    {states}
                </select>
                {move || removal_warning(shown.with_value(|s| s.spec.clone()), values.with(|v| v.state)).map(|w| view! { <p class="alert warning removal">{w}</p> })}
            </section>
            <section class="card storage-choice">
                <h2>"Storage"</h2>
                {initial.kind.is_none().then(|| view! {
                    <p class="muted">"The stored storage is kept unless you choose one here. Switching providers does not move images."</p>
                })}
                <div class="radios">{kinds}</div>
                {move || switch_warning(initial_kind, values.with(|v| v.kind)).map(|w| view! { <p class="alert warning switch">{w}</p> })}
                <Show when=kind_is(StorageKind::EmptyDir)>
                    <p class="alert warning">"emptyDir is for clusters that are not production: every image is lost when the registry pod restarts."</p>
                </Show>
                <Show when=kind_is(StorageKind::Pvc)>
                    <label>"Claim in openshift-image-registry (empty: the operator creates image-registry-storage)"
                        <input name="claim" value=initial.claim.clone() on:input=set(|v, t| v.claim = t)/>
                    </label>
                </Show>
                {cloud_fields}
            </section>
            <section class="card">
                <h2>"Replicas and rollout"</h2>
                <label>"Replicas"<input name="replicas" type="number" min="0" value=initial.replicas.clone() on:input=set(|v, t| v.replicas = t)/></label>
                <label>"Rollout strategy"
                    <select name="rolloutStrategy" on:change=move |ev| {
                        if let Some(r) = RolloutStrategy::parse(&event_target_value(&ev)) {
                            values.update(|v| v.rollout = r);
                        }
                    }>
                        <option value="RollingUpdate" selected=initial.rollout == RolloutStrategy::RollingUpdate>"RollingUpdate"</option>
                        <option value="Recreate" selected=initial.rollout == RolloutStrategy::Recreate>"Recreate"</option>
                    </select>
                </label>
            </section>
            <section class="card settings">
                <h2>"Registry settings"</h2>
                <label class="radio"><input type="checkbox" name="readOnly" checked=initial.read_only
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.read_only = on) }/>
                    "Read-only: refuse pushes (pulls keep working)"</label>
                <label class="radio"><input type="checkbox" name="disableRedirect" checked=initial.disable_redirect
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.disable_redirect = on) }/>
                    "Disable redirect: serve blobs through the registry instead of sending clients to the storage"</label>
                <label class="radio"><input type="checkbox" name="defaultRoute" checked=initial.default_route
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.default_route = on) }/>
                    "Default route: expose the registry outside the cluster as default-route"</label>
                <label>"Log level"
                    <select name="logLevel" on:change=move |ev| {
                        if let Some(level) = LogLevel::parse(&event_target_value(&ev)) {
                            values.update(|v| v.log_level = level);
                        }
                    }>
                        {LOG_LEVELS.into_iter().map(|level| view! {
                            <option value=level.as_str() selected=initial.log_level == level>{level.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Operator log level"
                    <select name="operatorLogLevel" on:change=move |ev| {
                        if let Some(level) = LogLevel::parse(&event_target_value(&ev)) {
                            values.update(|v| v.operator_log_level = level);
                        }
                    }>
                        {LOG_LEVELS.into_iter().map(|level| view! {
                            <option value=level.as_str() selected=initial.operator_log_level == level>{level.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {SETTING_FIELDS.into_iter().map(|(id, label)| {
                    let value = initial.settings.get(id).cloned().unwrap_or_default();
                    view! {
                        <label>{label}
                            <input name=id value=value on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.settings.insert(id.to_owned(), text); });
                            }/>
                        </label>
                    }
                }).collect_view()}
            </section>
            <div class="live-findings">{move || findings_list(findings.get())}</div>
            <div class="button-row">
                <button type="button" class="primary review-config"
                    disabled=move || !editable || blocks(&findings.get()) || preview.pending().get()
                    on:click=review>
                    "Review the change"
                </button>
            </div>
        </form>
        {review_panel}
        {outcome}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::config::CredentialsStatus;
    use registry_model::registry_config::{AzureStorage, S3Storage};
    use registry_model::validation::Severity;

    const S3_ACCESS_KEY: &str = "REGISTRY_STORAGE_S3_ACCESSKEY";
    const S3_SECRET_KEY: &str = "REGISTRY_STORAGE_S3_SECRETKEY";

    fn shown(storage: Storage, keys: &[&str]) -> ShownConfig {
        ShownConfig {
            resource_version: "7".into(),
            spec: ConfigSpec {
                management_state: Some(ManagementState::Removed),
                replicas: 1,
                storage: Some(storage),
                ..ConfigSpec::default()
            },
            credentials: CredentialsStatus {
                readable: true,
                exists: !keys.is_empty(),
                keys: keys.iter().map(|k| k.to_string()).collect(),
            },
        }
    }

    fn type_in(values: &mut FormValues, id: &str, text: &str) {
        values.fields.insert(id.into(), text.into());
    }

    #[test]
    fn an_untouched_form_changes_nothing_it_does_not_show() {
        let s3 = S3Storage {
            bucket: Some("images".into()),
            region: Some("us-east-1".into()),
            encrypt: Some(true),
            ..S3Storage::default()
        };
        let shown = shown(
            Storage {
                s3: Some(s3),
                ..Storage::default()
            },
            &[S3_ACCESS_KEY, S3_SECRET_KEY],
        );
        let values = FormValues::from_shown(&shown);
        assert_eq!(values.kind, Some(StorageKind::S3));
        assert_eq!(values.fields["s3.bucket"], "images");
        assert_eq!(
            values.edits(&shown).apply_to(&shown.spec),
            shown.spec,
            "encrypt is kept, unset settings shown as their defaults are not sent"
        );
        assert!(values.request(&shown).credentials.is_empty());
        assert!(!blocks(&values.findings(&shown)));
        let mut toggled = values.clone();
        toggled.default_route = true;
        toggled.log_level = LogLevel::Debug;
        let edits = toggled.edits(&shown);
        assert_eq!(edits.default_route, Some(true));
        assert_eq!(edits.log_level, Some(LogLevel::Debug));
        assert_eq!(edits.read_only, None);
        assert_eq!(edits.proxy, None);
        assert_eq!(edits.requests, None);
    }

    #[test]
    fn proxy_and_request_limits_are_sent_whole_and_only_when_changed() {
        let mut shown = shown(Storage::default(), &[]);
        shown.spec.proxy = Some(ProxyConfig {
            http: Some("http://proxy:3128".into()),
            ..ProxyConfig::default()
        });
        let mut values = FormValues::from_shown(&shown);
        assert_eq!(values.settings["proxy.http"], "http://proxy:3128");
        values
            .settings
            .insert("requests.read.maxRunning".into(), "10".into());
        values
            .settings
            .insert("requests.read.maxWaitInQueue".into(), "30s".into());
        let edits = values.edits(&shown);
        assert_eq!(edits.proxy, None, "the proxy did not change");
        let read = edits.requests.unwrap().read.unwrap();
        assert_eq!(read.max_running, Some(10));
        assert_eq!(read.max_wait_in_queue.as_deref(), Some("30s"));
        values
            .settings
            .insert("requests.write.maxInQueue".into(), "many".into());
        assert!(
            values
                .findings(&shown)
                .iter()
                .any(|f| f.field == "spec.requests.write.maxInQueue")
        );
        values.settings.insert("proxy.http".into(), String::new());
        assert_eq!(values.edits(&shown).proxy, Some(ProxyConfig::default()));
    }

    #[test]
    fn the_browser_runs_the_shared_rules() {
        let shown = shown(Storage::default(), &[]);
        let mut values = FormValues::from_shown(&shown);
        assert_eq!(values.kind, None);
        values.kind = Some(StorageKind::S3);
        type_in(&mut values, "s3.bucket", "Bad_Bucket");
        type_in(&mut values, "s3.region", "us-east-1");
        let fields: Vec<String> = values
            .findings(&shown)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.field)
            .collect();
        assert!(
            fields.contains(&"spec.storage.s3.bucket".to_string()),
            "{fields:?}"
        );
        assert!(fields.contains(&"credentials".to_string()), "{fields:?}");
        values.kind = Some(StorageKind::Azure);
        type_in(&mut values, "azure.accountName", "registrystore");
        let fields: Vec<String> = values
            .findings(&shown)
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert!(
            fields.contains(&"spec.storage.azure.container".to_string()),
            "{fields:?}"
        );
        values.kind = Some(StorageKind::EmptyDir);
        values.replicas = "2".into();
        assert!(
            values
                .findings(&shown)
                .iter()
                .any(|f| f.field == "spec.replicas")
        );
        values.replicas = "two".into();
        assert!(blocks(&values.findings(&shown)));
    }

    #[test]
    fn switching_providers_and_removing_owned_storage_are_warned_about() {
        assert!(
            switch_warning(Some(StorageKind::Pvc), Some(StorageKind::S3))
                .unwrap()
                .contains("does not migrate images")
        );
        assert_eq!(switch_warning(None, Some(StorageKind::S3)), None);
        assert_eq!(
            switch_warning(Some(StorageKind::S3), Some(StorageKind::S3)),
            None
        );
        let mut spec = shown(
            Storage {
                management_state: Some(StorageManagementState::Managed),
                pvc: Some(PvcStorage::default()),
                ..Storage::default()
            },
            &[],
        )
        .spec;
        spec.management_state = Some(ManagementState::Managed);
        assert!(removal_warning(spec.clone(), Some(ManagementState::Removed)).is_some());
        assert!(removal_warning(spec.clone(), Some(ManagementState::Unmanaged)).is_none());
        spec.storage.as_mut().unwrap().management_state = Some(StorageManagementState::Unmanaged);
        assert!(removal_warning(spec, Some(ManagementState::Removed)).is_none());
    }

    #[test]
    fn each_provider_sends_only_its_fields_and_typed_credentials() {
        let shown = shown(Storage::default(), &[]);
        let mut values = FormValues::from_shown(&shown);
        values.kind = Some(StorageKind::Azure);
        type_in(&mut values, "azure.accountName", "registrystore");
        type_in(&mut values, "azure.container", "images");
        type_in(&mut values, "s3.bucket", "not-for-azure");
        values
            .secrets
            .insert("REGISTRY_STORAGE_AZURE_ACCOUNTKEY".into(), "key==".into());
        values.secrets.insert(S3_ACCESS_KEY.into(), "AKIA".into());
        let request = values.request(&shown);
        assert_eq!(
            request.edits.storage,
            Some(StorageChoice::Azure(AzureStorage {
                account_name: Some("registrystore".into()),
                container: Some("images".into()),
                ..AzureStorage::default()
            }))
        );
        assert_eq!(
            request.credentials,
            [(
                "REGISTRY_STORAGE_AZURE_ACCOUNTKEY".to_string(),
                "key==".to_string(),
                None
            )]
        );
        values.kind = Some(StorageKind::Pvc);
        assert!(values.request(&shown).credentials.is_empty());
        assert_eq!(
            values.edits(&shown).storage,
            Some(StorageChoice::Pvc(PvcStorage {
                claim: Some(String::new())
            }))
        );
    }
}
