//! What the form holds as typed, and how that becomes edits of the shown config. Pure
//! functions over plain data, so they are tested without a browser; the component only
//! binds inputs to these values.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use registry_model::edit::config::{ConfigEdits, ConfigView, masked_proxy_findings};
use registry_model::registry_config::{
    ImageRegistryConfigRoute, LogLevel, ManagementState, ProxyConfig, PvcStorage, Requests,
    RolloutStrategy, Storage, StorageKind,
};
use registry_model::validation::claim::{NewClaim, validate_new_claim};
use registry_model::validation::placement::{
    format_node_selector, format_tolerations, parse_node_selector, parse_tolerations,
};
use registry_model::validation::settings::{OFFERED_STATES, validate_settings};
use registry_model::validation::storage::{
    ClaimInfo, StorageChoice, StorageContext, gcs_keyfile_problem, validate_storage,
};
use registry_model::validation::{Finding, Message};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::*;
use crate::config::view::{ConfigRequest, ShownConfig};

/// The key the GCS key file is stored under.
pub const GCS_KEYFILE: &str = "REGISTRY_STORAGE_GCS_KEYFILE";

/// Where the claim of PVC storage comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimMode {
    /// Empty claim: the operator creates `image-registry-storage` (ReadWriteMany, 100Gi).
    Operator,
    /// A claim that exists in `openshift-image-registry`.
    Existing,
    /// Block storage: the console creates a ReadWriteOnce claim first.
    Create,
}

/// One extra route as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRow {
    pub name: String,
    pub hostname: String,
    pub secret_name: String,
}

/// What the form holds, as typed. Serialized only in the browser, to merge it with a change
/// made meanwhile (`crate::edit::merge`); it never leaves the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormValues {
    /// `None` when the stored state is not one the console offers (unset or `Force`).
    pub state: Option<ManagementState>,
    /// `None` keeps the stored storage (none, or a provider this form does not edit).
    pub kind: Option<StorageKind>,
    pub claim_mode: ClaimMode,
    /// The existing claim's name.
    pub claim: String,
    pub new_claim_name: String,
    pub new_claim_size: String,
    /// Empty: the cluster's default class.
    pub new_claim_class: String,
    /// Provider text inputs, by `provider.path`.
    pub fields: BTreeMap<String, String>,
    /// Provider yes/no inputs, by `provider.path`.
    pub flags: BTreeMap<String, bool>,
    /// Credential values entered, by key; empty keeps the stored value.
    pub secrets: BTreeMap<String, String>,
    /// The names of uploaded credential files, by key.
    pub secret_files: BTreeMap<String, String>,
    pub replicas: String,
    pub rollout: RolloutStrategy,
    pub read_only: bool,
    pub disable_redirect: bool,
    pub default_route: bool,
    pub log_level: LogLevel,
    pub operator_log_level: LogLevel,
    /// The proxy and request limits as typed, by their path under `spec`.
    pub settings: BTreeMap<String, String>,
    pub regenerate_http_secret: bool,
    /// `key=value` lines.
    pub node_selector: String,
    /// `key=value:Effect` lines.
    pub tolerations: String,
    /// cpu and memory requests and limits, by their path under `spec.resources`.
    pub resources: BTreeMap<String, String>,
    pub routes: Vec<RouteRow>,
}

/// The field a place in [`FormValues`] edits, by the name its findings and links use
/// (`spec.replicas`, `spec.storage.s3.bucket`, `credentials.REGISTRY_STORAGE_S3_ACCESSKEY`).
pub fn field_name(path: &[String]) -> String {
    let key = path.get(1).map(String::as_str).unwrap_or_default();
    let top = path.first().map(String::as_str).unwrap_or_default();
    match top {
        "state" => "spec.managementState".into(),
        "kind" | "claim_mode" => "spec.storage".into(),
        "claim" => "spec.storage.pvc.claim".into(),
        "new_claim_name" => "newClaim.name".into(),
        "new_claim_size" => "newClaim.size".into(),
        "new_claim_class" => "newClaim.storageClass".into(),
        "fields" | "flags" => format!("spec.storage.{key}"),
        "secrets" | "secret_files" => format!("credentials.{key}"),
        "replicas" => "spec.replicas".into(),
        "rollout" => "spec.rolloutStrategy".into(),
        "read_only" => "spec.readOnly".into(),
        "disable_redirect" => "spec.disableRedirect".into(),
        "default_route" => "spec.defaultRoute".into(),
        "log_level" => "spec.logLevel".into(),
        "operator_log_level" => "spec.operatorLogLevel".into(),
        "settings" => format!("spec.{key}"),
        "regenerate_http_secret" => "spec.httpSecret".into(),
        "node_selector" => "spec.nodeSelector".into(),
        "tolerations" => "spec.tolerations".into(),
        "resources" => format!("spec.resources.{key}"),
        "routes" => "spec.routes".into(),
        other => other.into(),
    }
}

