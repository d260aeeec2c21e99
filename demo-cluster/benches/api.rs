//! Throughput and latency of the demo cluster's API, measured through kube-rs:
//! `cargo bench -p demo-cluster --bench api`. Prints requests per second for GET and merge
//! PATCH (with 8 concurrent clients) and the latency from a PATCH being acknowledged to
//! its watch event arriving.

use std::time::{Duration, Instant};

use demo_cluster::{DemoCluster, DemoUser, Options};
use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use serde_json::json;

const CLIENTS: usize = 8;
const RUN: Duration = Duration::from_secs(5);

async fn rate<F, Fut>(what: &str, make: F)
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while start.elapsed() < RUN {
                make(c, n).await;
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{what:<28} {:>9.0} requests/s  ({total} in {secs:.1}s, {CLIENTS} clients)",
        total as f64 / secs
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = DemoCluster::start(Options {
        data_dir: dir.path().into(),
        listen: ([127, 0, 0, 1], 0).into(),
        reset: false,
        run_operator: false,
    })
    .await
    .unwrap();
    let client = cluster.client(DemoUser::Admin).await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    for c in 0..CLIENTS {
        let cm: ConfigMap = serde_json::from_value(
            json!({"metadata": {"name": format!("bench-{c}")}, "data": {"n": "0"}}),
        )
        .unwrap();
        cms.create(&PostParams::default(), &cm).await.unwrap();
    }
    println!(
        "demo cluster API benchmark ({} CPUs)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let get_api = cms.clone();
    rate("GET configmap", move |c, _| {
        let api = get_api.clone();
        async move {
            api.get(&format!("bench-{c}")).await.unwrap();
        }
    })
    .await;
    let patch_api = cms.clone();
    rate("PATCH configmap (merge)", move |c, n| {
        let api = patch_api.clone();
        async move {
            api.patch(
                &format!("bench-{c}"),
                &PatchParams::default(),
                &Patch::Merge(json!({"data": {"n": n.to_string()}})),
            )
            .await
            .unwrap();
        }
    })
    .await;

    let rv = cms
        .get("bench-0")
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut stream = cms
        .watch(
            &WatchParams::default()
                .fields("metadata.name=bench-0")
                .timeout(120),
            &rv,
        )
        .await
        .unwrap()
        .boxed();
    let mut latencies = Vec::new();
    for n in 0..300 {
        let sent = Instant::now();
        cms.patch(
            "bench-0",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"w": n.to_string()}})),
        )
        .await
        .unwrap();
        let acked = sent.elapsed();
        loop {
            match stream.next().await {
                Some(Ok(WatchEvent::Modified(o)))
                    if o.data.as_ref().and_then(|d| d.get("w")) == Some(&n.to_string()) =>
                {
                    break;
                }
                Some(Ok(_)) => continue,
                other => panic!("watch ended: {other:?}"),
            }
        }
        latencies.push(sent.elapsed().saturating_sub(acked));
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];
    println!(
        "watch event after PATCH ack   p50 {:?}  p99 {:?}  max {:?}  ({} events)",
        pct(0.5),
        pct(0.99),
        pct(1.0),
        latencies.len()
    );
    cluster.shutdown().await;
}
