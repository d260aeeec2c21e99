//! The demo cluster killed with SIGKILL in the middle of a stream of writes: after a
//! restart on the same data directory, every write it acknowledged is there.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ListParams, PostParams};

/// The demo cluster as its own process.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &Path) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_registry-console"))
            .args(["demo-cluster", "--listen", "127.0.0.1:0"])
            .args(["--registry-listen", "127.0.0.1:0", "--traffic", "false"])
            .arg("--data-dir")
            .arg(dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    )
}

/// A client of the process's API once it answers (the kubeconfig it writes names its port).
async fn client(dir: &Path, started_after: std::time::SystemTime) -> kube::Client {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            Instant::now() < deadline,
            "the demo cluster did not come up"
        );
        let fresh = std::fs::metadata(dir.join("kubeconfig"))
            .and_then(|m| m.modified())
            .is_ok_and(|m| m >= started_after);
        if fresh
            && let Ok(kubeconfig) = kube::config::Kubeconfig::read_from(dir.join("kubeconfig"))
            && let Ok(mut config) =
                kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default()).await
        {
            config.default_retry = false;
            config.read_timeout = Some(Duration::from_secs(5));
            let client = kube::Client::try_from(config).unwrap();
            if client.apiserver_version().await.is_ok() {
                return client;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn config_map(name: &str) -> ConfigMap {
    serde_json::from_value(serde_json::json!({
        "metadata": { "name": name },
        "data": { "payload": "x".repeat(2048) }
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_a_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cluster");
    let before = std::time::SystemTime::now() - Duration::from_secs(1);
    let mut process = start(&data);
    let api: Api<ConfigMap> = Api::namespaced(client(&data, before).await, "default");

    // Four writers, each creating ConfigMaps one after another and noting every one the
    // API acknowledged (201).
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (api, acked) = (api.clone(), acked.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let name = format!("w{writer}-{i}");
                    match api.create(&PostParams::default(), &config_map(&name)).await {
                        Ok(_) => acked.lock().unwrap().push(name),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // Until a good number are written, then the process dies mid-stream.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 150 {
        assert!(Instant::now() < deadline, "the writes are too slow");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    process.0.kill().expect("SIGKILL");
    process.0.wait().unwrap();
    for writer in writers {
        let _ = tokio::time::timeout(Duration::from_secs(10), writer).await;
    }
    let acked = acked.lock().unwrap().clone();

    let after = std::time::SystemTime::now();
    let _restarted = start(&data);
    let api: Api<ConfigMap> = Api::namespaced(client(&data, after).await, "default");
    let stored: std::collections::HashSet<String> = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        .filter(|name| name.starts_with('w') && name.contains('-'))
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost after SIGKILL: {lost:?}",
        lost.len(),
        acked.len()
    );
    // What was stored and not acknowledged (in flight at the kill) may or may not be
    // there; nothing else is.
    assert!(
        stored.len() <= acked.len() + 4,
        "{} stored, {} acked",
        stored.len(),
        acked.len()
    );
    println!("{} acknowledged writes, all kept", acked.len());
}
