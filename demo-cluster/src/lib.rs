//! An embedded Kubernetes API on loopback that looks like a freshly installed OpenShift 4.4
//! cluster on bare metal, plus a simulated image-registry operator.
//!
//! The console reaches it exactly as it reaches a real cluster: through kube-rs over HTTP
//! with the kubeconfig written into the data directory. `kubectl` works against it too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

mod activity;
mod api_error;
mod auth;
mod certificates;
mod cron_jobs;
mod daemon_sets;
mod decode;
mod discovery;
mod files;
mod image_pruner;
mod impersonation;
mod logs;
mod openapi;
pub mod operator;
mod patch;
mod protobuf;
pub mod registry;
mod resources;
mod router;
mod rules;
mod schema;
mod seed;
mod selectors;
mod store;
mod table;
mod timestamp;
mod tls;
mod validation;
mod volumes;
pub mod workloads;

pub use activity::Activity;
pub use store::{Repaired, repair_log};

pub use auth::Tokens;
pub use logs::PodLogs;
use resources::Registry;
pub use seed::viewer_rules;
use store::{Key, Store};

/// A demo user; each has a bearer token stored in the data directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DemoUser {
    /// May do everything (bound to `cluster-admin`).
    Admin,
    /// May read everything but secrets, and write nothing.
    Viewer,
}

impl DemoUser {
    /// Both users, admin first.
    pub const ALL: [DemoUser; 2] = [DemoUser::Admin, DemoUser::Viewer];

    /// The user name (also the kubeconfig context name).
    pub fn name(self) -> &'static str {
        match self {
            DemoUser::Admin => "admin",
            DemoUser::Viewer => "viewer",
        }
    }
}

/// How to start the demo cluster.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where state, tokens and the kubeconfig live.
    pub data_dir: PathBuf,
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Throw away the stored state and seed afresh.
    pub reset: bool,
    /// Run the simulated operator (and workload simulation) in-process.
    pub run_operator: bool,
    /// Where the router in front of the registry's routes listens (HTTPS); `None` picks a
    /// free loopback port, as does an address already in use (with a warning).
    pub registry_listen: Option<SocketAddr>,
    /// Push and pull through the registry router, within these limits, so the registry's
    /// metrics and logs move (needs `run_operator`).
    pub traffic: Option<registry::traffic::Limits>,
}

/// Why the demo cluster could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: {source} (is another process using the port? pass another --listen address)"
    )]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "stored state in {path} is unreadable: {message} (start with --reset to seed a fresh cluster; the old file is kept as state.json.bad)"
    )]
    CorruptState { path: PathBuf, message: String },
    #[error(
        "line {line} of {path} cannot be read: {message}. Every write after it would be lost, \
         so the demo cluster does not start and leaves the file as it is. Restore the file, or \
         run `registry-console demo-cluster --data-dir DIR --repair` once to keep the writes \
         before line {line} (the whole file is saved as wal.jsonl.bad first), or --reset"
    )]
    CorruptLog {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// The registry router's listener: the address asked for, or a free loopback port when
/// none was asked for or it is taken (a registry router is a convenience; the API is not).
async fn bind_registry_router(
    addr: Option<SocketAddr>,
) -> std::io::Result<tokio::net::TcpListener> {
    let any = SocketAddr::from(([127, 0, 0, 1], 0));
    match addr {
        Some(addr) => match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => Ok(l),
            Err(e) => {
                tracing::warn!(%addr, error = %e, "the registry router cannot listen there; it takes a free port instead");
                tokio::net::TcpListener::bind(any).await
            }
        },
        None => tokio::net::TcpListener::bind(any).await,
    }
}

/// A running demo cluster.
pub struct DemoCluster {
    addr: SocketAddr,
    data_dir: PathBuf,
    tokens: Arc<Tokens>,
    ca_pem: String,
    activity: Activity,
    registry_addr: SocketAddr,
    prometheus_targets: PathBuf,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
    background: Vec<JoinHandle<()>>,
}

