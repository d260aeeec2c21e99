//! The embedded demo cluster for the cluster layer's integration tests: started in a
//! temporary directory, changed with the real `kubectl` as a person would, and read
//! through the console with a demo user's session.

use std::time::Duration;

use std::sync::Arc;

use demo_cluster::{DemoCluster, DemoUser, Options};
use serde_json::Value;

use crate::console::{Console, DemoAccount, SignedIn};
use crate::session::{Session, Token};

/// A running demo cluster (with its simulated operator) and the directory it lives in.
pub struct TestCluster {
    pub cluster: DemoCluster,
    pub dir: tempfile::TempDir,
}

impl TestCluster {
    /// Starts a fresh demo cluster: Removed, no storage, as a bare-metal install.
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// Starts a fresh demo cluster whose objects change only when a test changes them:
    /// no simulated operator, so every request the API server answers is the test's.
    pub async fn start_quiet() -> Self {
        Self::start_with(false).await
    }

    async fn start_with(run_operator: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cluster = DemoCluster::start(Options {
            data_dir: dir.path().join("cluster"),
            listen: "127.0.0.1:0".parse().unwrap(),
            reset: false,
            run_operator,
            registry_listen: None,
            traffic: None,
        })
        .await
        .unwrap();
        Self { cluster, dir }
    }

    /// Runs the real `kubectl` as admin, off the runtime's thread so the demo cluster can
    /// answer it; `stdin` feeds `-f -`. Returns stdout, or `Err(stderr)`.
    pub async fn kubectl(&self, args: &[&str], stdin: Option<&str>) -> Result<String, String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut command = Command::new("kubectl");
        command
            .arg("--kubeconfig")
            .arg(self.cluster.kubeconfig_path())
            .args(["--context", "admin"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let stdin = stdin.map(str::to_owned);
        let output = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn()?;
            if let Some(text) = stdin {
                child.stdin.take().unwrap().write_all(text.as_bytes())?;
            }
            drop(child.stdin.take());
            child.wait_with_output()
        })
        .await
        .unwrap()
        .expect("kubectl runs");
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    /// A kube client acting as a demo user.
    pub async fn client(&self, user: DemoUser) -> kube::Client {
        self.cluster.client(user).await
    }

    /// `kubectl ARGS` as admin, its output read as JSON (as a string when it is not JSON),
    /// or `Err(stderr)`.
    pub async fn kubectl_json(&self, args: &[&str]) -> Result<Value, String> {
        let text = self.kubectl(args, None).await?;
        Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Waits until `check` holds for what `kubectl get ARGS -o json` returns.
    pub async fn wait_for_json(
        &self,
        what: &str,
        args: &[&str],
        check: impl Fn(&Value) -> bool,
    ) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", "json"]);
        for _ in 0..100 {
            if let Ok(found) = self.kubectl_json(&all).await
                && check(&found)
            {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "timed out waiting for {what}: {:?}",
            self.kubectl_json(&all).await
        );
    }

    /// `kubectl patch configs.imageregistry/cluster --type merge -p <patch>`.
    pub async fn patch_config(&self, patch: Value) {
        self.kubectl(
            &[
                "patch",
                "configs.imageregistry.operator.openshift.io",
                "cluster",
                "--type",
                "merge",
                "-p",
                &patch.to_string(),
            ],
            None,
        )
        .await
        .unwrap();
    }

    /// `kubectl apply -f -` of one object.
    pub async fn apply(&self, object: Value) {
        self.kubectl(&["apply", "-f", "-"], Some(&object.to_string()))
            .await
            .unwrap();
    }

    /// The console on this cluster; its own identity is the admin's.
    pub async fn console(&self, read_only: bool) -> Arc<Console> {
        self.console_as(DemoUser::Admin, read_only).await
    }

    /// The console on this cluster, with `own` as its own identity (its shared watches').
    pub async fn console_as(&self, own: DemoUser, read_only: bool) -> Arc<Console> {
        let cluster = crate::cluster::Cluster::connect(
            Some(&self.cluster.kubeconfig_path()),
            Some(own.name()),
        )
        .await
        .unwrap();
        let sessions = crate::session::cookies::Sessions::from_key_file(
            &self.dir.path().join("session.key"),
            Duration::from_secs(3600),
            false,
        )
        .unwrap();
        let demo_accounts = DemoUser::ALL
            .iter()
            .map(|&user| DemoAccount {
                name: user.name().to_owned(),
                token: Token::new(self.cluster.token(user)),
            })
            .collect();
        Arc::new(Console::new(cluster, sessions, demo_accounts, read_only))
    }

    /// A demo user signed in on a console of this cluster.
    pub async fn signed_in(&self, user: DemoUser, read_only: bool) -> SignedIn {
        SignedIn::new(self.console(read_only).await, self.session(user)).unwrap()
    }

    /// A signed-in session of a demo user.
    pub fn session(&self, user: DemoUser) -> Session {
        Session {
            user: user.name().into(),
            token: Token::new(self.cluster.token(user)),
            id: format!("test-{}", user.name()),
            expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
            active_at: chrono::Utc::now(),
        }
    }
}
