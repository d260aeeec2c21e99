//! Starting a demo cluster in a temporary directory for a test.

#![allow(dead_code)]

use std::time::Duration;

use demo_cluster::{DemoCluster, DemoUser, Options};
use tempfile::TempDir;

/// A demo cluster with its data directory; both go away when dropped.
pub struct TestCluster {
    pub cluster: DemoCluster,
    pub dir: TempDir,
}

impl TestCluster {
    /// Starts a fresh cluster; `operator` also runs the simulated operator and workloads.
    pub async fn start(operator: bool) -> TestCluster {
        let dir = tempfile::tempdir().expect("a temp dir");
        let cluster = start_in(&dir, operator).await;
        TestCluster { cluster, dir }
    }

    pub async fn admin(&self) -> kube::Client {
        self.cluster.client(DemoUser::Admin).await
    }

    pub async fn viewer(&self) -> kube::Client {
        self.cluster.client(DemoUser::Viewer).await
    }

    /// A client acting as `user` that takes every answer as it comes: kube-rs's default
    /// client retries a 429 or 503 for minutes, which a test of those answers must see.
    pub async fn no_retry(&self, user: DemoUser) -> kube::Client {
        let kubeconfig = kube::config::Kubeconfig::read_from(self.cluster.kubeconfig_path())
            .expect("the demo's kubeconfig");
        let options = kube::config::KubeConfigOptions {
            context: Some(user.name().to_string()),
            ..Default::default()
        };
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .expect("a usable kubeconfig");
        config.default_retry = false;
        kube::Client::try_from(config).expect("a client")
    }

    /// Stops the cluster and starts it again on the same data directory.
    pub async fn restart(self, operator: bool) -> TestCluster {
        let TestCluster { cluster, dir } = self;
        cluster.shutdown().await;
        let cluster = start_in(&dir, operator).await;
        TestCluster { cluster, dir }
    }
}

pub async fn start_in(dir: &TempDir, operator: bool) -> DemoCluster {
    DemoCluster::start(Options {
        data_dir: dir.path().to_path_buf(),
        listen: ([127, 0, 0, 1], 0).into(),
        reset: false,
        run_operator: operator,
        registry_listen: None,
        traffic: None,
    })
    .await
    .expect("the demo cluster starts")
}

/// Polls `check` until it returns `Some`, or panics after `secs` seconds with `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `kubectl patch configs.imageregistry/cluster --type merge -p <patch>`, through kube-rs.
pub async fn patch_config(client: &kube::Client, patch: serde_json::Value) {
    let configs: kube::Api<registry_model::Config> = kube::Api::all(client.clone());
    configs
        .patch(
            "cluster",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(patch),
        )
        .await
        .unwrap();
}
