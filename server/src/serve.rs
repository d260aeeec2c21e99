//! The three commands: `serve`, `demo-cluster`, `demo-operator`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use app::changes::record::Change;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::cli::{DemoClusterArgs, DemoOperatorArgs, ServeArgs};
use crate::http::AppState;
use crate::{demo, http, shutdown, site};
use app::cluster::Cluster;
use app::console::Console;
use app::registry_metrics::collector::{Credentials, Direct};
use app::registry_metrics::prometheus::Prometheus;
use app::session::cookies::Sessions;
use app::session::revocations::{Revocations, SharedList};

/// `registry-console serve`; `changes` are the console's writes to record as Events.
pub async fn run(args: ServeArgs, changes: mpsc::Receiver<Change>) -> anyhow::Result<()> {
    args.check_demo_exposure().map_err(anyhow::Error::msg)?;
    let pod_namespace = std::fs::read_to_string(crate::cli::POD_NAMESPACE_FILE).ok();
    let shared_revocations = args.shared_revocations(pod_namespace.as_deref());
    let data_dir = match args.data_dir {
        Some(dir) => dir,
        None => demo::default_data_dir()?,
    };
    // Everything that can be wrong with the flags or the site is checked before a demo
    // cluster is started or a port is taken.
    let site_root = site::locate(args.site_dir.as_deref())?;
    let key_file = args
        .session_key_file
        .unwrap_or_else(|| data_dir.join("session.key"));
    let mut sessions = Sessions::from_key_file(&key_file, args.session_ttl, args.secure_cookies)?
        .with_idle_timeout(args.session_idle);
    if let Some(previous) = &args.session_previous_key_file {
        sessions = sessions.with_previous_key_file(previous)?;
    }

    let origins = http::forgery::Origins::new(args.public_origin.as_deref(), args.secure_cookies)?;

    let demo = if args.demo {
        Some(
            demo::start(
                &data_dir,
                demo::any_loopback_port(),
                Some(args.demo_registry_listen),
                args.demo_traffic,
                false,
            )
            .await?,
        )
    } else {
        None
    };
    let cluster = match &demo {
        Some(demo) => Cluster::connect(Some(&demo.kubeconfig_path()), Some("admin")).await?,
        None => Cluster::connect(args.kubeconfig.as_deref(), args.context.as_deref()).await?,
    };
    check_reachable(&cluster).await?;

    let listener = TcpListener::bind(args.listen).await.with_context(|| {
        format!(
            "cannot listen on {}: is another process using it? Pass another --listen address",
            args.listen
        )
    })?;
    let addr = listener
        .local_addr()
        .context("the listener has no address")?;
    let cluster_url = cluster.url();
    let mut console = Console::new(
        cluster,
        sessions,
        demo.as_ref().map(demo::accounts).unwrap_or_default(),
        args.read_only,
    );
    if let Some(path) = &args.registry_metrics_credentials {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read --registry-metrics-credentials {}",
                path.display()
            )
        })?;
        let credentials = Credentials::read(&text).map_err(|why| {
            anyhow::anyhow!("--registry-metrics-credentials {}: {why}", path.display())
        })?;
        let ca = match &args.registry_metrics_ca {
            Some(path) => Some(read_ca(path, "--registry-metrics-ca")?),
            None => None,
        };
        console.collector = console
            .collector
            .take()
            .map(|c| c.with_direct(Direct::new(credentials, ca)));
    }
    if let Some(url) = &args.prometheus_url {
        let ca = match &args.prometheus_ca {
            Some(path) => Some(read_ca(path, "--prometheus-ca")?),
            None => None,
        };
        console.prometheus = Some(Prometheus::new(
            url,
            ca,
            Duration::from_secs(args.prometheus_scrape_seconds),
        )?);
        tracing::info!(%url, "the metrics page reads from Prometheus");
    }
    console.revocations =
        Arc::new(revocations(&console.cluster, shared_revocations, args.demo).await?);
    let console = Arc::new(console);
    tokio::spawn(console.revocations.clone().follow());
    match console.cluster.own_client() {
        Ok(client) => {
            tokio::spawn(app::changes::record::write_events(client, changes));
        }
        Err(error) => tracing::warn!(
            %error,
            "the console's changes are not recorded as Events (they stay in the audit log)"
        ),
    }
    tokio::spawn({
        let cluster = console.cluster.clone();
        async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                cluster.sweep_clients();
            }
        }
    });
    let (trigger, shutdown) = shutdown::channel();
    let router = http::router(AppState {
        leptos: site::leptos_options(&site_root),
        console,
        shutdown,
        origins,
        live: http::live::Limits::new(
            args.max_live_streams_per_session as usize,
            args.max_live_streams as usize,
        ),
        limits: http::limits::Limits::new(
            args.max_requests as usize,
            args.request_timeout,
            args.sign_in_attempts_per_minute,
            args.forwarded_for,
        ),
    });

    println!("Registry console: http://{addr}");
    if let Some(demo) = &demo {
        print!("{}", demo::describe(demo));
        println!("Open the console and sign in with one click as admin or viewer.");
    }
    tracing::info!(%addr, cluster = %cluster_url, demo = args.demo, read_only = args.read_only, "serving");

    let accepting = http::connections::Accepting {
        max_connections: args.max_connections as usize,
        header_read_timeout: http::connections::HEADER_READ_TIMEOUT,
    };
    http::connections::serve(listener, router, accepting, async move {
        shutdown::signal().await;
        tracing::info!("stopping: finishing open requests");
        trigger.fire();
    })
    .await;
    if let Some(demo) = demo {
        demo.shutdown().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// The list of signed-out sessions, shared through `list` when there is one. The demo
/// cluster's namespace for it is made if an older demo lacks it.
async fn revocations(
    cluster: &Cluster,
    list: Option<SharedList>,
    demo: bool,
) -> anyhow::Result<Revocations> {
    let Some(list) = list else {
        tracing::warn!(
            "a sign-out ends the session on this console process only: pass --revocations \
             NAMESPACE/NAME to share sign-outs between replicas"
        );
        return Ok(Revocations::local());
    };
    let client = cluster.own_client()?;
    if demo {
        let namespaces = kube::Api::<k8s_openapi::api::core::v1::Namespace>::all(client.clone());
        let namespace = k8s_openapi::api::core::v1::Namespace {
            metadata: kube::api::ObjectMeta {
                name: Some(list.namespace.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        match namespaces.create(&Default::default(), &namespace).await {
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 409 => {}
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot create namespace {}", list.namespace));
            }
        }
    }
    tracing::info!(%list, "sign-outs are shared between replicas");
    Ok(Revocations::shared(client, list))
}

/// Fails with a clear message when the API server does not answer at all.
async fn check_reachable(cluster: &Cluster) -> anyhow::Result<()> {
    let client = cluster.own_client()?;
    let answer = tokio::time::timeout(Duration::from_secs(10), client.apiserver_version()).await;
    let problem = match answer {
        Ok(Ok(_)) | Ok(Err(kube::Error::Api(_))) => return Ok(()),
        Ok(Err(error)) => error.to_string(),
        Err(_) => "no answer within 10 s".to_owned(),
    };
    bail!(
        "cannot reach the cluster at {}: {problem}. Check that its API server is running and \
         that --kubeconfig and --context point at it (or use --demo to try the console on the \
         embedded demo cluster)",
        cluster.url()
    )
}

/// `registry-console demo-cluster`.
pub async fn demo_cluster(args: DemoClusterArgs) -> anyhow::Result<()> {
    if args.repair {
        let repaired = demo_cluster::repair_log(&args.data_dir).with_context(|| {
            format!(
                "cannot repair the write-ahead log in {}",
                args.data_dir.display()
            )
        })?;
        println!(
            "Repaired the write-ahead log: kept {} entries, dropped {} lines; the whole log as \
             it was is in {}.",
            repaired.kept,
            repaired.dropped,
            repaired.saved_as.display()
        );
    }
    let cluster = demo::start(
        &args.data_dir,
        args.listen,
        Some(args.registry_listen),
        args.traffic,
        args.reset,
    )
    .await?;
    print!("{}", demo::describe(&cluster));
    println!("Serving until Ctrl-C.");
    shutdown::signal().await;
    cluster.shutdown().await;
    Ok(())
}

/// `registry-console demo-operator`.
pub async fn demo_operator(args: DemoOperatorArgs) -> anyhow::Result<()> {
    let cluster = Cluster::connect(Some(&args.kubeconfig), args.context.as_deref()).await?;
    check_reachable(&cluster).await?;
    let client = cluster.own_client()?;
    println!(
        "Simulated image-registry operator running against {} until Ctrl-C.",
        cluster.url()
    );
    tokio::select! {
        result = demo_cluster::operator::run(client) => {
            result.context("the simulated operator stopped")?;
        }
        () = shutdown::signal() => {}
    }
    Ok(())
}

/// The DER of each certificate in a PEM file given on the command line.
fn read_ca(path: &std::path::Path, flag: &str) -> anyhow::Result<Vec<Vec<u8>>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {flag} {}", path.display()))?;
    registry_model::trust::certificates_der(&text)
        .map_err(|m| anyhow::anyhow!("{flag} {} holds no usable certificate: {m}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_that_is_missing_or_not_pem_is_named_with_its_flag() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_ca(&dir.path().join("nope.crt"), "--prometheus-ca").unwrap_err();
        assert!(
            format!("{missing:#}").contains("cannot read --prometheus-ca"),
            "{missing:#}"
        );
        let garbage = dir.path().join("garbage.crt");
        std::fs::write(&garbage, "not pem").unwrap();
        let refused = read_ca(&garbage, "--registry-metrics-ca").unwrap_err();
        assert!(
            refused.to_string().contains("--registry-metrics-ca")
                && refused.to_string().contains("no usable certificate"),
            "{refused}"
        );
    }

    #[tokio::test]
    async fn an_unreachable_cluster_is_named_with_what_to_check() {
        // Nothing listens on port 9 of loopback (discard): the connection is refused.
        let config = kube::Config::new("http://127.0.0.1:9".parse().unwrap());
        let error = check_reachable(&Cluster::from_config(config))
            .await
            .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("cannot reach the cluster at http://127.0.0.1:9"),
            "{message}"
        );
        assert!(message.contains("--kubeconfig"), "{message}");
    }

    #[tokio::test]
    async fn a_missing_kubeconfig_file_is_named() {
        let error = Cluster::connect(Some(std::path::Path::new("/nonexistent/kubeconfig")), None)
            .await
            .err()
            .unwrap();
        assert!(format!("{error:#}").contains("cannot read kubeconfig /nonexistent/kubeconfig"));
    }
}
