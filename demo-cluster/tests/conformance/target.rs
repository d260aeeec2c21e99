//! A server under test, raw exchanges through kube's client, and the normalization that
//! turns responses into comparable observations.

use std::path::PathBuf;
use std::sync::Mutex;

use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::{Map, Value, json};

/// One server the scenarios run against.
pub struct Target {
    pub name: &'static str,
    /// Base URL of the API (`https://127.0.0.1:PORT` or `http://127.0.0.1:PORT`).
    pub url: String,
    /// A kubeconfig with contexts `admin` (current) and `viewer`.
    pub kubeconfig: PathBuf,
    pub admin: Client,
    pub viewer: Client,
    pub admin_token: String,
    pub viewer_token: String,
    /// Every raw exchange, for `CONFORMANCE_TRANSCRIPT`.
    pub transcript: Mutex<Vec<Value>>,
}

impl Target {
    pub fn new(
        name: &'static str,
        url: String,
        kubeconfig: PathBuf,
        admin: Client,
        viewer: Client,
        admin_token: String,
        viewer_token: String,
    ) -> Target {
        Target {
            name,
            url,
            kubeconfig,
            admin,
            viewer,
            admin_token,
            viewer_token,
            transcript: Mutex::new(Vec::new()),
        }
    }

    /// A client with a token the server does not know.
    pub async fn bad_token_client(&self) -> Client {
        self.custom_client(Some("conformance-bad-token")).await
    }

    /// A client with a raw token.
    pub async fn token_client(&self, token: &str) -> Client {
        self.custom_client(Some(token)).await
    }

    /// A client that sends no credentials at all.
    pub async fn anonymous_client(&self) -> Client {
        self.custom_client(None).await
    }

    async fn custom_client(&self, token: Option<&str>) -> Client {
        let user = match token {
            Some(token) => json!({"token": token}),
            None => json!({}),
        };
        let yaml = serde_yaml::to_string(&json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": self.url, "insecure-skip-tls-verify": true}}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
            "current-context": "x",
        }))
        .unwrap();
        let kubeconfig = Kubeconfig::from_yaml(&yaml).expect("kubeconfig");
        let config =
            kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
                .await
                .expect("config");
        Client::try_from(config).expect("client")
    }

    /// Sends through `client` and records the exchange.
    pub async fn send(&self, client: &Client, req: http::Request<Vec<u8>>) -> Resp {
        let method = req.method().to_string();
        let uri = req.uri().to_string();
        let content_type = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let request_body = String::from_utf8_lossy(req.body()).into_owned();
        let resp = send(client, req).await;
        self.transcript.lock().unwrap().push(json!({
            "request": {"method": method, "uri": uri, "contentType": content_type, "body": request_body},
            "code": resp.code,
            "body": resp.raw,
        }));
        resp
    }
}

/// A response: status code (0 when the request failed before any answer) and body.
#[derive(Clone, Debug)]
pub struct Resp {
    pub code: u16,
    /// The body parsed as JSON, or a string when it is not JSON.
    pub body: Value,
    pub raw: String,
}

impl Resp {
    /// `{code, body: normalized}`.
    pub fn obs(&self) -> Value {
        json!({"code": self.code, "body": norm(&self.body)})
    }

    /// `{code}` plus, for a failure, the normalized Status.
    pub fn code_obs(&self) -> Value {
        if self.code >= 300 || self.code == 0 {
            self.obs()
        } else {
            json!({"code": self.code})
        }
    }

    /// `{code, names}` for a list (names in the order the server returned them).
    pub fn list_obs(&self) -> Value {
        if self.code != 200 {
            return self.obs();
        }
        json!({
            "code": self.code,
            "kind": self.body["kind"],
            "apiVersion": self.body["apiVersion"],
            "names": names(&self.body),
        })
    }

    pub fn resource_version(&self) -> Option<String> {
        self.body["metadata"]["resourceVersion"]
            .as_str()
            .map(str::to_string)
    }

    pub fn generation(&self) -> Value {
        self.body["metadata"]["generation"].clone()
    }
}

/// Sends a request with kube's client (its auth and TLS) and returns the raw answer, without
/// kube turning error statuses into `kube::Error`.
pub async fn send(client: &Client, req: http::Request<Vec<u8>>) -> Resp {
    let result = client.send(req.map(kube::client::Body::from)).await;
    match result {
        Ok(res) => {
            let code = res.status().as_u16();
            let raw = match res.into_body().collect_bytes().await {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => format!("<body unreadable: {e}>"),
            };
            let body = serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw.clone()));
            Resp { code, body, raw }
        }
        Err(e) => Resp {
            code: 0,
            body: json!({"requestFailed": e.to_string()}),
            raw: String::new(),
        },
    }
}