impl DemoCluster {
    /// Starts serving; returns once the API answers.
    ///
    /// The future is boxed here on purpose, as are [`DemoCluster::client`]'s,
    /// [`DemoCluster::shutdown`]'s and [`operator::run`]'s: an `async fn`'s body is compiled
    /// in whichever crate awaits it, so the console's binary compiled the whole demo
    /// cluster (its controllers, their watches and the serde behind them) a second time
    /// after this crate, on the cold build's longest path (README, "Speed and size").
    pub fn start(options: Options) -> BoxFuture<'static, Result<DemoCluster, StartError>> {
        Box::pin(Self::start_here(options))
    }

    async fn start_here(options: Options) -> Result<DemoCluster, StartError> {
        let dir = options.data_dir.clone();
        let data_err = |source| StartError::DataDir {
            path: dir.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(data_err)?;
        if options.reset {
            for file in ["state.json", "wal.jsonl"] {
                match std::fs::remove_file(dir.join(file)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(data_err(e)),
                    _ => {}
                }
            }
        }
        let (store, empty) = Store::open(&dir).map_err(|e| match e {
            store::LoadError::Io(source) => StartError::DataDir {
                path: dir.clone(),
                source,
            },
            store::LoadError::Corrupt { path, source } => StartError::CorruptState {
                path,
                message: source.to_string(),
            },
            store::LoadError::CorruptLog { path, line, source } => StartError::CorruptLog {
                path,
                line,
                message: source.to_string(),
            },
        })?;
        let registry = Registry::new();
        if empty {
            seed_store(&store, &registry);
        }
        let tokens = Arc::new(Tokens::load_or_create(&dir).map_err(data_err)?);
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| StartError::Listen {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: options.listen,
            source,
        })?;
        let tls = tls::load_or_create(&dir).map_err(data_err)?;
        write_kubeconfig(&dir, addr, &tokens, &tls.ca_pem).map_err(data_err)?;
        let logs = PodLogs::default();
        let activity = Activity::default();
        let registries = registry::Registries::new(&dir, logs.clone());
        let authorizer = auth::Authorizer::new(store.clone());
        let state = router::ApiState {
            activity: activity.clone(),
            store: store.clone(),
            registry,
            tokens: tokens.clone(),
            authorizer: authorizer.clone(),
            logs: logs.clone(),
            registries: registries.clone(),
        };
        let (stop, stopped) = watch::channel(false);
        let front =
            registry::front::Front::new(store, tokens.clone(), authorizer, registries.clone());
        let registry_listener = bind_registry_router(options.registry_listen)
            .await
            .map_err(data_err)?;
        let registry_addr = registry_listener.local_addr().map_err(data_err)?;
        let router_server = tokio::spawn(tls::serve(
            registry_listener,
            tls.config.clone(),
            front.router(),
            activity.clone(),
            stopped.clone(),
        ));
        let server = tokio::spawn(tls::serve(
            listener,
            tls.config,
            router::router(state),
            activity.clone(),
            stopped,
        ));
        let mut cluster = DemoCluster {
            addr,
            data_dir: dir,
            tokens,
            ca_pem: tls.ca_pem,
            activity,
            registry_addr,
            prometheus_targets: registries.targets_path().to_path_buf(),
            stop,
            server,
            background: vec![router_server],
        };
        if options.run_operator {
            let client = cluster.client(DemoUser::Admin).await;
            cluster
                .background
                .push(tokio::spawn(operator::run_logged(client.clone())));
            cluster.background.push(tokio::spawn(workloads::run_logged(
                client, logs, registries,
            )));
            if let Some(limits) = options.traffic {
                cluster.background.push(tokio::spawn(registry::traffic::run(
                    registry_addr.to_string(),
                    cluster.ca_pem.clone(),
                    cluster.token(DemoUser::Admin).to_string(),
                    limits,
                )));
            }
        }
        Ok(cluster)
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// `https://127.0.0.1:PORT`: the router in front of the registry's routes. Clients name
    /// it as the registry (`podman login 127.0.0.1:PORT`); it trusts the same CA as the API.
    pub fn registry_url(&self) -> String {
        format!("https://{}", self.registry_addr)
    }

    /// The address of the router in front of the registry's routes.
    pub fn registry_addr(&self) -> SocketAddr {
        self.registry_addr
    }

    /// The registry pods' metrics addresses, kept current as a Prometheus
    /// `file_sd_configs` file (each target labelled `namespace` and `pod`), so a real
    /// Prometheus scrapes the demo's registry as the cluster's monitoring scrapes a real one.
    pub fn prometheus_targets(&self) -> &Path {
        &self.prometheus_targets
    }

    /// The PEM of the CA that signed the API's serving certificate.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The address the API listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `DATA_DIR/kubeconfig`, with contexts `admin` (current) and `viewer`.
    pub fn kubeconfig_path(&self) -> PathBuf {
        self.data_dir.join("kubeconfig")
    }

    /// The connections and watches the API is holding open now.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    /// The bearer token of a demo user.
    pub fn token(&self, user: DemoUser) -> &str {
        self.tokens.of(user)
    }

    /// A kube client acting as a demo user.
    pub fn client(&self, user: DemoUser) -> BoxFuture<'_, kube::Client> {
        Box::pin(self.client_here(user))
    }

    async fn client_here(&self, user: DemoUser) -> kube::Client {
        let kubeconfig = kube::config::Kubeconfig::read_from(self.kubeconfig_path())
            .expect("the demo kubeconfig was written at start");
        let options = kube::config::KubeConfigOptions {
            context: Some(user.name().to_string()),
            ..Default::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .expect("the demo kubeconfig is valid");
        kube::Client::try_from(config).expect("a client for the demo cluster builds")
    }

    /// Stops serving and the simulated operator; state is already on disk.
    pub fn shutdown(self) -> BoxFuture<'static, ()> {
        Box::pin(self.shutdown_here())
    }

    async fn shutdown_here(mut self) {
        for task in &self.background {
            task.abort();
        }
        let _ = self.stop.send(true);
        let _ = (&mut self.server).await;
    }
}

