//! A real kube-apiserver v1.20.2 with Debian's etcd on loopback, prepared like the demo
//! cluster: the `demo-viewer` RBAC and the openshift/api CRDs (adapted for 1.20).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::Request;
use kube::core::params::{GetParams, ListParams, PostParams};
use serde_json::{Value, json};

use super::target::{Target, send};

/// The version the conformance expectations were written against.
pub const VERSION: &str = "v1.20.2";

/// Every change made to the openshift/api CRDs so that kube-apiserver 1.20 accepts them, and
/// why. Each one is a difference between the real server of this suite and a current
/// OpenShift cluster: the rules removed here are not enforced by the real server, so the demo
/// cluster's enforcement of them is checked by its own tests, not by this suite.
pub const ADAPTATIONS: &[&str] = &[
    "every `x-kubernetes-validations` (CEL rules, Kubernetes 1.25+) is removed: 1.20 does not \
     know the field (kubectl's client-side validation refuses it; the server silently drops it), \
     so CEL rules such as images.config's allowedRegistries/blockedRegistries exclusivity are not \
     enforced by the real server",
    "every `default: \"\"` on a string property is removed: 1.20 reads the empty-string default \
     as null and refuses the configs CRD with `...properties[privateKey].properties[name].default: \
     Invalid value: \"null\":  in body must be of type string: \"null\"` \
     (`spec.storage.s3.cloudFront.privateKey.name` and its status twin); a current cluster \
     defaults that name to \"\", the real server here leaves it out",
    "routes.route.openshift.io: the schema `{properties: {tls: {enum: [null]}}}` (one branch of \
     the anyOf that forbids `path` on passthrough routes: \"tls is absent\") is replaced by the \
     equivalent `{not: {required: [tls]}}`. With the `null` enum value, 1.20's apiextensions \
     v1 -> internal conversion fails and returns early without a word, the single version's \
     schema stays per-version, and the CRD is refused with \"spec.versions: Invalid value: ...: \
     per-version schemas may not all be set to identical values (top-level validation should be \
     used instead)\". Same meaning, except that an explicit `tls: null` is refused instead of \
     accepted",
];