/// The claim name the form suggests for block storage.
pub const BLOCK_CLAIM_NAME: &str = "image-registry-block";
/// The size the guide asks for.
pub const BLOCK_CLAIM_SIZE: &str = "100Gi";

/// The value at a dotted path.
fn get_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, k| v.get(k))
}

/// Sets the value at a dotted path, making the objects on the way.
fn set_path(value: &mut Value, path: &str, new: Value) {
    let mut at = value;
    for part in path.split('.') {
        if !at.is_object() {
            *at = json!({});
        }
        at = at
            .as_object_mut()
            .expect("an object")
            .entry(part)
            .or_insert(Value::Null);
    }
    *at = new;
}

/// Removes the value at a dotted path, if it is there.
fn remove_path(value: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (parent.split('.').try_fold(value, |v, k| v.get_mut(k)), last),
        None => (Some(value), path),
    };
    if let Some(Value::Object(map)) = parent {
        map.remove(last);
    }
}

/// A stored value as the form types it.
fn as_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The stored settings as the form shows them: an unset flag is off, an unset (or empty)
/// log level is Normal, an unset rollout strategy is RollingUpdate.
fn shown_settings(spec: &ConfigView) -> (RolloutStrategy, bool, bool, bool, LogLevel) {
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

/// The proxy and request limits the typed settings make; numbers that do not parse are
/// left out (the findings name them).
fn typed_settings(settings: &BTreeMap<String, String>) -> (ProxyConfig, Option<Requests>) {
    let mut spec = json!({});
    for (id, _) in setting_fields() {
        let text = settings.get(id).map(|t| t.trim()).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let value = if numeric_setting(id) {
            match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => continue,
            }
        } else {
            Value::from(text)
        };
        set_path(&mut spec, id, value);
    }
    let proxy = serde_json::from_value(spec["proxy"].take()).unwrap_or_default();
    let requests = serde_json::from_value(spec["requests"].take()).ok();
    (proxy, requests)
}

/// The typed cpu and memory over the stored resources (other resources are kept).
fn typed_resources(
    typed: &BTreeMap<String, String>,
    stored: Option<&ResourceRequirements>,
) -> ResourceRequirements {
    let mut resources = stored.cloned().unwrap_or_default();
    for (id, _) in resource_fields() {
        let (kind, name) = id.split_once('.').expect("kind.name");
        let map = match kind {
            "requests" => &mut resources.requests,
            _ => &mut resources.limits,
        };
        let text = typed.get(id).map(|t| t.trim()).unwrap_or_default();
        let entries = map.get_or_insert_with(BTreeMap::new);
        if text.is_empty() {
            entries.remove(name);
        } else {
            entries.insert(name.to_owned(), Quantity(text.to_owned()));
        }
        if entries.is_empty() {
            *map = None;
        }
    }
    resources
}