impl Drop for DemoCluster {
    fn drop(&mut self) {
        for task in &self.background {
            task.abort();
        }
        let _ = self.stop.send(true);
    }
}

/// Stores the seed objects, with the metadata the API server would have given them.
fn seed_store(store: &Store, registry: &Registry) {
    store
        .write(|txn| {
            for mut obj in seed::objects() {
                let api_version = obj["apiVersion"].as_str().unwrap_or_default().to_string();
                let kind = obj["kind"].as_str().unwrap_or_default().to_string();
                let rt = registry
                    .by_kind(&api_version, &kind)
                    .unwrap_or_else(|| panic!("seed object of unserved kind {kind}"));
                let ns = obj
                    .pointer("/metadata/namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let status = obj.get("status").cloned();
                router::prepare_create(rt, &ns, &mut obj).expect("seed objects are well-formed");
                validation::admit(rt, &mut obj, None)
                    .unwrap_or_else(|e| panic!("seed object is invalid: {}", e.message));
                if let Some(status) = status {
                    obj["status"] = status;
                }
                let name = obj["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                txn.put(Key::new(rt.group, rt.plural, &ns, &name), obj);
            }
            Ok(())
        })
        .expect("seeding a fresh store succeeds");
}

/// Writes `DATA_DIR/kubeconfig` (owner-only: it holds the tokens).
fn write_kubeconfig(
    dir: &Path,
    addr: SocketAddr,
    tokens: &Tokens,
    ca_pem: &str,
) -> std::io::Result<()> {
    use base64::Engine;
    let ca_data = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    let user = |name: &str, token: &str| json!({ "name": name, "user": { "token": token } });
    let context =
        |name: &str| json!({ "name": name, "context": { "cluster": "demo", "user": name } });
    let config = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{ "name": "demo", "cluster": { "server": format!("https://{addr}"), "certificate-authority-data": ca_data } }],
        "users": [user("admin", &tokens.admin), user("viewer", &tokens.viewer)],
        "contexts": [context("admin"), context("viewer")],
        "current-context": "admin",
        "preferences": {}
    });
    let yaml = serde_yaml::to_string(&config).map_err(std::io::Error::other)?;
    files::write_private(&dir.join("kubeconfig"), yaml.as_bytes())
}
