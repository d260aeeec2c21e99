//! Runs the demo cluster alone, for poking at it with kubectl during development:
//! `cargo run -p demo-cluster --example serve -- DIR [PORT]`.
#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: serve DIR [PORT]");
    let port: u16 = args.next().map_or(0, |p| p.parse().expect("a port number"));
    let cluster = demo_cluster::DemoCluster::start(demo_cluster::Options {
        data_dir: dir.into(),
        listen: ([127, 0, 0, 1], port).into(),
        reset: false,
        run_operator: true,
        registry_listen: None,
        traffic: None,
    })
    .await
    .expect("the demo cluster starts");
    println!(
        "{} kubeconfig={} registry={}",
        cluster.url(),
        cluster.kubeconfig_path().display(),
        cluster.registry_url()
    );
    tokio::signal::ctrl_c().await.expect("ctrl-c");
    cluster.shutdown().await;
}
