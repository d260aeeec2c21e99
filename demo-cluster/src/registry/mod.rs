//! The registry's pods as real processes: Debian's `docker-registry` (the upstream
//! distribution registry) runs for every registry pod the workload simulation starts, on
//! loopback ports of its own, with filesystem storage in the data directory and Prometheus
//! metrics on its debug address. The pod's log is the process's output; the pod is ready
//! when the process's health check answers; a pod deleted stops its process. The demo
//! router (`front`) and `pods/NAME/proxy` reach the processes by pod.
//!
//! Without the binary the simulation goes on as before (simulated log lines, no registry
//! to push to), and `available()` says why.

pub mod config;
pub mod front;
pub mod traffic;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};

use crate::logs::PodLogs;
use config::{Placement, Settings};

/// Headers that belong to one connection, not to the request (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The environment variable that names another registry binary.
pub const BINARY_ENV: &str = "REGISTRY_CONSOLE_REGISTRY_BIN";
/// The Prometheus targets file's name in the registry's data directory.
const TARGETS_FILE: &str = "prometheus-targets.json";
/// The binary Debian's `docker-registry` package installs.
const BINARY: &str = "docker-registry";

/// Where one registry process listens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The registry API (the container's port 5000).
    pub http: SocketAddr,
    /// Health and Prometheus metrics (`/debug/health`, `/metrics`).
    pub debug: SocketAddr,
}

struct Instance {
    namespace: String,
    pod: String,
    endpoint: Endpoint,
    child: Child,
    /// An emptyDir volume: removed with the pod.
    scratch: Option<PathBuf>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Where a registry pod's storage lives on this machine.
pub enum Volume {
    /// emptyDir: a directory of the pod's own, gone with it.
    Scratch,
    /// A claim's volume, by volume name: kept across pods.
    Persistent(String),
}

/// Every running registry process, by pod UID.
#[derive(Clone)]
pub struct Registries {
    inner: Arc<Inner>,
}

struct Inner {
    binary: Result<PathBuf, String>,
    dir: PathBuf,
    http_secret: String,
    logs: PodLogs,
    instances: Mutex<HashMap<String, Instance>>,
    client: Client<HttpConnector, Body>,
    /// The processes' metrics addresses as Prometheus file service discovery reads them.
    targets: PathBuf,
    /// Writes of `targets` one at a time, so an older list never lands after a newer one.
    publishing: Mutex<()>,
}

/// The binary to run: `$REGISTRY_CONSOLE_REGISTRY_BIN`, else `docker-registry` on `PATH`.
fn find_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(BINARY_ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{BINARY_ENV} names {}, which is not a file",
                path.display()
            ))
        };
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(BINARY))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "no {BINARY} on PATH: install Debian's docker-registry package (sudo apt-get install docker-registry; scripts/setup.sh does) and restart the demo"
            )
        })
}

fn free_port() -> std::io::Result<SocketAddr> {
    std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()
}