/// Where the kube-apiserver binary is, or why there is none.
pub fn kube_apiserver_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("KUBE_APISERVER") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("KUBE_APISERVER={} does not exist", path.display()))
        };
    }
    let cache = match std::env::var_os("REGISTRY_CONSOLE_CACHE") {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".cache/registry-console"),
            None => return Err("neither KUBE_APISERVER nor HOME is set".into()),
        },
    };
    let path = cache.join(format!("kube-apiserver-{VERSION}/kube-apiserver"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing (set KUBE_APISERVER or build it)",
            path.display()
        ))
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A free loopback port (bound and released; a tiny race with other processes is accepted).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// etcd and kube-apiserver, killed on drop.
pub struct RealServer {
    pub url: String,
    pub kubeconfig: PathBuf,
    pub admin_token: String,
    pub viewer_token: String,
    /// kube-apiserver first, then etcd: the order they are stopped in.
    children: Vec<(&'static str, Child)>,
    dir: tempfile::TempDir,
}

impl Drop for RealServer {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl RealServer {
    /// Starts etcd and kube-apiserver, waits for `/readyz`, then installs RBAC and CRDs.
    /// `Err` carries why the real server is unavailable (binaries missing); a server that is
    /// there but does not come up panics.
    pub async fn start() -> Result<RealServer, String> {
        let apiserver = kube_apiserver_binary()?;
        let etcd = match std::env::var_os("ETCD") {
            Some(p) => PathBuf::from(p),
            None => find_program("etcd")
                .ok_or("no `etcd` on PATH (Debian package etcd-server; tools/kube-apiserver.sh installs it)")?,
        };
        let openssl =
            find_program("openssl").ok_or("no `openssl` on PATH (Debian package openssl)")?;

        let dir = tempfile::Builder::new()
            .prefix("conformance-kube-")
            .tempdir()
            .expect("temp dir");
        let d = dir.path();
        let started = Instant::now();

        // Service-account signing key pair.
        let key = d.join("sa.key");
        let public = d.join("sa.pub");
        for args in [
            vec!["genrsa", "-out", key.to_str().unwrap(), "2048"],
            vec![
                "rsa",
                "-in",
                key.to_str().unwrap(),
                "-pubout",
                "-out",
                public.to_str().unwrap(),
            ],
        ] {
            let out = Command::new(&openssl)
                .args(&args)
                .output()
                .expect("run openssl");
            assert!(
                out.status.success(),
                "openssl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }

        // Two token users, like the demo cluster's.
        let admin_token = format!("admin-{}", uuid::Uuid::new_v4().simple());
        let viewer_token = format!("viewer-{}", uuid::Uuid::new_v4().simple());
        let tokens = d.join("tokens.csv");
        std::fs::write(
            &tokens,
            format!("{admin_token},admin,admin,\"system:masters\"\n{viewer_token},viewer,viewer\n"),
        )
        .unwrap();

        let mut server = RealServer {
            url: String::new(),
            kubeconfig: d.join("kubeconfig"),
            admin_token,
            viewer_token,
            children: Vec::new(),
            dir,
        };
        let d = server.dir.path().to_path_buf();

        // etcd
        let (client_port, peer_port) = (free_port(), free_port());
        let etcd_log = d.join("etcd.log");
        let child = Command::new(&etcd)
            .args(["--name", "conformance", "--data-dir"])
            .arg(d.join("etcd"))
            .arg(format!(
                "--listen-client-urls=http://127.0.0.1:{client_port}"
            ))
            .arg(format!(
                "--advertise-client-urls=http://127.0.0.1:{client_port}"
            ))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer_port}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer_port}"
            ))
            .arg(format!(
                "--initial-cluster=conformance=http://127.0.0.1:{peer_port}"
            ))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&etcd_log).unwrap())
            .stderr(std::fs::File::create(d.join("etcd.stderr.log")).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", etcd.display()));
        server.children.push(("etcd", child));
        server
            .wait_until("etcd", Duration::from_secs(30), || {
                etcd_healthy(client_port)
            })
            .await;
        let etcd_ready = started.elapsed();

        // kube-apiserver
        let port = free_port();
        server.url = format!("https://127.0.0.1:{port}");
        let log = d.join("kube-apiserver.log");
        let child = Command::new(&apiserver)
            .arg(format!("--etcd-servers=http://127.0.0.1:{client_port}"))
            .arg("--bind-address=127.0.0.1")
            .arg("--advertise-address=127.0.0.1")
            .arg(format!("--secure-port={port}"))
            .arg("--insecure-port=0")
            .arg(format!("--cert-dir={}", d.join("certs").display()))
            .arg(format!("--token-auth-file={}", tokens.display()))
            .arg("--authorization-mode=RBAC")
            .arg("--service-account-issuer=https://kubernetes.default.svc")
            .arg(format!("--service-account-key-file={}", public.display()))
            .arg(format!(
                "--service-account-signing-key-file={}",
                key.display()
            ))
            .arg("--service-cluster-ip-range=10.0.0.0/24")
            .arg("--endpoint-reconciler-type=none")
            .arg("--enable-priority-and-fairness=false")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(d.join("kube-apiserver.stdout.log")).unwrap())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", apiserver.display()));
        server.children.insert(0, ("kube-apiserver", child));
        server.write_kubeconfig();

        let admin = server.client("admin").await;
        let probe = admin.clone();
        server
            .wait_until_async("kube-apiserver /readyz", Duration::from_secs(90), || {
                let probe = probe.clone();
                async move {
                    let req = http::Request::get("/readyz").body(Vec::new()).unwrap();
                    send(&probe, req).await.code == 200
                }
            })
            .await;
        let ready = started.elapsed();

        server.prepare(&admin).await;
        for adaptation in ADAPTATIONS {
            eprintln!("CRD adaptation for 1.20: {adaptation}");
        }
        eprintln!(
            "real kube-apiserver {VERSION} at {}: etcd ready after {:.1}s, /readyz after {:.1}s, \
             RBAC and CRDs after {:.1}s",
            server.url,
            etcd_ready.as_secs_f64(),
            ready.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        Ok(server)
    }

    fn check_children(&mut self) {
        for (name, child) in &mut self.children {
            if let Ok(Some(status)) = child.try_wait() {
                let log = self.dir.path().join(if *name == "etcd" {
                    "etcd.stderr.log"
                } else {
                    "kube-apiserver.log"
                });
                panic!(
                    "{name} exited with {status}; end of its log:\n{}",
                    tail(&log, 40)
                );
            }
        }
    }

    async fn wait_until(&mut self, what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + limit;
        while !ready() {
            self.check_children();
            assert!(
                Instant::now() < deadline,
                "{what} not ready after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_until_async<F, Fut>(&mut self, what: &str, limit: Duration, mut ready: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + limit;
        while !ready().await {
            self.check_children();
            if Instant::now() >= deadline {
                panic!(
                    "{what} not ready after {limit:?}; end of the kube-apiserver log:\n{}",
                    tail(&self.dir.path().join("kube-apiserver.log"), 40)
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn write_kubeconfig(&self) {
        let config = json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "real", "cluster": {"server": self.url, "insecure-skip-tls-verify": true}}],
            "users": [
                {"name": "admin", "user": {"token": self.admin_token}},
                {"name": "viewer", "user": {"token": self.viewer_token}},
            ],
            "contexts": [
                {"name": "admin", "context": {"cluster": "real", "user": "admin"}},
                {"name": "viewer", "context": {"cluster": "real", "user": "viewer"}},
            ],
            "current-context": "admin",
        });
        std::fs::write(&self.kubeconfig, serde_yaml::to_string(&config).unwrap()).unwrap();
    }

    /// A client for a context of the kubeconfig (`admin` or `viewer`).
    pub async fn client(&self, context: &str) -> Client {
        client_from_kubeconfig(&self.kubeconfig, context).await
    }

    /// Clients and tokens for the scenarios.
    pub async fn target(&self) -> Target {
        Target::new(
            "real kube-apiserver",
            self.url.clone(),
            self.kubeconfig.clone(),
            self.client("admin").await,
            self.client("viewer").await,
            self.admin_token.clone(),
            self.viewer_token.clone(),
        )
    }

    /// What the demo cluster seeds: the viewer role and binding, and the CRDs.
    async fn prepare(&mut self, admin: &Client) {
        for (path, object) in [
            (
                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                viewer_cluster_role(),
            ),
            (
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                viewer_binding(),
            ),
        ] {
            let req = Request::new(path)
                .create(&PostParams::default(), serde_json::to_vec(&object).unwrap())
                .unwrap();
            let resp = send(admin, req).await;
            assert_eq!(resp.code, 201, "creating {path}: {}", resp.body);
        }

        let crds = load_crds();
        let crd_path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
        for crd in &crds {
            let req = Request::new(crd_path)
                .create(&PostParams::default(), serde_json::to_vec(crd).unwrap())
                .unwrap();
            let resp = send(admin, req).await;
            assert_eq!(
                resp.code, 201,
                "installing CRD {} (after ADAPTATIONS): {}",
                crd["metadata"]["name"], resp.body
            );
        }
        // Established, then actually served.
        for crd in &crds {
            let name = crd["metadata"]["name"].as_str().unwrap().to_string();
            let group = crd["spec"]["group"].as_str().unwrap().to_string();
            let plural = crd["spec"]["names"]["plural"].as_str().unwrap().to_string();
            let version = crd["spec"]["versions"][0]["name"]
                .as_str()
                .unwrap()
                .to_string();
            let c = admin.clone();
            self.wait_until_async(
                &format!("CRD {name} Established"),
                Duration::from_secs(30),
                || {
                    let (c, name) = (c.clone(), name.clone());
                    async move {
                        let req = Request::new(crd_path)
                            .get(&name, &GetParams::default())
                            .unwrap();
                        let resp = send(&c, req).await;
                        resp.body["status"]["conditions"]
                            .as_array()
                            .is_some_and(|cs| {
                                cs.iter()
                                    .any(|c| c["type"] == "Established" && c["status"] == "True")
                            })
                    }
                },
            )
            .await;
            let c = admin.clone();
            self.wait_until_async(
                &format!("{plural}.{group} served"),
                Duration::from_secs(30),
                || {
                    let c = c.clone();
                    let path = format!("/apis/{group}/{version}/{plural}");
                    async move {
                        let req = Request::new(path)
                            .list(&ListParams::default().limit(1))
                            .unwrap();
                        send(&c, req).await.code == 200
                    }
                },
            )
            .await;
        }
    }
}

pub async fn client_from_kubeconfig(path: &Path, context: &str) -> Client {
    let kubeconfig =
        Kubeconfig::read_from(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..KubeConfigOptions::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .unwrap_or_else(|e| panic!("context {context} of {}: {e}", path.display()));
    Client::try_from(config).expect("kube client")
}

fn etcd_healthy(port: u16) -> bool {
    // A bare HTTP/1.0 probe of etcd's own /health (etcd is not the API under test).
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /health HTTP/1.0\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.contains("\"health\":\"true\"")
}

/// ClusterRole `demo-viewer`: the rules the demo cluster seeds, granted on the real server too.
pub fn viewer_cluster_role() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "demo-viewer"},
        "rules": demo_cluster::viewer_rules(),
    })
}

