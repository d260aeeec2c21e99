//! Throughput and latency of the demo cluster's API, measured through kube-rs:
//! `cargo bench -p demo-cluster --bench api`. Prints requests per second for GET and merge
//! PATCH (with 8 concurrent clients), the latency from a PATCH being acknowledged to its
//! watch event arriving, and the same with 1,000 watchers open at once (each on its own
//! connection): how long until every one of them has the event, and the memory they take.

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
        registry_listen: None,
        traffic: None,
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
    drop(stream);

    watchers(&cms).await;
    cluster.shutdown().await;
}

const WATCHERS: usize = 1000;

/// Resident memory of this process (the API server and its clients), in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// 1,000 watches of one object open at once (kube-rs opens a connection for each, as
/// 1,000 separate clients would), then 20 PATCHes: for each, the time from its answer
/// until every watcher has the event.
async fn watchers(cms: &Api<ConfigMap>) {
    let rss_before = rss_kib();
    let opening = Instant::now();
    let rv = cms
        .get("bench-1")
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut streams = Vec::with_capacity(WATCHERS);
    for _ in 0..WATCHERS {
        let stream = cms
            .watch(
                &WatchParams::default()
                    .fields("metadata.name=bench-1")
                    .timeout(300),
                &rv,
            )
            .await
            .unwrap()
            .boxed();
        streams.push(stream);
    }
    let opened = opening.elapsed();
    let rss_open = rss_kib();
    let mut all_latencies = Vec::new();
    let mut last_latencies = Vec::new();
    for n in 0..20 {
        let value = format!("fan-{n}");
        cms.patch(
            "bench-1",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"fan": value}})),
        )
        .await
        .unwrap();
        let acked = Instant::now();
        let arrivals = futures::future::join_all(streams.iter_mut().map(|stream| {
            let value = value.clone();
            async move {
                loop {
                    match stream.next().await {
                        Some(Ok(WatchEvent::Modified(o)))
                            if o.data.as_ref().and_then(|d| d.get("fan")) == Some(&value) =>
                        {
                            return acked.elapsed();
                        }
                        Some(Ok(_)) => continue,
                        other => panic!("a watcher's stream ended: {other:?}"),
                    }
                }
            }
        }))
        .await;
        last_latencies.push(*arrivals.iter().max().unwrap());
        all_latencies.extend(arrivals);
    }
    all_latencies.sort();
    last_latencies.sort();
    let pct = |v: &[Duration], p: f64| v[((v.len() as f64 - 1.0) * p) as usize];
    println!(
        "{WATCHERS} watchers opened in {opened:.2?}; rss {} MiB -> {} MiB ({} KiB per watch, server and client together)",
        rss_before / 1024,
        rss_open / 1024,
        (rss_open.saturating_sub(rss_before)) / WATCHERS as u64
    );
    println!(
        "event to each of {WATCHERS} watchers after PATCH ack   p50 {:?}  p99 {:?}; to the last of them p50 {:?}  max {:?}  (20 PATCHes)",
        pct(&all_latencies, 0.5),
        pct(&all_latencies, 0.99),
        pct(&last_latencies, 0.5),
        pct(&last_latencies, 1.0),
    );
}