fn route_rows(spec: &ConfigView) -> Vec<RouteRow> {
    spec.routes
        .iter()
        .flatten()
        .map(|r| RouteRow {
            name: r.name.clone(),
            hostname: r.hostname.clone().unwrap_or_default(),
            secret_name: r.secret_name.clone().unwrap_or_default(),
        })
        .collect()
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
            .map(|(id, _)| (id.to_string(), as_text(get_path(&stored, id))))
            .collect();
        let flags = KINDS
            .into_iter()
            .flat_map(flag_fields)
            .map(|(id, _)| {
                let on = get_path(&stored, id).and_then(Value::as_bool);
                (id.to_string(), on.unwrap_or(false))
            })
            .collect();
        let claim = spec
            .storage
            .as_ref()
            .and_then(|s| s.pvc.as_ref())
            .and_then(|p| p.claim.clone())
            .unwrap_or_default();
        let settings = shown_settings(spec);
        let spec_json = serde_json::to_value(spec).unwrap_or_default();
        let default_class = shown
            .storage_classes
            .as_ref()
            .and_then(|c| c.default.clone());
        FormValues {
            state: spec
                .management_state
                .filter(|state| OFFERED_STATES.contains(state)),
            kind: choice.map(|c| c.kind()).filter(|kind| KINDS.contains(kind)),
            claim_mode: if claim.is_empty() {
                ClaimMode::Operator
            } else {
                ClaimMode::Existing
            },
            claim,
            new_claim_name: BLOCK_CLAIM_NAME.to_owned(),
            new_claim_size: BLOCK_CLAIM_SIZE.to_owned(),
            new_claim_class: default_class.unwrap_or_default(),
            fields,
            flags,
            secrets: BTreeMap::new(),
            secret_files: BTreeMap::new(),
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
            settings: setting_fields()
                .iter()
                .map(|(id, _)| (id.to_string(), as_text(get_path(&spec_json, id))))
                .collect(),
            regenerate_http_secret: false,
            node_selector: format_node_selector(&spec.node_selector.clone().unwrap_or_default()),
            tolerations: format_tolerations(spec.tolerations.as_deref().unwrap_or_default()),
            resources: resource_fields()
                .iter()
                .map(|(id, _)| {
                    let resources = serde_json::to_value(&spec.resources).unwrap_or_default();
                    (id.to_string(), as_text(get_path(&resources, id)))
                })
                .collect(),
            routes: route_rows(spec),
        }
    }

    /// The bare-metal first run (`/config?first-run=1`): Managed, on a claim the operator
    /// creates. Only for a registry that is not Managed and has no storage yet.
    pub fn start_first_run(&mut self, shown: &ShownConfig) {
        let no_storage = shown
            .spec
            .storage
            .as_ref()
            .is_none_or(|s| s.kinds().is_empty());
        if no_storage && shown.spec.management_state != Some(ManagementState::Managed) {
            self.state = Some(ManagementState::Managed);
            self.kind = Some(StorageKind::Pvc);
            self.claim_mode = ClaimMode::Operator;
        }
    }

    /// Block storage as the guide sets it up: a ReadWriteOnce claim, one replica, Recreate.
    pub fn choose_block_storage(&mut self) {
        self.kind = Some(StorageKind::Pvc);
        self.claim_mode = ClaimMode::Create;
        self.replicas = "1".into();
        self.rollout = RolloutStrategy::Recreate;
    }

    /// Whether block storage is the choice.
    pub fn is_block(&self) -> bool {
        self.kind == Some(StorageKind::Pvc) && self.claim_mode == ClaimMode::Create
    }

    /// The claim to create, for block storage.
    pub fn new_claim(&self) -> Option<NewClaim> {
        self.is_block().then(|| NewClaim {
            name: self.new_claim_name.trim().to_owned(),
            size: self.new_claim_size.trim().to_owned(),
            storage_class: Some(self.new_claim_class.trim().to_owned()).filter(|c| !c.is_empty()),
        })
    }

    /// The edits these values make to the shown config. Fields the form does not show
    /// keep their stored values.
    pub fn edits(&self, shown: &ShownConfig) -> ConfigEdits {
        let before = FormValues::from_shown(shown);
        let settings = shown_settings(&shown.spec);
        // Compared as the form would type what was shown, so nothing unchanged is sent.
        let (proxy, requests) = typed_settings(&self.settings);
        let (shown_proxy, shown_requests) = typed_settings(&before.settings);
        let new_claim = self.new_claim();
        let choice = self.kind.and_then(|kind| match kind {
            StorageKind::EmptyDir => Some(StorageChoice::EmptyDir),
            StorageKind::Pvc => Some(StorageChoice::Pvc(PvcStorage {
                claim: Some(match (&new_claim, self.claim_mode) {
                    (Some(new), _) => new.name.clone(),
                    (None, ClaimMode::Existing) => self.claim.trim().to_owned(),
                    (None, _) => String::new(),
                }),
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
            operator_log_level: changed(self.operator_log_level, before.operator_log_level),
            proxy: changed(proxy, shown_proxy),
            requests: changed(requests, shown_requests).map(Option::unwrap_or_default),
            storage: choice,
            regenerate_http_secret: self.regenerate_http_secret,
            node_selector: (self.node_selector.trim() != before.node_selector.trim())
                .then(|| parse_node_selector(&self.node_selector).0),
            tolerations: (self.tolerations.trim() != before.tolerations.trim())
                .then(|| parse_tolerations(&self.tolerations).0),
            resources: (self.resources != before.resources)
                .then(|| typed_resources(&self.resources, shown.spec.resources.as_ref())),
            routes: (self.routes != before.routes).then(|| self.typed_routes()),
            new_claim,
        }
    }

    fn typed_routes(&self) -> Vec<ImageRegistryConfigRoute> {
        let optional = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        self.routes
            .iter()
            .filter(|r| {
                !(r.name.trim().is_empty()
                    && r.hostname.trim().is_empty()
                    && r.secret_name.trim().is_empty())
            })
            .map(|r| ImageRegistryConfigRoute {
                name: r.name.trim().to_owned(),
                hostname: optional(&r.hostname),
                secret_name: optional(&r.secret_name),
            })
            .collect()
    }

    /// A cloud provider's block: the stored one (so fields the form does not show keep
    /// their values) with the typed fields over it. An emptied top-level field that was set
    /// becomes `""` (the operator then generates it); an emptied nested one is removed.
    fn cloud_choice(&self, kind: StorageKind, shown: &ShownConfig) -> Option<StorageChoice> {
        let stored = serde_json::to_value(shown.spec.storage.clone().unwrap_or_default())
            .unwrap_or_default();
        let mut storage = json!({ kind.field(): stored.get(kind.field()).cloned().filter(Value::is_object).unwrap_or_else(|| json!({})) });
        for (id, _) in text_fields(kind) {
            let typed = self.fields.get(id).map(|t| t.trim()).unwrap_or_default();
            let nested = id.matches('.').count() > 1;
            if numeric_field(id) {
                match typed.parse::<i64>() {
                    Ok(n) => set_path(&mut storage, id, Value::from(n)),
                    Err(_) if typed.is_empty() => remove_path(&mut storage, id),
                    // Left as stored; the findings name it.
                    Err(_) => {}
                }
            } else if !typed.is_empty() {
                set_path(&mut storage, id, Value::from(typed));
            } else if nested {
                remove_path(&mut storage, id);
            } else if !as_text(get_path(&stored, id)).is_empty() {
                set_path(&mut storage, id, Value::from(""));
            }
        }
        for (id, _) in flag_fields(kind) {
            let on = self.flags.get(id).copied().unwrap_or(false);
            let was = get_path(&stored, id).and_then(Value::as_bool);
            if was.is_some() || on {
                set_path(&mut storage, id, Value::from(on));
            }
        }
        if kind == StorageKind::S3 {
            tidy_s3(&mut storage["s3"]);
        }
        let storage: Storage = serde_json::from_value(storage).ok()?;
        StorageChoice::from_storage(&storage)
    }

    /// Credential values entered for the chosen provider, with the uploaded file's name;
    /// an empty field keeps what is stored.
    pub fn credentials(&self) -> Vec<(String, String, Option<String>)> {
        let Some(kind) = self.kind else {
            return Vec::new();
        };
        secret_fields(kind)
            .iter()
            .filter_map(|(key, _, _)| {
                let value = self.secrets.get(*key).filter(|v| !v.is_empty())?;
                Some((
                    key.to_string(),
                    value.clone(),
                    self.secret_files.get(*key).cloned(),
                ))
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

    /// What the storage rules know of the claim the form names: a claim to create, one
    /// the page listed, or, when the user may not list claims, nothing the browser can
    /// judge (the server checks it).
    fn claim_info(&self, shown: &ShownConfig) -> Option<ClaimInfo> {
        if let Some(new) = self.new_claim() {
            return Some(new.info());
        }
        match &shown.claims {
            Some(claims) => claims
                .iter()
                .find(|c| c.name == self.claim.trim())
                .map(|c| c.info()),
            None => Some(ClaimInfo {
                access_modes: vec!["ReadWriteMany".into()],
                size_bytes: None,
            }),
        }
    }

    /// The shared rules, as the browser can run them.
    pub fn findings(&self, shown: &ShownConfig) -> Vec<Finding> {
        let mut out = Vec::new();
        let whole = |field: String, text: &str, out: &mut Vec<Finding>| {
            if !text.is_empty() && text.parse::<i64>().is_err() {
                out.push(Finding::error(
                    field,
                    Message::NotWholeNumber { text: text.into() },
                ));
            }
        };
        for (id, _) in setting_fields()
            .iter()
            .filter(|(id, _)| numeric_setting(id))
        {
            let text = self.settings.get(*id).map(|t| t.trim()).unwrap_or_default();
            whole(format!("spec.{id}"), text, &mut out);
        }
        if let Some(kind) = self.kind {
            for (id, _) in text_fields(kind).iter().filter(|(id, _)| numeric_field(id)) {
                let text = self.fields.get(*id).map(|t| t.trim()).unwrap_or_default();
                whole(format!("spec.storage.{id}"), text, &mut out);
            }
        }
        // An empty claim asks the operator to create one: not what "use a claim that
        // exists" means.
        if self.kind == Some(StorageKind::Pvc)
            && self.claim_mode == ClaimMode::Existing
            && self.claim.trim().is_empty()
        {
            out.push(Finding::error(
                "spec.storage.pvc.claim",
                Message::ChooseClaim,
            ));
        }
        if self.replicas.trim().is_empty() {
            out.push(Finding::error("spec.replicas", Message::WholeNumberEmpty));
        } else if self.replicas.trim().parse::<i32>().is_err() {
            out.push(Finding::error(
                "spec.replicas",
                Message::NotWholeNumber {
                    text: self.replicas.clone(),
                },
            ));
        }
        out.extend(parse_node_selector(&self.node_selector).1);
        out.extend(parse_tolerations(&self.tolerations).1);
        let edits = self.edits(shown);
        let desired = edits.apply_to(&shown.spec);
        out.extend(validate_settings(&desired));
        out.extend(masked_proxy_findings(&shown.spec, &desired));
        if let Some(new) = &edits.new_claim {
            let classes = shown.storage_classes.as_ref().map(|c| c.names.as_slice());
            out.extend(validate_new_claim(new, shown.claims.as_deref(), classes));
        }
        if let Some(choice) = edits.storage {
            let ctx = StorageContext {
                replicas: desired.replicas,
                rollout: desired.rollout_strategy,
                claim: self.claim_info(shown),
                stored_keys: shown.credentials.keys.iter().cloned().collect(),
                new_keys: self.credentials().into_iter().map(|c| c.0).collect(),
                user_secret: shown.credentials.exists,
                cluster_keys: shown.credentials.cluster_keys.iter().cloned().collect(),
                cluster_keys_unknown: shown.credentials.cluster_keys_unknown,
            };
            out.extend(
                validate_storage(&choice, &ctx)
                    .into_iter()
                    .filter(|f| shown.credentials.readable || f.field != "credentials"),
            );
        }
        if self.kind == Some(StorageKind::Gcs)
            && let Some(text) = self.secrets.get(GCS_KEYFILE).filter(|t| !t.is_empty())
            && let Some(problem) = gcs_keyfile_problem(text)
        {
            out.push(Finding::error(
                format!("credentials.{GCS_KEYFILE}"),
                problem,
            ));
        }
        out
    }
}

/// CloudFront and the trusted CA are objects in the API: one with nothing typed is removed,
/// one with something typed gets its required keys (empty, so the rules name them).
fn tidy_s3(s3: &mut Value) {
    let is_blank = |v: &Value| match v {
        Value::String(s) => s.is_empty(),
        Value::Object(map) => map
            .values()
            .all(|v| matches!(v, Value::String(s) if s.is_empty()) || v.is_null()),
        Value::Null => true,
        _ => false,
    };
    if let Some(cf) = s3.get_mut("cloudFront") {
        if cf.get("privateKey").is_some_and(is_blank) {
            remove_path(cf, "privateKey");
        }
        if cf.as_object().is_some_and(|m| m.values().all(is_blank)) {
            remove_path(s3, "cloudFront");
        } else {
            for (path, default) in [
                ("baseURL", json!("")),
                ("keypairID", json!("")),
                ("privateKey", json!({})),
            ] {
                if get_path(cf, path).is_none() {
                    set_path(cf, path, default);
                }
            }
            if get_path(cf, "privateKey.key").is_none() {
                set_path(cf, "privateKey.key", json!(""));
            }
        }
    }
    if s3
        .get("trustedCA")
        .is_some_and(|ca| ca.as_object().is_none_or(|m| m.values().all(is_blank)))
    {
        remove_path(s3, "trustedCA");
    }
}

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