/// ClusterRoleBinding `demo-viewer`: the role to user `viewer`.
pub fn viewer_binding() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "demo-viewer"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "demo-viewer"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer"}],
    })
}

/// The directory of the openshift/api CRD manifests (read at test time, never copied).
pub fn crd_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/crds")
}

/// The CRDs as installed on the real server: read from `crd_dir()` and adapted (`ADAPTATIONS`).
pub fn load_crds() -> Vec<Value> {
    let dir = crd_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no CRD manifests in {}", dir.display());
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let crd: Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
            adapt_crd(crd)
        })
        .collect()
}

/// Applies `ADAPTATIONS` to one CRD.
pub fn adapt_crd(mut crd: Value) -> Value {
    strip_schema(&mut crd);
    replace_null_enums(&mut crd);
    let text = crd.to_string();
    assert!(
        !text.contains("\"x-kubernetes-validations\"") && !text.contains("[null]"),
        "CRD {} still has something 1.20 refuses after ADAPTATIONS",
        crd["metadata"]["name"]
    );
    crd
}

/// `{properties: {X: {enum: [null]}}}` ("X is absent") -> `{not: {required: [X]}}`.
fn replace_null_enums(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.values_mut().for_each(replace_null_enums);
            let mut replacement = None;
            if map.len() == 1
                && let Some(Value::Object(props)) = map.get("properties")
                && props.len() == 1
                && let Some((name, schema)) = props.iter().next()
                && *schema == json!({"enum": [null]})
            {
                replacement = Some(json!({"not": {"required": [name]}}));
            }
            if let Some(replacement) = replacement {
                *v = replacement;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(replace_null_enums),
        _ => {}
    }
}

fn strip_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("x-kubernetes-validations");
            if map.get("type").and_then(Value::as_str) == Some("string")
                && map.get("default") == Some(&json!(""))
            {
                map.remove("default");
            }
            map.values_mut().for_each(strip_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_schema),
        _ => {}
    }
}