/// Object metadata that differs between any two servers (or runs) and is dropped.
pub const VOLATILE_METADATA: &[&str] = &[
    "uid",
    "creationTimestamp",
    "resourceVersion",
    "managedFields",
    "selfLink",
];

/// Status reasons whose `message` is kept in observations (simple, fixed formats that the
/// console shows to users). Other messages (Invalid, BadRequest, UnsupportedMediaType...)
/// are dropped: their codes, reasons and causes are compared instead.
pub const STATUS_REASONS_WITH_MESSAGE: &[&str] = &[
    "NotFound",
    "AlreadyExists",
    "Conflict",
    "Forbidden",
    "Unauthorized",
];

/// Drops what is volatile; keeps everything else.
pub fn norm(v: &Value) -> Value {
    match v {
        Value::Object(map) if map.get("kind") == Some(&json!("Status")) => norm_status(map),
        Value::Object(map) => {
            let mut map = map.clone();
            if let Some(Value::Object(meta)) = map.get_mut("metadata") {
                for key in VOLATILE_METADATA {
                    meta.remove(*key);
                }
                if meta.get("annotations") == Some(&json!({})) {
                    meta.remove("annotations");
                }
            }
            if let Some(Value::Array(items)) = map.get_mut("items") {
                for item in items.iter_mut() {
                    *item = norm(item);
                }
            }
            Value::Object(map)
        }
        other => other.clone(),
    }
}

fn norm_status(map: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for key in ["kind", "apiVersion", "status", "reason", "code"] {
        if let Some(v) = map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let reason = map.get("reason").and_then(Value::as_str).unwrap_or("");
    if STATUS_REASONS_WITH_MESSAGE.contains(&reason)
        && let Some(message) = map.get("message")
    {
        out.insert("message".into(), message.clone());
    }
    if let Some(Value::Object(details)) = map.get("details") {
        let mut d = Map::new();
        for key in ["name", "group", "kind", "retryAfterSeconds"] {
            if let Some(v) = details.get(key) {
                d.insert(key.into(), v.clone());
            }
        }
        if let Some(Value::Array(causes)) = details.get("causes") {
            let causes: Vec<Value> = causes
                .iter()
                .map(|c| {
                    let mut k = Map::new();
                    for key in ["field", "reason"] {
                        if let Some(v) = c.get(key) {
                            k.insert(key.into(), v.clone());
                        }
                    }
                    Value::Object(k)
                })
                .collect();
            d.insert("causes".into(), Value::Array(causes));
        }
        out.insert("details".into(), Value::Object(d));
    }
    Value::Object(out)
}

/// `metadata.name` of every item of a list.
pub fn names(list: &Value) -> Value {
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["metadata"]["name"].clone())
                .collect()
        })
        .unwrap_or(Value::Null)
}

/// How two resourceVersions relate: `{changed, increased}` (`increased` compares them as
/// integers, as both etcd and the demo cluster hand out).
pub fn rv_relation(before: Option<&str>, after: Option<&str>) -> Value {
    let num = |s: Option<&str>| s.and_then(|s| s.parse::<u64>().ok());
    json!({
        "present": before.is_some() && after.is_some(),
        "changed": before != after,
        "increased": matches!((num(before), num(after)), (Some(b), Some(a)) if a > b),
    })
}

/// Observations of one scenario, in order: `{"01 step": value, "02 step": value, ...}`.
#[derive(Default)]
pub struct Obs {
    steps: Vec<(String, Value)>,
}

impl Obs {
    pub fn add(&mut self, step: &str, value: Value) {
        let key = format!("{:02} {step}", self.steps.len() + 1);
        self.steps.push((key, value));
    }

    pub fn finish(self) -> Value {
        Value::Object(self.steps.into_iter().collect())
    }
}

/// Every difference between two observations, as `path: real=... demo=...` lines.
pub fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let p = format!("{path}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(va), Some(vb)) => diff(&p, va, vb, out),
                    (Some(va), None) => out.push(format!("{p}: real={va} demo=<absent>")),
                    (None, Some(vb)) => out.push(format!("{p}: real=<absent> demo={vb}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}/{i}"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!("{path}: real={a} demo={b}")),
        _ => {}
    }
}
