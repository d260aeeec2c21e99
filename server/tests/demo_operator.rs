//! `registry-console demo-operator --kubeconfig FILE` runs the simulated operator as its own
//! process against a cluster that has none (here a demo cluster started without it).

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use demo_cluster::{DemoCluster, DemoUser, Options};
use kube::api::{Api, Patch, PatchParams};
use registry_model::Config;
use serde_json::json;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_demo_operator_command_reconciles_another_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = DemoCluster::start(Options {
        data_dir: dir.path().to_path_buf(),
        listen: ([127, 0, 0, 1], 0).into(),
        reset: false,
        run_operator: false,
        registry_listen: None,
        traffic: None,
    })
    .await
    .unwrap();
    let _operator = Killed(
        Command::new(env!("CARGO_BIN_EXE_registry-console"))
            .args(["demo-operator", "--kubeconfig"])
            .arg(cluster.kubeconfig_path())
            .spawn()
            .expect("the binary starts"),
    );
    let configs: Api<Config> = Api::all(cluster.client(DemoUser::Admin).await);
    configs
        .patch(
            "cluster",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"managementState": "Managed"}})),
        )
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let config = configs.get("cluster").await.unwrap();
        let degraded = config
            .status
            .and_then(|s| s.conditions.into_iter().find(|c| c.type_ == "Degraded"));
        if degraded.as_ref().and_then(|c| c.reason.as_deref()) == Some("StorageNotConfigured") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the operator process did not report StorageNotConfigured: {degraded:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