impl Registries {
    /// Registry processes keeping their data under `DATA_DIR/registry`.
    pub fn new(data_dir: &Path, logs: PodLogs) -> Registries {
        let dir = data_dir.join("registry");
        let secret_path = dir.join("http-secret");
        let http_secret = std::fs::read_to_string(&secret_path)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| {
                let secret: String = (0..32)
                    .map(|_| format!("{:02x}", rand::random::<u8>()))
                    .collect();
                let _ = std::fs::create_dir_all(&dir);
                let _ = crate::files::write_private(&secret_path, secret.as_bytes());
                secret
            });
        let registries = Registries {
            inner: Arc::new(Inner {
                binary: find_binary(),
                targets: dir.join(TARGETS_FILE),
                dir,
                http_secret: http_secret.trim().to_string(),
                logs,
                instances: Mutex::default(),
                client: Client::builder(TokioExecutor::new()).build_http(),
                publishing: Mutex::default(),
            }),
        };
        // No process runs yet: an empty list, not a file Prometheus cannot find.
        registries.publish_targets();
        registries
    }

    /// The file that lists every running process's metrics address for Prometheus
    /// (`file_sd_configs`), each labelled with its pod's `namespace` and `pod` as the
    /// cluster's monitoring labels a scraped pod; rewritten whenever a process starts or
    /// stops.
    pub fn targets_path(&self) -> &Path {
        &self.inner.targets
    }

    fn publish_targets(&self) {
        let _one_at_a_time = self
            .inner
            .publishing
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let mut groups: Vec<serde_json::Value> = self
            .instances()
            .values()
            .map(|i| {
                serde_json::json!({
                    "targets": [i.endpoint.debug.to_string()],
                    "labels": {"namespace": i.namespace, "pod": i.pod},
                })
            })
            .collect();
        groups.sort_by_key(|g| g["labels"]["pod"].as_str().map(str::to_owned));
        let text = serde_json::Value::Array(groups).to_string();
        if let Err(e) = crate::files::write_private(&self.inner.targets, text.as_bytes()) {
            tracing::warn!(path = %self.inner.targets.display(), error = %e, "cannot write the registry's Prometheus targets");
        }
    }

    /// `Ok` when registry processes can run, else what is missing and how to get it.
    pub fn available(&self) -> Result<&Path, &str> {
        self.inner.binary.as_deref().map_err(String::as_str)
    }

    fn instances(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instance>> {
        self.inner
            .instances
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Starts the process of a registry pod; its output goes to the pod's log.
    pub fn start(
        &self,
        namespace: &str,
        pod: &str,
        uid: &str,
        settings: &Settings,
        volume: Volume,
    ) -> std::io::Result<Endpoint> {
        let binary = self
            .available()
            .map_err(|why| std::io::Error::new(std::io::ErrorKind::NotFound, why))?
            .to_path_buf();
        let (storage, scratch) = match volume {
            Volume::Scratch => {
                let dir = self.inner.dir.join("pods").join(uid);
                (dir.clone(), Some(dir))
            }
            Volume::Persistent(name) => (self.inner.dir.join("volumes").join(name), None),
        };
        std::fs::create_dir_all(&storage)?;
        let endpoint = Endpoint {
            http: free_port()?,
            debug: free_port()?,
        };
        let placement = Placement {
            http: endpoint.http,
            debug: endpoint.debug,
            storage,
            http_secret: self.inner.http_secret.clone(),
        };
        let config_dir = self.inner.dir.join("config");
        std::fs::create_dir_all(&config_dir)?;
        let config_path = config_dir.join(format!("{uid}.yml"));
        crate::files::write_private(
            &config_path,
            config::render(settings, &placement).as_bytes(),
        )?;
        let logs = &self.inner.logs;
        if settings.driver != "filesystem" {
            logs.append(
                namespace,
                pod,
                &format!(
                    "demo: the {} storage driver is simulated with filesystem storage on this machine",
                    settings.driver
                ),
            );
        }
        let mut command = Command::new(&binary);
        command
            .arg("serve")
            .arg(&config_path)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        ask_for_death_with_parent(&mut command);
        let mut child = command.spawn()?;
        for out in [
            child
                .stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn AsyncRead + Send + Unpin>),
            child
                .stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn AsyncRead + Send + Unpin>),
        ]
        .into_iter()
        .flatten()
        {
            let logs = logs.clone();
            let (namespace, pod) = (namespace.to_string(), pod.to_string());
            tokio::spawn(async move {
                let mut lines = BufReader::new(out).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    logs.append(&namespace, &pod, &line);
                }
            });
        }
        self.instances().insert(
            uid.to_string(),
            Instance {
                namespace: namespace.into(),
                pod: pod.into(),
                endpoint,
                child,
                scratch,
            },
        );
        self.publish_targets();
        Ok(endpoint)
    }

    /// Whether the pod's process is running (not exited).
    pub fn running(&self, uid: &str) -> bool {
        let mut instances = self.instances();
        let Some(instance) = instances.get_mut(uid) else {
            return false;
        };
        match instance.child.try_wait() {
            Ok(None) => true,
            exited => {
                let status = match exited {
                    Ok(Some(status)) => status.to_string(),
                    _ => "an unknown status".into(),
                };
                let (namespace, pod) = (instance.namespace.clone(), instance.pod.clone());
                instances.remove(uid);
                drop(instances);
                self.publish_targets();
                self.inner.logs.append(
                    &namespace,
                    &pod,
                    &format!("demo: the registry process exited with {status}"),
                );
                false
            }
        }
    }

    /// Whether the pod's registry answers its health check (the readiness probe).
    pub async fn healthy(&self, uid: &str) -> bool {
        let Some(endpoint) = self.endpoint_of(uid) else {
            return false;
        };
        let Ok(request) =
            Request::get(format!("http://{}/debug/health", endpoint.debug)).body(Body::empty())
        else {
            return false;
        };
        matches!(
            tokio::time::timeout(std::time::Duration::from_secs(2), self.inner.client.request(request)).await,
            Ok(Ok(response)) if response.status().is_success()
        )
    }

    fn endpoint_of(&self, uid: &str) -> Option<Endpoint> {
        self.instances().get(uid).map(|i| i.endpoint)
    }

    /// Where a pod's registry listens, by namespace and pod name.
    pub fn endpoint(&self, namespace: &str, pod: &str) -> Option<Endpoint> {
        self.instances()
            .values()
            .find(|i| i.namespace == namespace && i.pod == pod)
            .map(|i| i.endpoint)
    }

    /// Sends a request to a process (`to`: its API or debug address) and streams the answer
    /// back; hop-by-hop headers stay on their hop. `Err` says why nothing answered.
    pub async fn forward(
        &self,
        to: SocketAddr,
        request: Request,
        drop_headers: &[&str],
    ) -> Result<Response, String> {
        let (mut parts, body) = request.into_parts();
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        parts.uri = format!("http://{to}{path}")
            .parse()
            .map_err(|e| format!("the request path is not a valid URI: {e}"))?;
        for name in HOP_BY_HOP.iter().chain(drop_headers) {
            parts.headers.remove(*name);
        }
        let response = self
            .inner
            .client
            .request(Request::from_parts(parts, body))
            .await
            .map_err(|e| format!("the registry process at {to} did not answer: {e}"))?;
        let (mut parts, body) = response.into_parts();
        for name in HOP_BY_HOP {
            parts.headers.remove(name);
        }
        Ok(Response::from_parts(parts, Body::new(body)))
    }

    /// Stops the processes of pods that `keep` does not name.
    pub fn retain(&self, keep: impl Fn(&str) -> bool) {
        let before = self.instances().len();
        self.instances().retain(|uid, _| keep(uid));
        if self.instances().len() != before {
            self.publish_targets();
        }
    }

    /// Stops a pod's process.
    pub fn stop(&self, uid: &str) {
        if self.instances().remove(uid).is_some() {
            self.publish_targets();
        }
    }
}

/// The processes die with the console, even when it is killed: Linux sends them SIGKILL
/// when their parent thread's process exits (`PR_SET_PDEATHSIG`). Elsewhere, only a clean
/// exit stops them.
#[cfg(target_os = "linux")]
fn ask_for_death_with_parent(command: &mut Command) {
    // SAFETY: prctl is async-signal-safe and touches nothing of the parent's memory.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn ask_for_death_with_parent(_: &mut Command) {}
